// "Projects offered to you" on the invitations page: the recipient of a transfer accepts or declines it, told
// whether their plan has room for one more project.
import { h, messageBox } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { get, post } from '../api.js';
import { answerButtons } from './answer.js';
import { showProblem } from '../account/way-out.js';

/** Words for the recipient's room under their plan, from GET /usage. */
function roomFor(usage) {
  const projects = usage?.resources?.find((r) => r.resource_type === 'projects');
  if (!projects || projects.limit == null) return { full: false, text: '' };
  const full = Number(projects.used) >= Number(projects.limit);
  return {
    full,
    text: full
      ? `Your ${usage.tier} plan has no room for another project (${projects.used} of ${projects.limit}): `
        + 'delete one or upgrade before accepting.'
      : `It will count toward your ${usage.tier} plan's projects (${projects.used} of ${projects.limit} used).`,
  };
}

/** The invitations page's list of projects offered to the signed-in musician. */
export function offersSection() {
  const list = h('ul.cards', { id: 'transfer-offers', 'aria-live': 'polite' });
  const message = messageBox();

  async function load() {
    // the plan's room is a hint next to each offer; without it the offers still show, and accepting still says
    // in words when the plan has no room
    const [answer, usage] = await Promise.all([get('/transfer-offers?direction=received'), get('/usage').catch(() => null)]);
    const room = roomFor(usage);
    list.replaceChildren();
    if (answer.items.length === 0) list.append(h('li.empty', { text: 'No projects offered to you.' }));
    for (const offer of answer.items) {
      const act = (verb) => async () => {
        message.clear();
        try {
          await post(`/transfer-offers/${offer.id}/${verb}`);
          if (verb === 'accept') {
            message.show(`“${offer.project_title}” is yours now. `, 'ok',
              h('a', { href: `#/projects/${offer.project_id}`, text: 'Open it' }));
          } else {
            message.show(`You declined “${offer.project_title}”.`, 'ok');
          }
        } catch (e) {
          showProblem(message, e); // no room in the plan: with the way out
        }
        await load();
      };
      list.append(h('li.card.offer', { 'data-offer-id': offer.id },
        h('h3', { text: offer.project_title }),
        h('p.meta', { text: `@${offer.from_username} offers you this project (${formatDateTime(offer.created_at)}). `
          + 'Accepting makes you its owner; they stay on as an admin collaborator.' }),
        room.text ? h('p.hint', { text: room.text }) : null,
        answerButtons(offer.project_title, act)));
    }
  }

  const section = h('section', { 'aria-labelledby': 'h-offers' },
    h('h2#h-offers', { text: 'Projects offered to you' }), message.el, list);
  return { section, load };
}
