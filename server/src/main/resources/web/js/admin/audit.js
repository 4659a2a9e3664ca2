// The audit log: every administrator's and the system's changes, by table, with what changed.
import { h, field, messageBox } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { pagedList } from '../shared/paging.js';
import { get } from '../api.js';
import { section } from './admin-section.js';

export function auditSection() {
  const message = messageBox();
  const list = h('ol.admin-list.audit', { id: 'audit-log' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load older entries' });
  const target = field('Table changed', { id: 'audit-target', name: 'target_type', maxlength: 64 },
    'e.g. subscription_limits, projects, profiles, user_roles; empty for all');
  let names = null; // administrators' usernames by id, to name who did what

  function actor(entry) {
    if (!entry.actor_id) return entry.actor_role === 'service_role' || !entry.actor_role ? 'the system' : entry.actor_role;
    const name = names?.get(entry.actor_id);
    return name ? `@${name}` : `user ${entry.actor_id}`;
  }

  function change(entry) {
    const parts = [];
    if (entry.before) parts.push(h('h4', { text: 'Before' }), h('pre', { text: JSON.stringify(entry.before, null, 2) }));
    if (entry.after) parts.push(h('h4', { text: 'After' }), h('pre', { text: JSON.stringify(entry.after, null, 2) }));
    return parts.length ? h('details', {}, h('summary', { text: 'What changed' }), parts) : null;
  }

  const entry = (e) => h('li', { 'data-action': e.action, 'data-target-type': e.target_type },
    h('div.grow', {},
      h('p', {}, h('strong', { text: e.action }), ` · ${e.target_type || ''} ${e.target_id || ''}`),
      h('p.meta', { text: `${formatDateTime(e.created_at)} · by ${actor(e)}` }),
      change(e)));

  const { load } = pagedList({
    list, more, path: '/admin/audit',
    query: async () => {
      if (!names) {
        names = new Map((await get('/admin/admins')).items.map((a) => [a.user_id, a.username]));
      }
      return target.input.value.trim() ? { target_type: target.input.value.trim() } : {};
    },
    draw: (items) => items.map(entry),
    empty: () => 'Nothing recorded.',
    onError: (e) => message.show(e.message),
  });
  const form = h('form.inline-form', {
    onsubmit: (event) => {
      event.preventDefault();
      message.clear();
      load(true).catch((e) => message.show(e.message));
    },
  }, target.row, h('button', { type: 'submit', text: 'Show' }));
  return {
    el: section('audit', 'Audit log', form, message.el, list, more),
    load: () => load(true).catch((e) => message.show(e.message)),
  };
}
