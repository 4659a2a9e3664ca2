// Presets inside the chain editor: choose one (studio presets, yours, shared by others), read what it does, and
// apply it to the chain as one edit that can be undone. The presets page (js/presets/) is where they are made.
import { h, field } from '../../shared/dom.js';
import { currentUser, getAll } from '../../api.js';
import { chainInWords, normalizeChain } from './chain.js';

/** The preset options in three groups, each preset in the first group it belongs to. */
function presetOptions(presets) {
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
  return options;
}

/** The preset picker of editor. Returns {el, load()}; load() fetches the presets and shows a failure in words. */
export function chainPresets(editor) {
  const presetSelect = field('Preset', { tag: 'select', id: editor.id('preset-select') });
  const presetDescription = h('p.hint', { id: editor.id('preset-description'), 'aria-live': 'polite' });
  const applyButton = h('button', { type: 'button', id: editor.id('apply-preset'), text: 'Apply preset', disabled: true });
  presetSelect.input.setAttribute('aria-describedby', 'preset-description');
  let presets = [];
  const chosen = () => presets.find((p) => p.id === presetSelect.input.value);

  function describe() {
    const preset = chosen();
    applyButton.disabled = !preset;
    if (!preset) {
      presetDescription.textContent = presets.length ? 'Choose a preset to see what it does; applying it replaces '
        + 'the chain (you can undo it).' : 'No presets yet.';
      return;
    }
    const steps = normalizeChain(preset.effects_chain, editor.byType);
    presetDescription.textContent = `${preset.description || 'No description.'} — ${chainInWords(steps)}.`;
  }

  async function load() {
    presets = await getAll('/effects-presets');
    presetSelect.input.replaceChildren(...presetOptions(presets));
    describe();
  }

  presetSelect.input.addEventListener('change', describe);
  applyButton.addEventListener('click', () => {
    const preset = chosen();
    if (!preset) return;
    editor.edit(`apply preset “${preset.name}”`, () => {
      editor.chain = normalizeChain(preset.effects_chain, editor.byType);
    });
    editor.message.show(`Preset “${preset.name}” applied: save the chain (or render) to keep it.`, 'ok');
  });

  return {
    el: h('div.presets', {}, h('div.add', {}, presetSelect.row, applyButton), presetDescription),
    load: () => load().catch((e) => {
      presetDescription.textContent = `Presets could not be loaded: ${e.message}`;
    }),
  };
}
