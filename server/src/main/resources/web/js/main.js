// App shell: hash router, navigation, page-level notices, focus handling.
import { h, mount } from './shared/dom.js';
import { currentUser, isSignedIn, onAuthChange, refreshMe, signOut } from './api.js';
import { signInPage, signUpPage } from './account/sign-in.js';
import { settingsPage } from './account/settings-page.js';
import { usagePage } from './account/usage.js';
import { projectsPage } from './projects/projects-page.js';
import { explorePage } from './explore/explore-page.js';
import { studioPage } from './studio/studio-page.js';
import { invitationsPage } from './invitations/invitations-page.js';
import { profilePage } from './profiles/profile-page.js';
import { presetsPage } from './presets/presets-page.js';
import { adminPage } from './admin/admin-page.js';

const routes = [
  { pattern: /^\/$/, page: (ctx) => (isSignedIn() ? projectsPage(ctx) : explorePage(ctx)) },
  { pattern: /^\/signin$/, page: signInPage },
  { pattern: /^\/signup$/, page: signUpPage },
  { pattern: /^\/projects$/, page: projectsPage, signedIn: true },
  { pattern: /^\/explore$/, page: explorePage },
  { pattern: /^\/projects\/([0-9a-f-]{36})$/, page: studioPage, signedIn: true },
  { pattern: /^\/invitations$/, page: invitationsPage, signedIn: true },
  { pattern: /^\/profiles\/([^/]+)$/, page: profilePage },
  { pattern: /^\/presets$/, page: presetsPage },
  { pattern: /^\/usage$/, page: usagePage, signedIn: true },
  { pattern: /^\/settings$/, page: settingsPage, signedIn: true },
  { pattern: /^\/admin$/, page: adminPage, signedIn: true },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const notice = document.getElementById('notice');
let cleanup = null;

/** Shows a page-level message (errors are never swallowed: anything unexpected ends up here). */
export function showNotice(text, kind = 'error') {
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
}

export function clearNotice() {
  notice.hidden = true;
  notice.textContent = '';
}

// a notice to show on the next page (route() clears the previous page's notice first)
let flash = null;

/** Opens a page; notice (optional) is shown on it, e.g. go('/signin', {text: 'Your account was deleted.', kind: 'ok'}). */
export function go(path, notice = null) {
  flash = notice;
  if (location.hash === `#${path}`) route();
  else location.hash = `#${path}`;
}

function renderNav() {
  const user = currentUser();
  const here = location.hash.slice(1) || '/';
  const link = (path, text) => h('li', {}, h('a', { href: `#${path}`, 'aria-current': here === path ? 'page' : null, text }));
  const items = [link('/explore', 'Explore')];
  if (isSignedIn()) {
    items.unshift(link('/projects', 'My projects'));
    items.push(link('/presets', 'Presets'), link('/invitations', 'Invitations'), link('/usage', 'Usage'),
      link('/settings', 'Settings'));
    if (user?.is_admin) items.push(link('/admin', 'Admin'));
    items.push(h('li.who', {}, user?.username
      ? h('a', { href: `#/profiles/${encodeURIComponent(user.username)}`, text: `@${user.username}` }) : ''));
    items.push(h('li', {}, h('button.link', {
      type: 'button',
      id: 'sign-out',
      text: 'Sign out',
      onclick: async () => {
        try {
          await signOut();
        } catch (e) {
          showNotice(e.message);
        }
        go('/signin');
      },
    })));
  } else {
    items.push(link('/signin', 'Sign in'), link('/signup', 'Sign up'));
  }
  mount(nav, items);
}

async function route() {
  const path = location.hash.slice(1) || '/';
  clearNotice();
  if (flash) {
    showNotice(flash.text, flash.kind || 'error');
    flash = null;
  }
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      showNotice(e.message);
    }
    cleanup = null;
  }
  renderNav();
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!match) {
    mount(main, h('h1', { text: 'Not found' }), h('p', {}, 'No page here. ', h('a', { href: '#/', text: 'Go home' })));
    main.focus();
    return;
  }
  if (match.r.signedIn && !isSignedIn()) {
    go('/signin');
    return;
  }
  mount(main, h('p.loading', { text: 'Loading…' }));
  try {
    cleanup = (await match.r.page({ main, params: match.m.slice(1), go, showNotice })) || null;
  } catch (e) {
    mount(main, h('h1', { text: 'Something went wrong' }));
    showNotice(e.message || String(e));
  }
  // move focus to the page's heading so keyboard and screen reader users land on the new content
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  } else {
    main.focus();
  }
}

onAuthChange(renderNav);
window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (event) => {
  showNotice(event.reason?.message || String(event.reason));
});
route();
// after a reload, learn again what the nav shows (a new administrator, say); a failure here is the page's to report
if (isSignedIn()) refreshMe().catch(() => {});
