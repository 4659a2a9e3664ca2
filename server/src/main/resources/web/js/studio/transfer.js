// The studio's "Transfer ownership" section: the owner offers the project to another musician, or withdraws the
// offer; the recipient answers under Invitations (js/invitations/offers.js).
import { h, field, messageBox } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { submitUsername } from '../shared/username.js';
import { studioCard } from './card.js';
import { del, get, post } from '../api.js';
import { showProblem } from '../account/way-out.js';

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
        // said once, by the status line that shows the open offer (the form it was sent from is hidden now)
        await load();
        document.getElementById('withdraw-transfer')?.focus();
      });
    },
  }, username.row, submit);

  async function withdraw(offer) {
    message.clear();
    try {
      await del(`/transfer-offers/${offer.id}`);
      message.show(`Your offer to @${offer.to_username} is withdrawn.`, 'ok');
    } catch (e) {
      showProblem(message, e);
    }
    await load().catch((e) => showProblem(message, e));
  }

  async function load() {
    const latest = (await get(`/transfer-offers?direction=sent&status=all&limit=1&project_id=${projectId}`)).items[0];
    status.replaceChildren();
    if (latest?.status === 'pending') {
      form.hidden = true;
      status.append(
        h('p', { text: `Offered to @${latest.to_username} on ${formatDateTime(latest.created_at)}. They will find it `
          + 'under Invitations; waiting for their answer.' }),
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

  const section = studioCard('transfer', 'Transfer ownership', status, form, message.el);
  section.id = 'transfer';
  load().catch((e) => showProblem(message, e));
  return section;
}
