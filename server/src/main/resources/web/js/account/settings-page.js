// #/settings: profile (PATCH /me), signed-in sessions (GET/DELETE /auth/sessions), deleting the account (DELETE /me).
import { h, mount, field, messageBox, fieldErrors } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { pagedList } from '../shared/paging.js';
import { del, endLocalSession, patch, refreshMe } from '../api.js';

/** "Chrome on Linux" from a User-Agent header; the raw text stays available to the reader as well. */
export function deviceOf(agent) {
  if (!agent) return 'Unknown device';
  const browser = [
    [/Edg\//, 'Edge'], [/OPR\/|Opera/, 'Opera'], [/Firefox\//, 'Firefox'], [/HeadlessChrome\//, 'Chrome (headless)'],
    [/Chrome\/|Chromium\//, 'Chrome'], [/Safari\//, 'Safari'],
  ].find(([re]) => re.test(agent))?.[1];
  const system = [
    [/Android/, 'Android'], [/iPhone|iPad|iPod/, 'iOS'], [/Windows/, 'Windows'], [/CrOS/, 'ChromeOS'],
    [/Mac OS X|Macintosh/, 'macOS'], [/Linux/, 'Linux'],
  ].find(([re]) => re.test(agent))?.[1];
  if (browser) return system ? `${browser} on ${system}` : browser;
  return agent.split(/[\s/;(]/)[0] || 'Unknown device';
}

function profileSection(me) {
  const fullName = field('Full name', { name: 'full_name', autocomplete: 'name', maxlength: 100, value: me.full_name || '' });
  const bio = field('Bio', { tag: 'textarea', name: 'bio', maxlength: 1000, rows: 4 }, 'Up to 1000 characters, shown on your profile');
  bio.input.value = me.bio || '';
  const website = field('Website', {
    type: 'url', name: 'website_url', inputmode: 'url', maxlength: 2048, placeholder: 'https://…', value: me.website_url || '',
  }, 'An http(s) address');
  const avatar = field('Avatar image address', {
    type: 'url', name: 'avatar_url', inputmode: 'url', maxlength: 2048, placeholder: 'https://…', value: me.avatar_url || '',
  }, 'An http(s) address of a picture of you');
  const isPublic = h('input', { type: 'checkbox', id: 'profile-public', name: 'profile_public', checked: Boolean(me.profile_public) });
  const publicRow = h('div.field.inline', {}, isPublic,
    h('label', { for: 'profile-public', text: 'Public profile (anyone can see it and follow you)' }));
  const errors = fieldErrors({
    full_name: fullName, bio, website_url: website, avatar_url: avatar,
    preferences: { row: publicRow, input: isPublic },
  });
  const message = messageBox();
  const save = h('button.primary', { type: 'submit', text: 'Save profile' });
  const form = h('form.card', {
    id: 'profile-form',
    'aria-labelledby': 'h-profile',
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      errors.clear();
      save.disabled = true;
      const text = (input) => input.value.trim() || null;
      try {
        const saved = await patch('/me', {
          full_name: text(fullName.input),
          bio: text(bio.input),
          website_url: text(website.input),
          avatar_url: text(avatar.input),
          preferences: { profile_public: isPublic.checked },
        });
        message.show('Your profile is saved. ', 'ok',
          h('a', { href: `#/profiles/${encodeURIComponent(saved.username)}`, text: 'See your profile' }));
      } catch (e) {
        const unplaced = errors.show(e.problem?.errors || []);
        const fieldsShown = (e.problem?.errors || []).length > unplaced.length;
        message.show(fieldsShown ? 'Please correct the fields marked below.' + (unplaced.length ? ` ${unplaced.map((u) => u.message).join('; ')}` : '')
          : e.message);
      } finally {
        save.disabled = false;
      }
    },
  },
  h('h2#h-profile', { text: 'Profile' }),
  h('p.meta', {}, `Signed in as ${me.email} (@${me.username}).`),
  fullName.row, bio.row, website.row, avatar.row, publicRow, message.el, save);
  return form;
}

function sessionsSection({ go }) {
  const list = h('ul.sessions', { id: 'sessions', 'aria-live': 'polite' });
  const message = messageBox();
  const more = h('button', { type: 'button', hidden: true, text: 'Load more sessions' });

  function item(session) {
    const device = deviceOf(session.user_agent);
    const revoke = h('button.danger', {
      type: 'button',
      text: session.current ? 'Sign out here' : 'Revoke',
      'aria-label': session.current ? `Revoke this session (${device}) and sign out here`
        : `Revoke session of ${device}, last active ${formatDateTime(session.last_activity)}`,
      onclick: async () => {
        message.clear();
        revoke.disabled = true;
        try {
          await del(`/auth/sessions/${session.id}`);
          if (session.current) {
            endLocalSession();
            go('/signin', { text: 'This session was revoked: you are signed out here.', kind: 'ok' });
            return;
          }
          li.remove();
          message.show(`The session of ${device} is revoked: it is signed out.`, 'ok');
          list.querySelector('button')?.focus();
        } catch (e) {
          message.show(e.message);
          revoke.disabled = false;
        }
      },
    });
    const li = h('li.session', { 'data-session-id': session.id, 'data-current': String(Boolean(session.current)) },
      h('div.session-what', {},
        h('strong', { text: device }),
        session.current ? h('span.badge', { text: 'This device' }) : null,
        h('span.meta.agent', { text: session.user_agent || 'no browser name was sent' })),
      h('dl.facts', {},
        h('dt', { text: 'IP address' }), h('dd', { text: session.ip_address || 'unknown' }),
        h('dt', { text: 'Signed in' }), h('dd', { text: formatDateTime(session.created_at) }),
        h('dt', { text: 'Last active' }), h('dd', { text: formatDateTime(session.last_activity) })),
      revoke);
    return li;
  }

  const { load } = pagedList({
    list, more, path: '/auth/sessions',
    // this device first, then the others as the server orders them
    draw: (items) => [...items].sort((x, y) => Number(Boolean(y.current)) - Number(Boolean(x.current))).map(item),
    empty: () => 'No sessions.',
    onError: (e) => message.show(e.message),
  });

  const section = h('section.card', { 'aria-labelledby': 'h-sessions' },
    h('h2#h-sessions', { text: 'Where you are signed in' }),
    h('p.meta', { text: 'Revoke any session you do not recognise: that device is signed out at once.' }),
    message.el, list, more);
  return { section, load: () => load(true).catch((e) => message.show(e.message)) };
}

function deleteSection({ go }) {
  const message = messageBox();
  const password = field('Your password', {
    type: 'password', name: 'password', autocomplete: 'current-password', required: true,
  }, 'To be sure it is you');
  const cancel = h('button', { type: 'button', text: 'Cancel' });
  const confirmButton = h('button.danger.strong', { type: 'submit', text: 'Delete my account forever' });
  const form = h('form', {
    id: 'delete-account-form',
    hidden: true,
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      confirmButton.disabled = true;
      try {
        await del('/me', { body: { password: password.input.value } });
        endLocalSession();
        go('/signin', { text: 'Your account and everything in it are deleted.', kind: 'ok' });
      } catch (e) {
        message.show(e.message);
        confirmButton.disabled = false;
        password.input.select();
        password.input.focus();
      }
    },
  },
  h('p', { text: 'This deletes your profile, your projects and their audio, and signs out every session. It cannot be undone.' }),
  password.row, message.el, h('div.actions', {}, confirmButton, cancel));
  const open = h('button.danger', {
    type: 'button', id: 'delete-account', text: 'Delete my account…', 'aria-expanded': 'false', 'aria-controls': 'delete-account-form',
  });
  open.addEventListener('click', () => {
    form.hidden = false;
    open.hidden = true;
    open.setAttribute('aria-expanded', 'true');
    password.input.focus();
  });
  cancel.addEventListener('click', () => {
    form.hidden = true;
    open.hidden = false;
    open.setAttribute('aria-expanded', 'false');
    password.input.value = '';
    message.clear();
    open.focus();
  });
  return h('section.card.danger-zone', { 'aria-labelledby': 'h-delete' },
    h('h2#h-delete', { text: 'Delete your account' }), open, form);
}

export async function settingsPage({ main, go }) {
  const me = await refreshMe();
  const sessions = sessionsSection({ go });
  mount(main,
    h('h1', { text: 'Settings' }),
    profileSection(me),
    sessions.section,
    deleteSection({ go }));
  await sessions.load();
}
