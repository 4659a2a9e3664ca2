// #/admin: the administrators' page — plan limits, featured projects, server errors, administrators, one user's
// usage and plan, analytics and the audit log, all through /api/v1/admin. Others get a "not allowed" in words,
// decided by GET /me's is_admin (the admin endpoints check again on every request).
import { h, mount } from '../shared/dom.js';
import { refreshMe } from '../api.js';
import { limitsSection } from './limits.js';
import { featuringSection } from './featuring.js';
import { errorsSection } from './errors.js';
import { adminsSection } from './administrators.js';
import { userSection } from './user-plan.js';
import { analyticsSection } from './analytics.js';
import { auditSection } from './audit.js';

export async function adminPage({ main }) {
  const me = await refreshMe();
  if (!me.is_admin) {
    mount(main,
      h('h1', { text: 'Administration' }),
      h('p.not-allowed', { id: 'not-allowed', text: 'You are not allowed to see this page: it is only for administrators.' }),
      h('p', {}, h('a', { href: '#/projects', text: 'Back to my projects' })));
    return;
  }
  const sections = [limitsSection(), featuringSection(), errorsSection(), adminsSection(), userSection(),
    analyticsSection(), auditSection()];
  const toc = h('nav.toc', { 'aria-label': 'Sections of this page' },
    h('ul', {}, sections.map((s) => {
      const heading = s.el.querySelector('h2');
      return h('li', {}, h('button.link', {
        type: 'button',
        text: heading.textContent,
        onclick: () => {
          heading.scrollIntoView({ block: 'start' });
          heading.focus();
        },
      }));
    })));
  mount(main, h('h1', { text: 'Administration' }), toc, sections.map((s) => s.el));
  await Promise.all(sections.map((s) => s.load()));
}
