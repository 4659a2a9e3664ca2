// #/invitations: projects offered to me (offers.js) and invitations to collaborate, each accepted or declined.
import { h, mount, messageBox } from '../shared/dom.js';
import { get, post } from '../api.js';
import { answerButtons } from './answer.js';
import { offersSection } from './offers.js';

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
        answerButtons(inv.project_title, act)));
    }
  }

  const offers = offersSection();
  mount(main, h('h1', { text: 'Invitations' }), offers.section,
    h('section', { 'aria-labelledby': 'h-invitations' },
      h('h2#h-invitations', { text: 'Invitations to collaborate' }), message.el, list));
  await Promise.all([load(), offers.load()]).catch((e) => showNotice(e.message));
}
