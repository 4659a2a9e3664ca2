// Administrators: who they are, grant by username or id, revoke (never oneself).
import { h, field, messageBox } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { currentUser, del, get, put } from '../api.js';
import { resolveUser, section } from './admin-section.js';

export function adminsSection() {
  const message = messageBox();
  const list = h('ul.admin-list', { id: 'admins', 'aria-live': 'polite' });
  const me = currentUser();

  async function load() {
    const { items } = await get('/admin/admins');
    list.replaceChildren(...items.map((a) => {
      const self = me && a.user_id === me.user_id;
      const revoke = self ? h('span.meta', { text: 'you' }) : h('button.danger', {
        type: 'button',
        text: 'Revoke',
        'aria-label': `Revoke administrator rights of @${a.username}`,
        onclick: async () => {
          revoke.disabled = true;
          message.clear();
          try {
            await del(`/admin/admins/${a.user_id}`);
            await load();
            message.show(`@${a.username} is no longer an administrator.`, 'ok');
            grantWho.input.focus();
          } catch (e) {
            message.show(e.message);
            revoke.disabled = false;
          }
        },
      });
      return h('li', { 'data-user-id': a.user_id, 'data-username': a.username || '' },
        h('span.grow', {}, h('a', { href: `#/profiles/${encodeURIComponent(a.username || '')}`, text: `@${a.username}` }),
          h('span.meta', { text: ` · since ${formatDateTime(a.granted_at)}` })),
        revoke);
    }));
  }

  const grantWho = field('Username or user id', { id: 'grant-who', name: 'user', required: true, autocomplete: 'off' });
  const grant = h('button.primary', { type: 'submit', text: 'Make administrator' });
  const form = h('form.inline-form', {
    id: 'grant-form',
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      grant.disabled = true;
      try {
        const who = await resolveUser(grantWho.input.value);
        const granted = await put(`/admin/admins/${who.id}`);
        await load();
        message.show(`@${granted.username || who.label} is now an administrator.`, 'ok');
        grantWho.input.value = '';
      } catch (e) {
        message.show(e.status === 404 ? `There is no user “${grantWho.input.value.trim()}”.` : e.message);
        grantWho.input.focus();
      } finally {
        grant.disabled = false;
      }
    },
  }, grantWho.row, grant);
  return {
    el: section('administrators', 'Administrators', list, form, message.el),
    load: () => load().catch((e) => message.show(e.message)),
  };
}

