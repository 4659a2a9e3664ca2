// The studio's "Effects chain" section: add, remove, reorder, bypass, parameters with sliders (controls.js),
// presets (chain-presets.js), undo/redo (history.js), save. The parts share `editor`: the chain being edited, the
// catalog by type, whether this musician may edit, the section's message and edit(), the one way to change the chain.
import { h, field, messageBox } from '../../shared/dom.js';
import { words } from '../../shared/words.js';
import { chainTag, isStale, updateMasterChain } from '../../api.js';
import { studioCard } from '../card.js';
import { chainInWords, editable, effectsCatalog, normalizeChain, normalizeStep, toApi } from './chain.js';
import { stepItem } from './controls.js';
import { chainHistory, historyKeys } from './history.js';
import { chainPresets } from './chain-presets.js';

/** The "Add effect" picker: every effect the page can edit, appended to the chain as one edit. */
function addEffect(editor, effects, chainList) {
  const typeSelect = field('Effect', { tag: 'select', id: editor.id('effect-type') });
  for (const e of effects.filter(editable)) typeSelect.input.append(h('option', { value: e.type, text: words(e.type) }));
  const addButton = h('button', {
    type: 'button', id: editor.id('add-effect'), text: 'Add effect',
    onclick: () => {
      const type = typeSelect.input.value;
      editor.edit(`add ${words(type)}`, () => editor.chain.push(normalizeStep({ type, settings: {} }, editor.byType)));
      chainList.lastElementChild?.querySelector('input, select')?.focus();
    },
  });
  return [typeSelect.row, addButton];
}

/** The "Save chain" button; save() stores the chain. */
function saveButton(editor, save) {
  const button = h('button.primary', {
    type: 'button', id: editor.id('save-effects'), text: 'Save chain',
    onclick: async () => {
      editor.message.clear();
      button.disabled = true;
      try {
        await save();
        editor.message.show('Effects chain saved.', 'ok');
      } catch (e) {
        editor.message.show(e.message, 'error', ...(e.choices || []));
      } finally {
        button.disabled = false;
      }
    },
  });
  return button;
}

/**
 * An editor of one effects chain (the master bus's or a track's). `chain` is the stored chain, `store(body)` saves
 * the edited one (an array of steps as the API takes them), `idPrefix` keeps the ids of two editors on one page apart.
 * Returns {el, save(), load(chain)}.
 */
export async function chainEditor({ chain, canEdit, store, idPrefix = '', emptyText = 'No effects: the render is the original sound.' }) {
  const effects = await effectsCatalog();
  const byType = new Map(effects.map((e) => [e.type, e]));
  const id = (name) => idPrefix + name;
  const chainList = h('ol.chain', { id: id('effects-chain'), tabindex: '-1', 'aria-label': 'Effects, in processing order' });
  const saveState = h('span.save-state', { id: id('chain-save-state'), role: 'status' });
  const editor = {
    chain: normalizeChain(chain, byType),
    byType,
    canEdit,
    message: messageBox(),
    edit,
    id,
  };
  let saved = JSON.stringify(toApi(editor.chain));
  const history = chainHistory(editor, { onTravel: (focusKey) => renderChain(focusKey) });

  function refreshControls() {
    history.refresh(chainList);
    const dirty = JSON.stringify(toApi(editor.chain)) !== saved;
    saveState.textContent = dirty ? 'Unsaved changes' : 'Saved';
    saveState.dataset.dirty = String(dirty);
    chainList.dataset.chain = JSON.stringify(toApi(editor.chain));
  }

  /**
   * Applies one edit of the chain as a step of history (nothing is recorded when it changed nothing). Structural
   * edits redraw the chain (focus returns to the control named by focusKey); a parameter edit (focusKey null) is
   * already on screen, so nothing is redrawn and keyboard focus goes on where the person moves it.
   */
  function edit(label, mutate, focusKey) {
    const before = structuredClone(editor.chain);
    mutate();
    if (JSON.stringify(editor.chain) !== JSON.stringify(before)) {
      history.record(before, label);
      editor.message.clear();
    }
    if (focusKey === null) refreshControls();
    else renderChain(focusKey);
  }

  /** Draws the chain; focus goes back to the control with data-key focusKey when there is one. */
  function renderChain(focusKey) {
    const hadFocus = chainList.contains(document.activeElement);
    chainList.replaceChildren();
    if (editor.chain.length === 0) chainList.append(h('li.empty', { text: emptyText }));
    editor.chain.forEach((item, index) => chainList.append(stepItem(editor, item, index)));
    refreshControls();
    if (focusKey) {
      const target = [...chainList.querySelectorAll('[data-key]')].find((el) => el.dataset.key === focusKey);
      if (target && !target.disabled) target.focus();
      else if (hadFocus) chainList.focus();
    } else if (hadFocus) chainList.focus();
  }

  async function save() {
    const body = toApi(editor.chain);
    await store(body);
    saved = JSON.stringify(body);
    refreshControls();
  }

  const presets = chainPresets(editor);
  const chainEditor = h('div.chain-editor', { id: id('chain-editor') });
  historyKeys(chainEditor, history);
  if (canEdit) {
    chainEditor.append(
      h('div.toolbar', { role: 'toolbar', 'aria-label': 'Chain history' }, history.undoButton, history.redoButton, saveState),
      h('p.hint.keys', { text: 'Ctrl+Z undoes and Ctrl+Shift+Z (or Ctrl+Y) redoes chain edits; ⌘ on a Mac.' }),
      history.status);
  }
  chainEditor.append(chainList);
  if (canEdit) chainEditor.append(h('div.add', {}, addEffect(editor, effects, chainList), saveButton(editor, save)), presets.el);
  chainEditor.append(editor.message.el);

  renderChain();
  if (canEdit) presets.load();
  return {
    el: chainEditor,
    save,
    message: editor.message,
    byType,
    load(stored) {
      editor.chain = normalizeChain(stored, byType);
      saved = JSON.stringify(toApi(editor.chain));
      history.clear();
      renderChain();
    },
  };
}

/**
 * The master chain was saved by someone else since this page read it: a failure that says so and offers the two ways
 * on — show their chain (ours is dropped) or save ours over theirs (the page now knows their version).
 */
function chainConflict(stale, project, editor) {
  const theirs = stale.problem.current?.effects_settings?.chain || [];
  project.chain_version = Number(String(stale.problem.etag || '').replaceAll('"', '')) || project.chain_version;
  const conflict = new Error(`Someone else saved the effects chain since you opened it (theirs: ${
    chainInWords(normalizeChain(theirs, editor.byType)) || 'no effects'}). Yours is not saved yet.`);
  conflict.code = 'stale_version';
  conflict.choices = [
    h('button', {
      type: 'button', id: 'chain-use-theirs', text: 'Use theirs',
      onclick: () => {
        editor.load(theirs);
        project.effects_settings = { chain: theirs };
        editor.message.show('Their effects chain is shown and saved; yours was dropped.', 'ok');
      },
    }),
    h('button.primary', {
      type: 'button', id: 'chain-keep-mine', text: 'Save mine over theirs',
      onclick: () => editor.save().then(() => editor.message.show('Your effects chain is saved over theirs.', 'ok'),
        (e) => editor.message.show(e.message, 'error', ...(e.choices || []))),
    }),
  ];
  return conflict;
}

/**
 * The effects chain card of a project's studio (the master bus). Returns {section, save(), load(effectsSettings)}:
 * save() stores the chain (the render saves it first); load() shows a chain stored elsewhere (after a version
 * restore) as the saved state, with history starting afresh.
 */
export async function effectsSection({ project, canEdit }) {
  const editor = await chainEditor({
    chain: project.effects_settings?.chain,
    canEdit,
    async store(body) {
      try {
        const answer = await updateMasterChain(project.id, body, chainTag(project));
        project.effects_settings = answer.effects_settings;
        project.chain_version = answer.chain_version;
      } catch (e) {
        if (!isStale(e)) throw e;
        throw chainConflict(e, project, editor);
      }
    },
  });
  return {
    section: studioCard('effects', 'Effects chain', editor.el),
    save: editor.save,
    load: (effectsSettings) => editor.load(effectsSettings?.chain),
  };
}
