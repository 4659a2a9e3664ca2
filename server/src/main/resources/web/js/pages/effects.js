// The studio's effects chain editor (add, remove, reorder, bypass, parameters with sliders, presets, undo/redo)
// and its render section (saves the chain, renders it, follows the job live).
import { h, field, messageBox } from '../dom.js';
import { currentUser, get, post, put } from '../api.js';
import { followJob } from '../jobs.js';
import { safetyLimiterControls, masterFigures } from '../master.js';

/** How many chain edits undo remembers. */
export const HISTORY_LIMIT = 100;

let catalogCache = null;

/** GET /effects/catalog, once per page load. */
export async function effectsCatalog() {
  if (!catalogCache) catalogCache = (await get('/effects/catalog')).effects;
  return catalogCache;
}

/** "room_size" → "Room size" */
export const words = (name) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

/** A parameter's name without the unit its label shows anyway: "threshold_db" → "Threshold" (+ " (dB)"). */
const paramWords = (p) => words(p.unit ? p.name.replace(/_(db|ms|hz|seconds)$/, '') : p.name);

const kindOf = (p) => String(p.kind || 'NUMBER').toUpperCase();
const defaultOf = (p) => (p.default_value ?? p.defaultValue ?? p.min);
const choiceDefault = (p) => p.choices[defaultOf(p)] ?? p.choices[0];
/** Effects whose settings the page can edit whole (nested chains are API-only, so they are not offered to add). */
const editable = (descriptor) => !(descriptor.parameters || []).some((p) => kindOf(p) === 'CHAINS');

/**
 * One chain step as the editor keeps it: settings under canonical names (a preset's legacy alias such as delay
 * "time" becomes "delay_seconds"), every NUMBER and CHOICE present (defaults filled in), bypass a boolean.
 * Settings the page cannot show (envelopes, EQ bands, nested chains) are kept as they are.
 */
function normalizeStep(step, byType) {
  const descriptor = byType.get(step?.type);
  const given = { ...(step?.settings || {}) };
  const settings = {};
  for (const p of descriptor?.parameters || []) {
    for (const alias of p.aliases || []) {
      if (alias in given && !(p.name in given)) given[p.name] = given[alias];
      delete given[alias];
    }
    const kind = kindOf(p);
    if (p.name in given) settings[p.name] = given[p.name];
    else if (kind === 'NUMBER') settings[p.name] = defaultOf(p);
    else if (kind === 'CHOICE') settings[p.name] = choiceDefault(p);
    delete given[p.name];
  }
  Object.assign(settings, given); // anything unknown stays, so the server can name it
  return { type: String(step?.type), settings, bypass: step?.bypass === true };
}

const normalizeChain = (chain, byType) => (Array.isArray(chain) ? chain : []).map((s) => normalizeStep(s, byType));

/** The chain as the API stores it: "bypass" only where it is on. */
const toApi = (chain) => chain.map((s) => (s.bypass ? { type: s.type, settings: s.settings, bypass: true }
  : { type: s.type, settings: s.settings }));

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

const summary = (chain) => (chain.length ? chain.map((s) => words(s.type) + (s.bypass ? ' (bypassed)' : '')).join(' → ')
  : 'no effects');

/**
 * The effects chain card and the render card of a project's studio.
 * onRendered(job) runs after a render succeeded (the studio reloads the project and plays the processed audio).
 * Returns {sections: [chain card, render card], load(effectsSettings)}; load() shows a chain stored elsewhere
 * (after a version restore) as the saved state.
 */
export async function effectsSection({ projectId, project, canEdit, disposers, onRendered = async () => {} }) {
  const effects = await effectsCatalog();
  const byType = new Map(effects.map((e) => [e.type, e]));

  let chain = normalizeChain(project.effects_settings?.chain, byType);
  let saved = JSON.stringify(toApi(chain));
  const undoStack = [];
  const redoStack = [];

  const chainList = h('ol.chain', { id: 'effects-chain', tabindex: '-1', 'aria-label': 'Effects, in processing order' });
  const chainMessage = messageBox();
  const historyStatus = h('p.status.visually-hidden', { id: 'chain-history-status', role: 'status', 'aria-live': 'polite' });
  const saveState = h('span.save-state', { id: 'chain-save-state', role: 'status' });

  // ---- history
  const snapshot = () => structuredClone(chain);
  const undoButton = h('button', {
    type: 'button', id: 'chain-undo', text: 'Undo', 'aria-keyshortcuts': 'Control+Z Meta+Z', onclick: () => undo(),
  });
  const redoButton = h('button', {
    type: 'button', id: 'chain-redo', text: 'Redo', 'aria-keyshortcuts': 'Control+Shift+Z Meta+Shift+Z Control+Y',
    onclick: () => redo(),
  });

  function refreshControls() {
    const lastUndo = undoStack[undoStack.length - 1];
    const lastRedo = redoStack[redoStack.length - 1];
    const wasFocused = document.activeElement;
    undoButton.disabled = !lastUndo;
    redoButton.disabled = !lastRedo;
    undoButton.setAttribute('aria-label', lastUndo ? `Undo ${lastUndo.label}` : 'Undo (nothing to undo)');
    redoButton.setAttribute('aria-label', lastRedo ? `Redo ${lastRedo.label}` : 'Redo (nothing to redo)');
    undoButton.title = undoButton.getAttribute('aria-label');
    redoButton.title = redoButton.getAttribute('aria-label');
    // a button that just became disabled must not swallow the keyboard focus
    if (wasFocused === undoButton && undoButton.disabled) (redoButton.disabled ? chainList : redoButton).focus();
    if (wasFocused === redoButton && redoButton.disabled) (undoButton.disabled ? chainList : undoButton).focus();
    const dirty = JSON.stringify(toApi(chain)) !== saved;
    saveState.textContent = dirty ? 'Unsaved changes' : 'Saved';
    saveState.dataset.dirty = String(dirty);
    chainList.dataset.chain = JSON.stringify(toApi(chain));
  }

  /**
   * Applies one edit of the chain as a step of history (nothing is recorded when it changed nothing). Structural
   * edits redraw the chain (focus returns to the control named by focusKey); a parameter edit (focusKey null) is
   * already on screen, so nothing is redrawn and keyboard focus goes on where the person moves it.
   */
  function edit(label, mutate, focusKey) {
    const before = snapshot();
    mutate();
    if (JSON.stringify(chain) !== JSON.stringify(before)) {
      undoStack.push({ chain: before, label });
      if (undoStack.length > HISTORY_LIMIT) undoStack.shift();
      redoStack.length = 0;
      chainMessage.clear();
    }
    if (focusKey === null) refreshControls();
    else renderChain(focusKey);
  }

  function travel(from, to, verb) {
    const entry = from.pop();
    if (!entry) return;
    to.push({ chain: snapshot(), label: entry.label });
    chain = entry.chain;
    const key = document.activeElement?.dataset?.key;
    renderChain(key);
    historyStatus.textContent = `${verb} ${entry.label}. Chain: ${summary(chain)}.`;
  }
  const undo = () => travel(undoStack, redoStack, 'Undone:');
  const redo = () => travel(redoStack, undoStack, 'Redone:');

  // ---- the chain
  function numberControl(item, index, p) {
    const label = `${paramWords(p)}${p.unit ? ` (${p.unit})` : ''}`;
    const key = `${index}:${p.name}`;
    const value = item.settings[p.name];
    const envelope = Array.isArray(value);
    let shown = envelope ? Number(value[0]?.[1] ?? defaultOf(p)) : Number(value);
    const scale = sliderScale(p);
    const f = field(label, {
      type: 'number', min: p.min, max: p.max, step: 'any', value: String(shown),
      'data-param': p.name, 'data-key': key, inputmode: 'decimal', disabled: !canEdit,
    }, `${p.min}–${p.max}${p.unit ? ` ${p.unit}` : ''}. ${p.description || ''}${envelope
      ? ` Automated by an envelope of ${value.length} points; a value here replaces it.` : ''}`);
    const labelEl = f.row.querySelector('label');
    labelEl.id = `${f.input.id}-label`;
    const hintEl = f.row.querySelector('.hint');
    const slider = h('input.slider', {
      type: 'range', ...scale.attrs, value: scale.toSlider(shown), 'data-slider-for': p.name, 'data-key': `${key}:slider`,
      'aria-labelledby': labelEl.id, 'aria-describedby': hintEl?.id, 'aria-valuetext': `${shown}${p.unit ? ` ${p.unit}` : ''}`,
      disabled: !canEdit,
    });
    const show = (n) => {
      f.input.value = String(n);
      slider.setAttribute('aria-valuetext', `${n}${p.unit ? ` ${p.unit}` : ''}`);
    };
    const commit = (n) => {
      shown = n;
      show(n);
      f.input.defaultValue = String(n); // committed: Ctrl+Z now belongs to the chain's history
      slider.value = scale.toSlider(n);
      edit(`${paramWords(p).toLowerCase()} of ${words(item.type)} ${index + 1}`, () => {
        chain[index].settings[p.name] = n;
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
        chainMessage.show(`${label} must be a number from ${p.min} to ${p.max}${p.unit ? ` ${p.unit}` : ''}; `
          + `it stays ${shown}.`);
        f.input.value = String(shown);
        return;
      }
      commit(n);
    });
    // the slider and the number box side by side, both named by the one label
    const controls = h('div.param-controls');
    f.input.replaceWith(controls);
    controls.append(slider, f.input);
    f.row.classList.add('param');
    return f.row;
  }

  function choiceControl(item, index, p) {
    const key = `${index}:${p.name}`;
    const f = field(words(p.name), { tag: 'select', 'data-param': p.name, 'data-key': key, disabled: !canEdit },
      p.description);
    const current = item.settings[p.name];
    for (const c of p.choices) {
      f.input.append(h('option', { value: c, text: c, selected: String(c).toLowerCase() === String(current).toLowerCase() }));
    }
    f.input.addEventListener('change', () => edit(`${words(p.name).toLowerCase()} of ${words(item.type)} ${index + 1}`,
      () => {
        chain[index].settings[p.name] = f.input.value;
      }, null));
    return f.row;
  }

  function stepItem(item, index) {
    const descriptor = byType.get(item.type);
    const name = words(item.type);
    const rows = [];
    for (const p of descriptor?.parameters || []) {
      const kind = kindOf(p);
      if (kind === 'NUMBER') rows.push(numberControl(item, index, p));
      else if (kind === 'CHOICE') rows.push(choiceControl(item, index, p));
      else rows.push(h('p.hint', { text: `${words(p.name)}: edited through the API for now (kept as it is).` }));
    }
    const legendId = `effect-${index}-legend`;
    const bypassId = `effect-${index}-bypass`;
    const bypass = h('input', {
      type: 'checkbox', id: bypassId, checked: item.bypass, 'data-key': `${index}:bypass`, disabled: !canEdit,
      'aria-describedby': legendId,
      onchange: (event) => edit(`${event.target.checked ? 'bypass' : 'un-bypass'} of ${name} ${index + 1}`, () => {
        chain[index].bypass = event.target.checked;
      }, `${index}:bypass`),
    });
    const move = (delta, label) => edit(`move ${name} ${label}`, () => {
      const to = index + delta;
      [chain[index], chain[to]] = [chain[to], chain[index]];
    }, `${index + delta}:${label}`);
    return h(`li.effect${item.bypass ? '.bypassed' : ''}`, { 'data-effect': item.type, 'data-bypassed': String(item.bypass) },
      h('fieldset', {},
        h('legend', { id: legendId }, `${index + 1}. ${name}`, item.bypass ? h('span.badge', { text: 'bypassed' }) : null),
        h('div.effect-head', {},
          h('span.choice.bypass', {}, bypass, h('label', { for: bypassId, text: 'Bypass' })),
          canEdit ? h('div.actions', {},
            h('button', {
              type: 'button', text: 'Up', 'aria-label': `Move ${item.type} up`, 'data-key': `${index}:up`,
              disabled: index === 0, onclick: () => move(-1, 'up'),
            }),
            h('button', {
              type: 'button', text: 'Down', 'aria-label': `Move ${item.type} down`, 'data-key': `${index}:down`,
              disabled: index === chain.length - 1, onclick: () => move(1, 'down'),
            }),
            h('button.danger', {
              type: 'button', text: 'Remove', 'aria-label': `Remove ${item.type}`, 'data-key': `${index}:remove`,
              onclick: () => edit(`remove ${name}`, () => chain.splice(index, 1), `${Math.max(0, index - 1)}:remove`),
            })) : null),
        descriptor?.description ? h('p.hint', { text: descriptor.description }) : null,
        descriptor ? null : h('p.message.error', { text: `Unknown effect type "${item.type}": remove it to save.` }),
        h('div.params', {}, rows)));
  }

  /** Draws the chain; focus goes back to the control with data-key focusKey when there is one. */
  function renderChain(focusKey) {
    const hadFocus = chainList.contains(document.activeElement);
    chainList.replaceChildren();
    if (chain.length === 0) chainList.append(h('li.empty', { text: 'No effects: the render is the original sound.' }));
    chain.forEach((item, index) => chainList.append(stepItem(item, index)));
    refreshControls();
    if (focusKey) {
      const target = [...chainList.querySelectorAll('[data-key]')].find((el) => el.dataset.key === focusKey);
      if (target && !target.disabled) target.focus();
      else if (hadFocus) chainList.focus();
    } else if (hadFocus) chainList.focus();
  }

  // ---- add, save
  const typeSelect = field('Effect', { tag: 'select', id: 'effect-type' });
  for (const e of effects.filter(editable)) typeSelect.input.append(h('option', { value: e.type, text: words(e.type) }));
  const addButton = h('button', {
    type: 'button', id: 'add-effect', text: 'Add effect',
    onclick: () => {
      const type = typeSelect.input.value;
      edit(`add ${words(type)}`, () => chain.push(normalizeStep({ type, settings: {} }, byType)));
      chainList.lastElementChild?.querySelector('input, select')?.focus();
    },
  });

  async function saveChain() {
    const body = toApi(chain);
    const answer = await put(`/projects/${projectId}/effects`, { chain: body });
    project.effects_settings = answer.effects_settings;
    saved = JSON.stringify(body);
    refreshControls();
  }
  const saveButton = h('button.primary', {
    type: 'button', id: 'save-effects', text: 'Save chain',
    onclick: async () => {
      chainMessage.clear();
      saveButton.disabled = true;
      try {
        await saveChain();
        chainMessage.show('Effects chain saved.', 'ok');
      } catch (e) {
        chainMessage.show(e.message);
      } finally {
        saveButton.disabled = false;
      }
    },
  });

  // ---- presets
  const presetSelect = field('Preset', { tag: 'select', id: 'preset-select' });
  const presetDescription = h('p.hint', { id: 'preset-description', 'aria-live': 'polite' });
  const applyButton = h('button', { type: 'button', id: 'apply-preset', text: 'Apply preset', disabled: true });
  presetSelect.input.setAttribute('aria-describedby', 'preset-description');
  let presets = [];

  function describePreset() {
    const preset = presets.find((p) => p.id === presetSelect.input.value);
    applyButton.disabled = !preset;
    if (!preset) {
      presetDescription.textContent = presets.length ? 'Choose a preset to see what it does; applying it replaces '
        + 'the chain (you can undo it).' : 'No presets yet.';
      return;
    }
    const steps = normalizeChain(preset.effects_chain, byType);
    presetDescription.textContent = `${preset.description || 'No description.'} — ${summary(steps)}.`;
  }

  async function loadPresets() {
    presets = [];
    let cursor = null;
    for (let page = 0; page < 5; page++) {
      const answer = await get(`/effects-presets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      presets.push(...(answer.items || []));
      cursor = answer.next_cursor;
      if (!cursor) break;
    }
    const options = [h('option', { value: '', text: 'Choose a preset…' })];
    const groups = [['Studio presets', (p) => p.is_system_preset], ['Your presets', (p) => !p.is_system_preset
      && p.user_id === currentUser()?.user_id], ['Shared by others', () => true]];
    const placed = new Set();
    for (const [label, test] of groups) {
      const members = presets.filter((p) => !placed.has(p.id) && test(p));
      if (!members.length) continue;
      members.forEach((p) => placed.add(p.id));
      options.push(h('optgroup', { label }, members.map((p) => h('option', {
        value: p.id, text: p.category ? `${p.name} (${p.category})` : p.name,
      }))));
    }
    presetSelect.input.replaceChildren(...options);
    describePreset();
  }
  presetSelect.input.addEventListener('change', describePreset);
  applyButton.addEventListener('click', () => {
    const preset = presets.find((p) => p.id === presetSelect.input.value);
    if (!preset) return;
    edit(`apply preset “${preset.name}”`, () => {
      chain = normalizeChain(preset.effects_chain, byType);
    });
    chainMessage.show(`Preset “${preset.name}” applied: save the chain (or render) to keep it.`, 'ok');
  });

  // ---- keyboard: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, anywhere in the chain editor
  const editor = h('div.chain-editor', { id: 'chain-editor' });
  editor.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key !== 'z' && key !== 'y') return;
    const target = event.target;
    // while a number box holds typed text not yet committed, Ctrl+Z is the box's own text undo
    if (target instanceof HTMLInputElement && ['number', 'text', 'search'].includes(target.type)
      && target.value !== target.defaultValue) return;
    event.preventDefault();
    if (key === 'y' || event.shiftKey) redo();
    else undo();
  });

  const chainCard = h('section.card', { 'aria-labelledby': 'h-effects' },
    h('h2#h-effects', { text: 'Effects chain' }),
    editor);
  if (canEdit) {
    editor.append(
      h('div.toolbar', { role: 'toolbar', 'aria-label': 'Chain history' }, undoButton, redoButton, saveState),
      h('p.hint.keys', { text: 'Ctrl+Z undoes and Ctrl+Shift+Z (or Ctrl+Y) redoes chain edits; ⌘ on a Mac.' }),
      historyStatus);
  }
  editor.append(chainList);
  if (canEdit) {
    editor.append(
      h('div.add', {}, typeSelect.row, addButton, saveButton),
      h('div.presets', {},
        h('div.add', {}, presetSelect.row, applyButton),
        presetDescription));
  }
  editor.append(chainMessage.el);

  // ---- render
  const renderButton = h('button.primary', { type: 'button', id: 'render', text: 'Render', disabled: !canEdit });
  const renderProgress = h('progress', { id: 'render-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Render progress' });
  const renderStatus = h('p.status', { id: 'render-status', role: 'status', 'aria-live': 'polite' });
  const renderLimiter = safetyLimiterControls('render', { on: false, disabled: !canEdit });
  const renderFigures = h('div', { id: 'render-figures' });
  const renderMessage = messageBox();
  let following = null;
  disposers.push(() => following?.close());

  function showJob(job) {
    renderProgress.value = job.progress || 0;
    renderStatus.dataset.status = job.status;
    const percent = Math.round((job.progress || 0) * 100);
    renderStatus.textContent = {
      queued: 'Waiting for a worker…',
      running: `Rendering… ${percent}%${job.message ? ` (${job.message})` : ''}`,
      succeeded: 'Rendered: the processed audio is ready to play.',
      failed: `The render failed: ${job.error_message || job.error_code || 'unknown reason'}`,
      cancelled: 'The render was cancelled.',
    }[job.status] || job.status;
  }

  renderButton.addEventListener('click', async () => {
    renderMessage.clear();
    renderFigures.replaceChildren();
    renderButton.disabled = true;
    try {
      await saveChain();
      const job = await post(`/projects/${projectId}/render`,
        { count_in_bars: 0, tail_seconds: 2, ...renderLimiter.value() });
      renderProgress.hidden = false;
      showJob(job);
      following = followJob(job.id, {
        onProgress: showJob,
        onEnd: async (done) => {
          showJob(done);
          renderButton.disabled = false;
          const figures = done.status === 'succeeded' ? masterFigures(done.result, 'render-master') : null;
          if (figures) renderFigures.replaceChildren(figures);
          if (done.status === 'succeeded') await onRendered(done);
          else if (done.status === 'failed') renderMessage.show(renderStatus.textContent);
        },
        onError: (e) => {
          renderMessage.show(e.message);
          renderButton.disabled = false;
        },
      });
    } catch (e) {
      renderMessage.show(e.message);
      renderButton.disabled = false;
    }
  });

  const renderCard = h('section.card', { 'aria-labelledby': 'h-render' },
    h('h2#h-render', { text: 'Render' }),
    h('p.hint', { text: 'Saves the chain, then renders it over the original into the processed audio. '
      + 'Bypassed effects are left out.' }),
    renderLimiter.el, renderButton, renderProgress, renderStatus, renderFigures, renderMessage.el);

  renderChain();
  if (canEdit) {
    loadPresets().catch((e) => {
      presetDescription.textContent = `Presets could not be loaded: ${e.message}`;
    });
  }

  return {
    sections: [chainCard, renderCard],
    /** Shows a chain stored elsewhere (a restored version) as the saved state; history starts afresh. */
    load(effectsSettings) {
      chain = normalizeChain(effectsSettings?.chain, byType);
      saved = JSON.stringify(toApi(chain));
      undoStack.length = 0;
      redoStack.length = 0;
      renderChain();
    },
  };
}
