// Collaboration: the studio's "Collaborators" section (invite, list, remove) and the "Invitations" page (with the
// projects offered to me, from transfers.js).
import { h, mount, field, messageBox } from '../dom.js';
import { del, get, patch, post } from '../api.js';
import { offersSection, submitUsername } from './transfers.js';

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
        message.show(e.message);
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
              message.show(e.message);
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

  const section = h('section.card', { 'aria-labelledby': 'h-collaborators' },
    h('h2#h-collaborators', { text: 'Collaborators' }), list, form, message.el);
  load().catch((e) => message.show(e.message));
  return section;
}

/** #/invitations: projects offered to me and invitations to collaborate, each accepted or declined. */
export async function invitationsPage({ main, showNotice }) {
  const list = h('ul.cards', { id: 'invitations', 'aria-live': 'polite' });
  const message = messageBox();

  async function load() {
    const answer = await get('/invitations');
    list.replaceChildren();
    if (answer.items.length === 0) list.append(h('li.empty', { text: 'No invitations waiting for you.' }));
    for (const inv of answer.items) {
      const act = (verb) => async () => {
        message.clear();
        try {
          await post(`/invitations/${inv.id}/${verb}`);
          message.show(verb === 'accept' ? `You now collaborate on “${inv.project_title}”.` : 'Invitation declined.', 'ok');
          await load();
        } catch (e) {
          message.show(e.message);
        }
      };
      list.append(h('li.card.invitation', { 'data-project-id': inv.project_id },
        h('h3', { text: inv.project_title }),
        h('p.meta', { text: `@${inv.invited_by_username} invites you as ${inv.role}` }),
        h('div.actions', {},
          h('button.primary', { type: 'button', text: 'Accept', 'aria-label': `Accept ${inv.project_title}`, onclick: act('accept') }),
          h('button', { type: 'button', text: 'Decline', 'aria-label': `Decline ${inv.project_title}`, onclick: act('decline') }))));
    }
  }

  const offers = offersSection();
  mount(main, h('h1', { text: 'Invitations' }), offers.section,
    h('section', { 'aria-labelledby': 'h-invitations' },
      h('h2#h-invitations', { text: 'Invitations to collaborate' }), message.el, list));
  await Promise.all([load(), offers.load()]).catch((e) => showNotice(e.message));
}
