// One track of the timeline: its header (colour, name, mute, solo, order, delete — compact, every control
// labelled) and its lane, where its clips sit at their frames. Kept by id and updated in place, so a control being
// used keeps its focus while the arrangement changes around it.
import { h } from '../../shared/dom.js';
import { clipView } from './clip-view.js';

/** A track's row. ctx as clip-view.js's, plus edits for the header's controls. */
export function trackRow(track, ctx) {
  const { edits } = ctx;
  let current = track;
  const colour = h('input.track-colour', { type: 'color' });
  const name = h('input.track-name', { type: 'text', maxlength: '100', autocomplete: 'off', spellcheck: 'false' });
  const mute = h('button.toggle.mute', { type: 'button', text: 'M' });
  const solo = h('button.toggle.solo', { type: 'button', text: 'S' });
  const up = h('button.small.order', { type: 'button', text: '↑' });
  const down = h('button.small.order', { type: 'button', text: '↓' });
  const remove = h('button.small.danger', { type: 'button', text: '×' });
  const head = h('div.tl-head', {},
    h('div.head-line', {}, colour, name),
    h('div.head-line', {}, mute, solo, ctx.canEdit ? up : null, ctx.canEdit ? down : null, ctx.canEdit ? remove : null));
  const lane = h('div.tl-lane', { role: 'group' });
  const el = h('div.tl-row', {}, head, lane);
  const clips = new Map(); // clip id → clipView

  for (const control of [colour, name, up, down, remove]) control.disabled = !ctx.canEdit;
  mute.disabled = !ctx.canEdit;
  solo.disabled = !ctx.canEdit;

  const act = (work) => Promise.resolve().then(work).catch(ctx.report);
  mute.addEventListener('click', () => act(() => ctx.setTrack(current.id, { muted: !current.muted }, current.muted ? 'unmute' : 'mute')));
  solo.addEventListener('click', () => act(() => ctx.setTrack(current.id, { soloed: !current.soloed }, current.soloed ? 'unsolo' : 'solo')));
  up.addEventListener('click', () => act(() => edits.moveTrack(current.id, -1)));
  down.addEventListener('click', () => act(() => edits.moveTrack(current.id, 1)));
  remove.addEventListener('click', () => act(() => edits.deleteTrack(current.id)));
  const rename = () => {
    const wanted = name.value.trim();
    if (!wanted || wanted === current.name) {
      name.value = current.name;
      return;
    }
    act(() => edits.changeTrack(current.id, { name: wanted }, { label: 'rename track' }));
  };
  name.addEventListener('change', rename);
  name.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') name.blur();
    if (event.key === 'Escape') {
      name.value = current.name;
      name.blur();
    }
  });
  colour.addEventListener('change', () => act(() => edits.changeTrack(current.id, { colour: colour.value }, { label: 'change track colour' })));

  function update(t) {
    current = t;
    el.dataset.trackId = t.id;
    el.style.setProperty('--track', t.colour || '#4f8cff');
    if (document.activeElement !== name) name.value = t.name;
    colour.value = t.colour || '#4f8cff';
    colour.setAttribute('aria-label', `Colour of ${t.name}`);
    name.setAttribute('aria-label', `Name of track ${t.position + 1}`);
    for (const [button, on, word] of [[mute, t.muted, 'Mute'], [solo, t.soloed, 'Solo']]) {
      button.setAttribute('aria-pressed', String(Boolean(on)));
      button.setAttribute('aria-label', `${word} ${t.name}`);
      button.title = `${word} ${t.name}`;
    }
    up.setAttribute('aria-label', `Move ${t.name} up`);
    down.setAttribute('aria-label', `Move ${t.name} down`);
    up.disabled = !ctx.canEdit || t.position === 0;
    down.disabled = !ctx.canEdit || t.position === ctx.store.tracks.length - 1;
    remove.setAttribute('aria-label', `Delete ${t.name}`);
    remove.title = `Delete ${t.name} and its clips`;
    lane.setAttribute('aria-label', `Clips of ${t.name}`);
    el.classList.toggle('muted', Boolean(t.muted));
    el.classList.toggle('silent', !ctx.heard(t));

    // clips: keep the views of clips still here, make the new ones, drop the gone ones
    const seen = new Set();
    t.clips.forEach((clip, i) => {
      seen.add(clip.id);
      let view = clips.get(clip.id);
      if (!view) {
        view = clipView(clip, t, ctx);
        clips.set(clip.id, view);
        lane.append(view.el);
      }
      view.update(clip, t);
      // drawn as heard: a clip that starts later covers the earlier ones (mix-laws.js layout())
      view.el.style.zIndex = String(i + 1);
    });
    for (const [id, view] of clips) {
      if (!seen.has(id)) {
        view.el.remove();
        clips.delete(id);
      }
    }
  }

  update(track);
  return {
    el,
    lane,
    clips,
    update,
    /** Positions and waveforms again after a zoom or a scroll. */
    place() {
      for (const view of clips.values()) view.place();
    },
    draw() {
      for (const view of clips.values()) view.draw();
    },
    describe() {
      for (const view of clips.values()) view.describe();
    },
  };
}
