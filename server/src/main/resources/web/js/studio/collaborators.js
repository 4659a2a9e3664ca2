// The studio's "Collaborators" section: invite by username with a role, list, change a role, remove. The person
// invited answers under Invitations (js/invitations/).
import { h, field, messageBox } from '../shared/dom.js';
import { submitUsername } from '../shared/username.js';
import { studioCard } from './card.js';
import { del, get, patch, post } from '../api.js';
import { showProblem } from '../account/way-out.js';

const ROLES = ['viewer', 'editor', 'admin'];

/** The studio's collaborators section; owners and admins may invite and remove. */
export function collaboratorsSection({ projectId, canManage }) {
  const list = h('ul.people', { id: 'collaborators', 'aria-live': 'polite' });
  const message = messageBox();

  /** A labelled role picker that saves on change (PATCH). */
  function roleSelect(c) {
    const select = h('select', { 'aria-label': `Role of @${c.username}`, 'data-role-of': c.username });
    for (const r of ROLES) select.append(h('option', { value: r, text: r, selected: r === c.role }));
    select.addEventListener('change', async () => {
      message.clear();
      try {
        await patch(`/projects/${projectId}/collaborators/${c.user_id}`, { role: select.value });
        c.role = select.value;
        message.show(`@${c.username} is now ${select.value}.`, 'ok');
      } catch (e) {
        select.value = c.role;
        showProblem(message, e);
      }
    });
    return select;
  }

  async function load() {
    const answer = await get(`/projects/${projectId}/collaborators`);
    list.replaceChildren();
    if (answer.items.length === 0) list.append(h('li.empty', { text: 'Nobody else works on this project yet.' }));
    for (const c of answer.items) {
      const status = c.status === 'accepted' ? '' : ` (${c.status})`;
      list.append(h('li', { 'data-username': c.username },
        h('a', { href: `#/profiles/${encodeURIComponent(c.username)}`, text: `@${c.username}` }),
        canManage ? roleSelect(c) : null,
        h('span.meta', { text: canManage ? status.trim() : ` ${c.role}${status}` }),
        canManage ? h('button.danger', {
          type: 'button', text: 'Remove', 'aria-label': `Remove @${c.username}`,
          onclick: async () => {
            message.clear();
            try {
              await del(`/projects/${projectId}/collaborators/${c.user_id}`);
              message.show(`@${c.username} no longer collaborates.`, 'ok');
              await load();
            } catch (e) {
              showProblem(message, e);
            }
          },
        }) : null));
    }
  }

  let form = null;
  if (canManage) {
    const username = field('Username to invite', { id: 'invite-username', required: true, autocomplete: 'off' });
    const role = field('Role', { tag: 'select', id: 'invite-role' },
      'Viewers listen; editors change audio and effects; admins also manage collaborators.');
    for (const r of ROLES) role.input.append(h('option', { value: r, text: r }));
    const submit = h('button', { type: 'submit', text: 'Invite' });
    form = h('form.add', {
      id: 'invite-form',
      onsubmit: async (event) => {
        event.preventDefault();
        await submitUsername({
          username, submit, message, missing: 'Type the username of the person to invite.',
        }, async (name) => {
          await post(`/projects/${projectId}/collaborators`, { username: name, role: role.input.value });
          message.show(`Invited @${name} as ${role.input.value}.`, 'ok');
          username.input.value = '';
          await load();
        });
      },
    }, username.row, role.row, submit);
  }

  const section = studioCard('collaborators', 'Collaborators', list, form, message.el);
  load().catch((e) => showProblem(message, e));
  return section;
}
