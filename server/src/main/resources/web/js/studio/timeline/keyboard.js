// The studio's keys, as in most DAWs: Space play/pause, Home to the start, S split at the playhead, Delete the
// selected clip, + and − zoom, L loop, R record a new track (again to finish), Ctrl+Z undo, Ctrl+Shift+Z (or Ctrl+Y) redo, Escape leaves the selection.
// Keys are the studio's only when the focus is on the page itself or inside the studio's desk, and never while
// typing in a field; a focused button keeps Space and Enter for itself.

const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || el.tagName === 'TEXTAREA'
  || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && !['radio', 'checkbox', 'range', 'button', 'submit', 'color'].includes(el.type)));

/** Listens on the document while the studio is shown; returns the function that stops listening. */
export function studioKeys(desk, actions) {
  function onKey(event) {
    const target = event.target;
    const mine = target === document.body || target === document.documentElement || desk.contains(target);
    if (!mine || typing(target) || event.altKey) return;
    const key = event.key;
    const command = event.ctrlKey || event.metaKey;
    let action = null;
    if (command) {
      if ((key === 'z' || key === 'Z') && event.shiftKey) action = actions.redo;
      else if (key === 'z' || key === 'Z') action = actions.undo;
      else if (key === 'y' || key === 'Y') action = actions.redo;
    } else if (target.tagName === 'INPUT') {
      return; // a fader or a pan keeps its own keys (Home, arrows)
    } else if (key === ' ' || key === 'Spacebar') {
      if (target instanceof HTMLButtonElement) return;
      action = actions.playPause;
    } else if (key === 'Home') action = actions.home;
    else if (key === 's' || key === 'S') action = actions.split;
    else if (key === 'Delete' || key === 'Backspace') action = actions.remove;
    else if (key === '+' || key === '=') action = actions.zoomIn;
    else if (key === '-' || key === '_') action = actions.zoomOut;
    else if (key === 'l' || key === 'L') action = actions.toggleLoop;
    else if ((key === 'r' || key === 'R') && actions.record) action = actions.record;
    else if (key === 'Escape') action = actions.deselect;
    if (!action) return;
    event.preventDefault();
    action();
  }
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
