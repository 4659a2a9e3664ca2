// The controls of one step of the chain: a number box and a slider per number parameter, a select per choice,
// bypass, and moving or removing the step. Every change goes through editor.edit(), so it can be undone.
import { h, field } from '../../shared/dom.js';
import { words } from '../../shared/words.js';
import { defaultOf, kindOf, paramWords } from './chain.js';

/** A pleasant slider step: a power of ten near a hundredth of the range. */
function sliderStep(p) {
  return 10 ** Math.floor(Math.log10((p.max - p.min) / 100));
}

/** Frequencies spanning decades move on a logarithmic slider (0..1000); everything else on a linear one. */
function sliderScale(p) {
  if (p.min > 0 && p.max / p.min >= 100) {
    const span = Math.log(p.max / p.min);
    return {
      attrs: { min: 0, max: 1000, step: 1 },
      toSlider: (v) => String(Math.round((Math.log(Math.min(p.max, Math.max(p.min, v)) / p.min) / span) * 1000)),
      fromSlider: (s) => Number((p.min * Math.exp((Number(s) / 1000) * span)).toPrecision(3)),
    };
  }
  const step = sliderStep(p);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return {
    attrs: { min: p.min, max: p.max, step },
    toSlider: (v) => String(Math.min(p.max, Math.max(p.min, v))),
    fromSlider: (s) => Number(Number(s).toFixed(decimals)),
  };
}

const withUnit = (n, p) => `${n}${p.unit ? ` ${p.unit}` : ''}`;

/**
 * How a number parameter is shown: as stored, except a gain stored as a plain factor ("x", e.g. the seed presets'
 * 3-band EQ, 1.0 = unity), which a musician reads and sets in dB (0 dB = unity); the chain keeps the factor.
 */
function presentation(p) {
  if (p.unit !== 'x' || !(p.min > 0) || !/^(low|mid|high)$/.test(p.name)) {
    return { p, toShown: (v) => v, toStored: (v) => v };
  }
  const toDb = (v) => Number((20 * Math.log10(v)).toFixed(1));
  return {
    p: {
      ...p, unit: 'dB', min: toDb(p.min), max: toDb(p.max),
      description: (p.description || '').replace(/Linear gain of/, 'Gain of')
        .replace(/\s*\(1\.0 = unity[^)]*\)/, ' (0 dB = unchanged)'),
    },
    toShown: (v) => toDb(v),
    toStored: (db) => Number((10 ** (db / 20)).toFixed(4)),
  };
}

/** The number box of parameter p (with its hint: range, description, an envelope it would replace). */
function numberField(item, index, p, canEdit, toShown) {
  const value = item.settings[p.name];
  const envelope = Array.isArray(value);
  const shown = toShown(envelope ? Number(value[0]?.[1] ?? defaultOf(p)) : Number(value));
  const label = `${paramWords(p)}${p.unit ? ` (${p.unit})` : ''}`;
  const f = field(label, {
    type: 'number', min: p.min, max: p.max, step: 'any', value: String(shown),
    'data-param': p.name, 'data-key': `${index}:${p.name}`, inputmode: 'decimal', disabled: !canEdit,
  }, `${p.min}–${withUnit(p.max, p)}. ${p.description || ''}${envelope
    ? ` Automated by an envelope of ${value.length} points; a value here replaces it.` : ''}`);
  return { f, label, shown };
}

/** A number parameter: the slider and the number box side by side, both named by the one label. */
export function numberControl(editor, item, index, stored) {
  const { p, toShown, toStored } = presentation(stored);
  const { f, label, shown: first } = numberField(item, index, p, editor.canEdit, toShown);
  let shown = first;
  const scale = sliderScale(p);
  const labelEl = f.row.querySelector('label');
  labelEl.id = `${f.input.id}-label`;
  const hintEl = f.row.querySelector('.hint');
  const slider = h('input.slider', {
    type: 'range', ...scale.attrs, value: scale.toSlider(shown), 'data-slider-for': p.name, 'data-key': `${index}:${p.name}:slider`,
    'aria-labelledby': labelEl.id, 'aria-describedby': hintEl?.id, 'aria-valuetext': withUnit(shown, p),
    disabled: !editor.canEdit,
  });
  const show = (n) => {
    f.input.value = String(n);
    slider.setAttribute('aria-valuetext', withUnit(n, p));
  };
  const commit = (n) => {
    shown = n;
    show(n);
    f.input.defaultValue = String(n); // committed: Ctrl+Z now belongs to the chain's history
    slider.value = scale.toSlider(n);
    editor.edit(`${paramWords(p).toLowerCase()} of ${words(item.type)} ${index + 1}`, () => {
      editor.chain[index].settings[p.name] = toStored(n);
    }, null);
  };
  slider.addEventListener('input', () => show(scale.fromSlider(slider.value)));
  slider.addEventListener('change', () => commit(scale.fromSlider(slider.value)));
  f.input.addEventListener('change', () => {
    const n = Number(f.input.value);
    // an emptied box is someone about to type: nothing changes until there is a number
    if (f.input.value.trim() === '') {
      f.input.setAttribute('aria-invalid', 'true');
      return;
    }
    f.input.removeAttribute('aria-invalid');
    if (!Number.isFinite(n) || n < p.min || n > p.max) {
      editor.message.show(`${label} must be a number from ${p.min} to ${withUnit(p.max, p)}; it stays ${shown}.`);
      f.input.value = String(shown);
      return;
    }
    commit(n);
  });
  const controls = h('div.param-controls');
  f.input.replaceWith(controls);
  controls.append(slider, f.input);
  f.row.classList.add('param');
  return f.row;
}

/** A choice parameter: a labelled select. */
export function choiceControl(editor, item, index, p) {
  const f = field(words(p.name), { tag: 'select', 'data-param': p.name, 'data-key': `${index}:${p.name}`, disabled: !editor.canEdit },
    p.description);
  const current = item.settings[p.name];
  for (const c of p.choices) {
    f.input.append(h('option', { value: c, text: c, selected: String(c).toLowerCase() === String(current).toLowerCase() }));
  }
  f.input.addEventListener('change', () => editor.edit(`${words(p.name).toLowerCase()} of ${words(item.type)} ${index + 1}`,
    () => {
      editor.chain[index].settings[p.name] = f.input.value;
    }, null));
  return f.row;
}

/** Up, Down and Remove of step index (editors only). */
function stepActions(editor, item, index, name) {
  const move = (delta, label) => editor.edit(`move ${name} ${label}`, () => {
    const { chain } = editor;
    const to = index + delta;
    [chain[index], chain[to]] = [chain[to], chain[index]];
  }, `${index + delta}:${label}`);
  return h('div.actions', {},
    h('button', {
      type: 'button', text: 'Up', 'aria-label': `Move ${item.type} up`, 'data-key': `${index}:up`,
      disabled: index === 0, onclick: () => move(-1, 'up'),
    }),
    h('button', {
      type: 'button', text: 'Down', 'aria-label': `Move ${item.type} down`, 'data-key': `${index}:down`,
      disabled: index === editor.chain.length - 1, onclick: () => move(1, 'down'),
    }),
    h('button.danger', {
      type: 'button', text: 'Remove', 'aria-label': `Remove ${item.type}`, 'data-key': `${index}:remove`,
      onclick: () => editor.edit(`remove ${name}`, () => editor.chain.splice(index, 1), `${Math.max(0, index - 1)}:remove`),
    }));
}

/** One step of the chain as a list item: its legend, bypass, actions, description and parameters. */
export function stepItem(editor, item, index) {
  const descriptor = editor.byType.get(item.type);
  const name = words(item.type);
  const rows = [];
  for (const p of descriptor?.parameters || []) {
    const kind = kindOf(p);
    if (kind === 'NUMBER') rows.push(numberControl(editor, item, index, p));
    else if (kind === 'CHOICE') rows.push(choiceControl(editor, item, index, p));
    else rows.push(h('p.hint', { text: `${words(p.name)}: set by a preset, not here yet (kept as it is).` }));
  }
  const legendId = editor.id(`effect-${index}-legend`);
  const bypassId = editor.id(`effect-${index}-bypass`);
  const bypass = h('input', {
    type: 'checkbox', id: bypassId, checked: item.bypass, 'data-key': `${index}:bypass`, disabled: !editor.canEdit,
    'aria-describedby': legendId,
    onchange: (event) => editor.edit(`${event.target.checked ? 'bypass' : 'un-bypass'} of ${name} ${index + 1}`, () => {
      editor.chain[index].bypass = event.target.checked;
    }, `${index}:bypass`),
  });
  return h(`li.effect${item.bypass ? '.bypassed' : ''}`, { 'data-effect': item.type, 'data-bypassed': String(item.bypass) },
    h('fieldset', {},
      h('legend', { id: legendId }, `${index + 1}. ${name}`, item.bypass ? h('span.badge', { text: 'bypassed' }) : null),
      h('div.effect-head', {},
        h('span.choice.bypass', {}, bypass, h('label', { for: bypassId, text: 'Bypass' })),
        editor.canEdit ? stepActions(editor, item, index, name) : null),
      descriptor?.description ? h('p.hint', { text: descriptor.description }) : null,
      descriptor ? null : h('p.message.error', { text: `Unknown effect type "${item.type}": remove it to save.` }),
      h('div.params', {}, rows)));
}
