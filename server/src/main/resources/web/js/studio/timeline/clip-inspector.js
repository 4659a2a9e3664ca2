// The selected clip's own settings, in the transport bar: its gain in dB and its fades in milliseconds. Each change
// is one undoable edit (PATCH the clip); a fade that would not fit in the clip is refused here, in words.
import { h } from '../../shared/dom.js';

/** ctx: {store, edits, canEdit, report(error)}. Returns {el, render()}. */
export function clipInspector(ctx) {
  const { store } = ctx;
  const input = (id, label, attrs) => {
    const el = h('input', { type: 'number', id, inputmode: 'decimal', ...attrs });
    return { el, row: h('span.insp-field', {}, h('label', { for: id, text: label }), el) };
  };
  const gain = input('clip-gain', 'Clip gain (dB)', { min: '-96', max: '24', step: '0.5' });
  const fadeIn = input('clip-fade-in', 'Fade in (ms)', { min: '0', step: '10' });
  const fadeOut = input('clip-fade-out', 'Fade out (ms)', { min: '0', step: '10' });
  const el = h('div.clip-inspector', { role: 'group', 'aria-label': 'Selected clip', hidden: true },
    gain.row, fadeIn.row, fadeOut.row);

  const selected = () => (store.selected ? store.clip(store.selected)?.clip : null);
  const ms = (frames) => Math.round((frames / store.doc.sample_rate) * 1000);
  const frames = (milliseconds) => Math.round((milliseconds / 1000) * store.doc.sample_rate);

  function render() {
    const clip = selected();
    el.hidden = !clip || !ctx.canEdit;
    if (!clip) return;
    for (const [field, value] of [[gain, clip.gain_db], [fadeIn, ms(clip.fade_in_frames)], [fadeOut, ms(clip.fade_out_frames)]]) {
      if (document.activeElement !== field.el) field.el.value = String(value);
    }
    fadeIn.el.max = String(ms(clip.length_frames - clip.fade_out_frames));
    fadeOut.el.max = String(ms(clip.length_frames - clip.fade_in_frames));
  }

  function change(field, toChanges, label) {
    field.el.addEventListener('change', () => {
      const clip = selected();
      const value = Number(field.el.value);
      if (!clip || field.el.value === '' || !Number.isFinite(value)) {
        render();
        return;
      }
      const changes = toChanges(value, clip);
      if (!changes) {
        render();
        return;
      }
      ctx.edits.changeClip(clip.id, changes, label).catch(ctx.report);
    });
    field.el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') field.el.blur();
    });
  }
  change(gain, (db) => ({ gain_db: Math.max(-96, Math.min(24, Math.round(db * 10) / 10)) }), 'clip gain');
  const fade = (which) => (milliseconds, clip) => {
    const wanted = Math.max(0, frames(milliseconds));
    const other = which === 'fade_in_frames' ? clip.fade_out_frames : clip.fade_in_frames;
    if (wanted + other > clip.length_frames) {
      ctx.report(new Error(`The fades must fit in the clip: at most ${ms(clip.length_frames - other)} ms here.`));
      return null;
    }
    return { [which]: wanted };
  };
  change(fadeIn, fade('fade_in_frames'), 'fade in');
  change(fadeOut, fade('fade_out_frames'), 'fade out');

  return { el, render };
}
