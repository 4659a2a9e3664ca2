// What a render or an export did to the master: the safety limiter's controls (sent with the request) and the
// figures the job measured while it wrote the file (peaks in dBFS/dBTP, loudness in LUFS, clipped samples),
// with a warning when samples clipped.
import { h, field } from '../shared/dom.js';
import { count, decibels } from '../shared/words.js';

/**
 * A labelled "Safety limiter" checkbox and its ceiling in dBTP. prefix names the ids (render, export).
 * Returns {el, value()}; value() gives the request fields {safety_limiter, limiter_ceiling_dbtp}.
 */
export function safetyLimiterControls(prefix, { on, disabled = false }) {
  const checkId = `${prefix}-limiter`;
  const check = h('input', { type: 'checkbox', id: checkId, checked: on, disabled });
  const ceiling = field('Ceiling (dBTP)', {
    id: `${prefix}-ceiling`, type: 'number', min: '-20', max: '0', step: '0.1', value: '-1', disabled,
    inputmode: 'decimal',
  }, 'The highest true peak the limiter lets through, −20 to 0 dBTP.');
  const sync = () => { ceiling.input.disabled = disabled || !check.checked; };
  check.addEventListener('change', sync);
  sync();
  const el = h('div.limiter', {},
    h('div.field.inline', {}, check,
      h('label', { for: checkId, text: 'Safety limiter (keeps the true peak under the ceiling)' })),
    ceiling.row);
  return {
    el,
    value() {
      const dbtp = Number(ceiling.input.value);
      return check.checked
        ? { safety_limiter: true, limiter_ceiling_dbtp: Number.isFinite(dbtp) ? dbtp : -1 }
        : { safety_limiter: false };
    },
  };
}

/**
 * The figures of a render's or export's result as a description list, and, when samples clipped, a warning.
 * Returns null when the result carries no figures (a job from before they existed).
 */
export function masterFigures(result, id) {
  if (!result || result.clipped_samples === undefined) return null;
  const clipped = Number(result.clipped_samples) || 0;
  const row = (term, value, key) => [h('dt', { text: term }), h('dd', { text: value, 'data-figure': key })];
  const limiter = result.safety_limiter
    ? `on, ceiling ${decibels(result.limiter_ceiling_dbtp, 'dBTP')}` : 'off';
  const list = h('dl.figures', { 'aria-label': 'Level of the file' },
    ...row('Sample peak', decibels(result.sample_peak_dbfs, 'dBFS'), 'sample_peak_dbfs'),
    ...row('True peak', decibels(result.true_peak_dbtp, 'dBTP'), 'true_peak_dbtp'),
    ...row('Loudness', result.integrated_lufs === null ? 'silent' : decibels(result.integrated_lufs, 'LUFS'),
      'integrated_lufs'),
    ...row('Clipped samples', clipped.toLocaleString(), 'clipped_samples'),
    ...row('Safety limiter', limiter, 'safety_limiter'));
  const box = h('div.master', { id, 'data-clipped': String(clipped) }, list);
  if (clipped > 0) {
    const samples = count(clipped, 'sample', 'samples');
    box.append(h('p.message.warning.clipping', {
      role: 'alert', text: `${samples} clipped — turn down or use the safety limiter.`,
    }));
  }
  return box;
}
