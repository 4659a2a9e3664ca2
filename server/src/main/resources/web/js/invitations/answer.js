// Answering what another musician offers (a project, a place as collaborator): Accept and Decline, named with
// what they answer so a screen reader can tell the buttons of one card from the next.
import { h } from '../shared/dom.js';

/** Accept and Decline for `title`; act(verb) gives the click handler of "accept" or "decline". */
export function answerButtons(title, act) {
  return h('div.actions', {},
    h('button.primary', { type: 'button', text: 'Accept', 'aria-label': `Accept ${title}`, onclick: act('accept') }),
    h('button', { type: 'button', text: 'Decline', 'aria-label': `Decline ${title}`, onclick: act('decline') }));
}
