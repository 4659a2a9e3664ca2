// The "Takes" panel: the project's pool of takes (uploads, recordings), each placed on a track at the playhead in
// one undoable step, and a file picker that adds a take to the pool and places it. Takes no clip plays can be
// deleted from the pool.
import { h, messageBox } from '../../shared/dom.js';
import { uploadTake, deleteTake } from '../../api.js';
import { formatSeconds, count } from '../../shared/words.js';
import { studioCard } from '../card.js';
import { handleOf } from './media.js';

const NEW_TRACK = '';

/**
 * ctx: {projectId, canEdit, store, media, edits, playhead() → frame, newTrackFields() → {name?, colour}, report}.
 * Returns {section, render()}.
 */
export function takesPanel(ctx) {
  const { store, media } = ctx;
  const message = messageBox();
  const list = h('ul.takes#takes', {});
  const target = h('select#take-track', {});
  const file = h('input#take-file', { type: 'file', accept: 'audio/*,.wav,.flac,.mp3,.ogg,.m4a,.aif,.aiff' });
  const progress = h('progress', { max: '1', value: '0', hidden: true });

  /** Where a take goes: the chosen track, else a new one. */
  function placement(take) {
    const trackId = target.value || null;
    return trackId && store.track(trackId) ? { trackId }
      : { trackId: null, newTrack: { ...ctx.newTrackFields(), name: take.name } };
  }

  async function place(take) {
    message.clear();
    const rate = store.doc.sample_rate;
    const handle = handleOf(take);
    const length = media.frames(handle, rate);
    if (!length) {
      message.show(`${take.name}: its length is not known, so it cannot be placed.`);
      return;
    }
    if (take.sample_rate && take.sample_rate !== rate) {
      message.show(`${take.name} is at ${take.sample_rate} Hz and the song at ${rate} Hz: it is placed, but a mixdown will refuse it until they match.`, 'warning');
    }
    const start = Math.round(ctx.playhead());
    await ctx.edits.placeTake({ take: handle, start_frame: start, offset_frames: 0, length_frames: length }, placement(take));
    await media.reload();
  }

  async function upload() {
    const chosen = file.files?.[0];
    if (!chosen) return;
    message.clear();
    progress.hidden = false;
    progress.value = 0;
    try {
      const name = chosen.name.replace(/\.[^.]+$/, '').trim().slice(0, 100) || undefined;
      const take = await uploadTake(ctx.projectId, chosen, { name, onProgress: (f) => { progress.value = f; } });
      await media.reload();
      await place(take);
      message.show(`Added ${take.name} at the playhead.`, 'ok');
    } catch (e) {
      ctx.report(e, message);
    } finally {
      progress.hidden = true;
      file.value = '';
    }
  }

  function render() {
    const chosen = target.value;
    target.replaceChildren(
      ...store.tracks.map((t) => h('option', { value: t.id, text: t.name, selected: t.id === chosen })),
      h('option', { value: NEW_TRACK, text: 'A new track', selected: !chosen || !store.track(chosen) }));
    const takes = media.takes();
    list.replaceChildren(...(takes.length ? takes.map((take) => {
      const handle = handleOf(take);
      const facts = [formatSeconds(Number(take.duration_seconds)), take.sample_rate && `${take.sample_rate} Hz`,
        take.channels === 1 ? 'mono' : take.channels === 2 ? 'stereo' : take.channels && `${take.channels} channels`,
        `on ${count(take.clips || 0, 'clip', 'clips')}`].filter(Boolean).join(' · ');
      const placeButton = h('button', {
        type: 'button', text: 'Place at the playhead', 'aria-label': `Place ${take.name} at the playhead`,
        onclick: () => place(take).catch((e) => ctx.report(e, message)),
      });
      const remove = h('button.danger', {
        type: 'button', text: 'Delete', 'aria-label': `Delete ${take.name} from the project`,
        onclick: async () => {
          try {
            await deleteTake(ctx.projectId, handle);
            await media.reload();
            message.show(`${take.name} is no longer in the project.`, 'ok');
          } catch (e) {
            ctx.report(e, message);
          }
        },
      });
      return h('li.take', { 'data-take': handle },
        h('span.take-name', { text: take.name }), h('span.meta', { text: facts }),
        ctx.canEdit ? h('span.actions', {}, placeButton, take.clips ? null : remove) : null);
    }) : [h('li.empty', { text: 'No takes yet: upload one, or record one in “Record”.' })]));
  }

  file.addEventListener('change', upload);
  media.subscribe(render);
  store.subscribe((reason) => {
    if (reason !== 'select' && reason !== 'mix') render();
  });
  render();

  const section = studioCard('takes', 'Takes',
    ctx.canEdit ? h('div.take-tools', {},
      h('div.field', {}, h('label', { for: 'take-file', text: 'Add a take from a file' }), file),
      h('div.field', {}, h('label', { for: 'take-track', text: 'Place takes on' }), target)) : null,
    progress, list, message.el);
  return { section, render };
}
