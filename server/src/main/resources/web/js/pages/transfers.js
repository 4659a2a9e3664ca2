// Transfers as offers: the studio's "Transfer ownership" section (the owner offers or withdraws) and the
// "Projects offered to you" section of the invitations page (the recipient accepts or declines).
import { h, field, messageBox, formatDateTime } from '../dom.js';
import { del, get, post } from '../api.js';

/**
 * The submit of a form that names a musician (this transfer form, the collaborators' invite form): reads the
 * username field without a leading @; if it is empty, says `missing` and puts the focus there; otherwise disables
 * the submit button while send(name) runs, and on an error shows it and puts the focus back in the field.
 */
export async function submitUsername({ username, submit, message, missing }, send) {
  message.clear();
  const name = username.input.value.trim().replace(/^@/, '');
  if (!name) {
    message.show(missing);
    username.input.focus();
    return;
  }
  submit.disabled = true;
  try {
    await send(name);
  } catch (e) {
    message.show(e.message);
    username.input.focus();
  } finally {
    submit.disabled = false;
  }
}

/** The studio's transfer section, for the project's owner only. */
export function transferSection({ projectId }) {
  const status = h('div#transfer-status', { 'aria-live': 'polite' });
  const message = messageBox();
  const username = field('Username to offer the project to', { id: 'transfer-username', required: true, autocomplete: 'off' },
    'Nothing changes until they accept. Then they own the project and it counts toward their plan; '
      + 'you stay on as an admin collaborator, which they may change.');
  const submit = h('button', { type: 'submit', text: 'Offer project' });
  const form = h('form.add', {
    id: 'transfer-form',
    onsubmit: async (event) => {
      event.preventDefault();
      await submitUsername({
        username, submit, message, missing: 'Type the username of the person to offer the project to.',
      }, async (name) => {
        await post(`/projects/${projectId}/transfer`, { username: name });
        username.input.value = '';
        message.show(`Offered to @${name}. They will find it under Invitations.`, 'ok');
        await load();
      });
    },
  }, username.row, submit);

  async function withdraw(offer) {
    message.clear();
    try {
      await del(`/transfer-offers/${offer.id}`);
      message.show(`Your offer to @${offer.to_username} is withdrawn.`, 'ok');
    } catch (e) {
      message.show(e.message);
    }
    await load();
  }

  async function load() {
    const latest = (await get(`/transfer-offers?direction=sent&status=all&limit=1&project_id=${projectId}`)).items[0];
    status.replaceChildren();
    if (latest?.status === 'pending') {
      form.hidden = true;
      status.append(
        h('p', { text: `Offered to @${latest.to_username} on ${formatDateTime(latest.created_at)}. Waiting for their answer.` }),
        h('div.actions', {}, h('button.danger', {
          type: 'button', id: 'withdraw-transfer', text: 'Withdraw offer', onclick: () => withdraw(latest),
        })));
      return;
    }
    form.hidden = false;
    if (latest?.status === 'declined') {
      status.append(h('p.meta', { text: `@${latest.to_username} declined your last offer (${formatDateTime(latest.answered_at)}).` }));
    }
  }

  const section = h('section.card', { 'aria-labelledby': 'h-transfer', id: 'transfer' },
    h('h2#h-transfer', { text: 'Transfer ownership' }), status, form, message.el);
  load().catch((e) => message.show(e.message));
  return section;
}

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
          message.show(e.message);
        }
        await load();
      };
      list.append(h('li.card.offer', { 'data-offer-id': offer.id },
        h('h3', { text: offer.project_title }),
        h('p.meta', { text: `@${offer.from_username} offers you this project (${formatDateTime(offer.created_at)}). `
          + 'Accepting makes you its owner; they stay on as an admin collaborator.' }),
        room.text ? h('p.hint', { text: room.text }) : null,
        h('div.actions', {},
          h('button.primary', { type: 'button', text: 'Accept', 'aria-label': `Accept ${offer.project_title}`, onclick: act('accept') }),
          h('button', { type: 'button', text: 'Decline', 'aria-label': `Decline ${offer.project_title}`, onclick: act('decline') }))));
    }
  }

  const section = h('section', { 'aria-labelledby': 'h-offers' },
    h('h2#h-offers', { text: 'Projects offered to you' }), message.el, list);
  return { section, load };
}
