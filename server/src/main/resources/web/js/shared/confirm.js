// Asking before something that cannot be taken back (delete a preset, restore a version): an inline question
// rather than window.confirm, so it is styled, labelled and reachable by keyboard like the rest of the page.
import { h } from './dom.js';

/**
 * Wires `opener` (a button with aria-expanded) to an inline group holding `question`, `yes` and `no`: the opener
 * shows it and moves the focus to `no`; `no` hides it and gives the focus back to the opener; `yes` runs onYes.
 * Returns the group, to be placed after the opener.
 */
export function inlineConfirm(opener, { label, question, yes, no, onYes }) {
  const box = h('div.confirm', { hidden: true, role: 'group', 'aria-label': label }, question, yes, no);
  opener.addEventListener('click', () => {
    box.hidden = false;
    opener.setAttribute('aria-expanded', 'true');
    no.focus();
  });
  no.addEventListener('click', () => {
    box.hidden = true;
    opener.setAttribute('aria-expanded', 'false');
    opener.focus();
  });
  yes.addEventListener('click', onYes);
  return box;
}
