// The studio's "Versions" section: the project's versions, a snapshot of the whole song (take, render, tracks,
// effects, master fader, tempo), and restoring one (asked first, saying what happens to what is current).
import { h, field, messageBox } from '../shared/dom.js';
import { inlineConfirm } from '../shared/confirm.js';
import { get, post } from '../api.js';
import { showProblem } from '../account/way-out.js';
import { studioCard } from './card.js';

/** The studio's "Versions" section: list, snapshot, restore. onRestored runs after a version became current. */
export function versionsSection({ projectId, canEdit, onRestored }) {
  const list = h('ol.versions', { id: 'versions', 'aria-live': 'polite' });
  const message = messageBox();
  const title = field('Version title', { id: 'version-title', maxlength: 200, placeholder: 'e.g. Before the new chorus' });
  const snapshot = h('button', {
    type: 'button', id: 'snapshot', text: 'Save snapshot', disabled: !canEdit,
    onclick: async () => {
      message.clear();
      snapshot.disabled = true;
      try {
        const body = title.input.value.trim() ? { title: title.input.value.trim() } : {};
        const v = await post(`/projects/${projectId}/versions`, body);
        message.show(`Saved version ${v.version_number}.`, 'ok');
        title.input.value = '';
        await load();
      } catch (e) {
        showProblem(message, e);
      } finally {
        snapshot.disabled = !canEdit;
      }
    },
  });

  async function load() {
    const answer = await get(`/projects/${projectId}/versions?limit=50`);
    list.replaceChildren();
    if (answer.items.length === 0) list.append(h('li.empty', { text: 'No versions yet.' }));
    // Newest first: the version a restore will save what is current as is the next number.
    const next = answer.items.length ? answer.items[0].version_number + 1 : 1;
    for (const v of answer.items) {
      list.append(versionItem(v, next));
    }
  }

  /** One version; Restore… asks first and says what happens to what is current. */
  function versionItem(v, next) {
    const li = h('li', { 'data-version': v.version_number },
      h('span', { text: `Version ${v.version_number}: ${v.title || 'untitled'}` }),
      h('span.meta', { text: ` ${new Date(v.created_at).toLocaleString()}` }));
    if (!canEdit) return li;
    const restore = h('button', {
      type: 'button', text: 'Restore…', 'aria-label': `Restore version ${v.version_number}…`, 'aria-expanded': 'false',
    });
    const yes = h('button', { type: 'button', text: `Yes, restore version ${v.version_number}` });
    const confirmBox = inlineConfirm(restore, {
      label: `Restore version ${v.version_number}?`,
      question: h('p.restore-warning', {
        text: `Version ${v.version_number} becomes current again: its take, render, tracks, effects, master fader `
          + `and tempo. What is current now will be kept as version ${next}, so you can restore it later.`,
      }),
      yes,
      no: h('button', { type: 'button', text: 'Cancel' }),
      onYes: async () => {
        message.clear();
        yes.disabled = true;
        try {
          const kept = await post(`/projects/${projectId}/versions/${v.version_number}/restore`);
          message.show(`Version ${v.version_number} is current again; what was current is kept as version `
            + `${kept.version_number}.`, 'ok');
          await onRestored();
          await load();
        } catch (e) {
          showProblem(message, e);
          yes.disabled = false;
        }
      },
    });
    li.append(restore, confirmBox);
    return li;
  }
  load().catch((e) => showProblem(message, e));

  const section = studioCard('versions', 'Versions',
    canEdit ? h('div.add', {}, title.row, snapshot) : null, message.el, list);
  return { section, reload: () => load().catch((e) => showProblem(message, e)) };
}
