// Undo and redo of chain edits: every edit is a step of history, named in words for the buttons and the screen
// reader ("Undo remove Delay").
import { h } from '../../shared/dom.js';
import { chainInWords } from './chain.js';

/** How many chain edits undo remembers. */
export const HISTORY_LIMIT = 100;

/**
 * The history of editor's chain. onTravel(focusKey) redraws the chain after an undo or redo.
 * Returns {undoButton, redoButton, status, record(before, label), refresh(fallbackFocus), undo(), redo(), clear()}.
 */
export function chainHistory(editor, { onTravel }) {
  const undoStack = [];
  const redoStack = [];
  const undoButton = h('button', {
    type: 'button', id: editor.id('chain-undo'), text: 'Undo', 'aria-keyshortcuts': 'Control+Z Meta+Z', onclick: () => undo(),
  });
  const redoButton = h('button', {
    type: 'button', id: editor.id('chain-redo'), text: 'Redo', 'aria-keyshortcuts': 'Control+Shift+Z Meta+Shift+Z Control+Y',
    onclick: () => redo(),
  });
  const status = h('p.status.visually-hidden', { id: editor.id('chain-history-status'), role: 'status', 'aria-live': 'polite' });

  function travel(from, to, verb) {
    const entry = from.pop();
    if (!entry) return;
    to.push({ chain: structuredClone(editor.chain), label: entry.label });
    editor.chain = entry.chain;
    onTravel(document.activeElement?.dataset?.key);
    status.textContent = `${verb} ${entry.label}. Chain: ${chainInWords(editor.chain)}.`;
  }
  const undo = () => travel(undoStack, redoStack, 'Undone:');
  const redo = () => travel(redoStack, undoStack, 'Redone:');

  return {
    undoButton,
    redoButton,
    status,
    undo,
    redo,
    /** Remembers the chain as it was before an edit called label; a new edit forgets what could be redone. */
    record(before, label) {
      undoStack.push({ chain: before, label });
      if (undoStack.length > HISTORY_LIMIT) undoStack.shift();
      redoStack.length = 0;
    },
    /** Brings the buttons up to date; a button that just became disabled hands the focus on (to fallbackFocus). */
    refresh(fallbackFocus) {
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
      if (wasFocused === undoButton && undoButton.disabled) (redoButton.disabled ? fallbackFocus : redoButton).focus();
      if (wasFocused === redoButton && redoButton.disabled) (undoButton.disabled ? fallbackFocus : undoButton).focus();
    },
    clear() {
      undoStack.length = 0;
      redoStack.length = 0;
    },
  };
}

/** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, anywhere inside `el`. */
export function historyKeys(el, history) {
  el.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key !== 'z' && key !== 'y') return;
    const target = event.target;
    // while a number box holds typed text not yet committed, Ctrl+Z is the box's own text undo
    if (target instanceof HTMLInputElement && ['number', 'text', 'search'].includes(target.type)
      && target.value !== target.defaultValue) return;
    event.preventDefault();
    if (key === 'y' || event.shiftKey) history.redo();
    else history.undo();
  });
}
