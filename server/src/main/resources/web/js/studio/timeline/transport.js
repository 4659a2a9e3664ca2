// The transport bar: to start, play/pause, stop, loop; the position in bars:beats and m:ss.mmm; and the editing
// tools of the timeline (snap, zoom, undo/redo, split, delete, add track). Stays at the top of the screen while the
// page scrolls. Every button has a name that says what it does and its key.
import { h } from '../../shared/dom.js';
import { formatBarsBeats, formatClock, secondsOf } from './grid.js';
import { icon } from './icons.js';

const button = (id, symbol, label, keys) => h('button.tb', {
  type: 'button', id, 'aria-label': label, title: keys ? `${label} (${keys})` : label, 'aria-keyshortcuts': keys || null,
}, symbol);

/** The count-in before "Record a new track": none, one or two bars; onChange(bars) keeps the choice. */
function countInMenu(bars, onChange) {
  const words = { 0: 'No count-in', 1: 'Count-in: 1 bar', 2: 'Count-in: 2 bars' };
  const select = h('select#tl-count-in', {
    'aria-label': 'Count-in before recording a new track', title: 'Count-in before recording a new track',
    onchange: () => onChange(Number(select.value)),
  }, ...[0, 1, 2].map((n) => h('option', { value: String(n), text: words[n], selected: n === bars })));
  return select;
}

/**
 * actions: {home, playPause, stop, record, toggleLoop, toggleSnap, zoomIn, zoomOut, undo, redo, split, remove,
 * addTrack}; countIn: the bars of count-in chosen so far, onCountIn(bars) when another is chosen.
 */
export function transport(actions, { canEdit, countIn = 1, onCountIn = () => {} }) {
  const home = button('tl-home', icon('start'), 'To start', 'Home');
  const play = button('tl-play', icon('play'), 'Play', 'Space');
  const stop = button('tl-stop', icon('stop'), 'Stop');
  const record = button('tl-record', icon('record'), 'Record a new track', 'R');
  const loop = button('tl-loop', icon('loop'), 'Loop the marked region', 'L');
  const bars = h('span.pos-bars', { text: '1:1' });
  const clock = h('span.pos-clock', { text: '0:00.000' });
  const position = h('output.position#tl-position', { 'aria-label': 'Position' }, bars, clock);
  const tempo = h('span.tempo');
  const snap = button('tl-snap', 'Snap', 'Snap to the grid');
  const zoomOut = button('tl-zoom-out', icon('minus'), 'Zoom out', '-');
  const zoomIn = button('tl-zoom-in', icon('plus'), 'Zoom in', '+');
  const undo = button('tl-undo', icon('undo'), 'Undo', 'Control+Z');
  const redo = button('tl-redo', icon('redo'), 'Redo', 'Control+Shift+Z');
  const split = button('tl-split', icon('split'), 'Split the clip at the playhead', 'S');
  const remove = button('tl-delete', icon('trash'), 'Delete the selected clip', 'Delete');
  const addTrack = h('button.tb.add-track#tl-add-track', { type: 'button', text: '+ Track', 'aria-label': 'Add a track' });
  const status = h('span.tl-status', { role: 'status', 'aria-live': 'polite' });
  const keys = h('details.keys-help', {},
    h('summary', { text: 'Keys' }),
    h('dl', {}, ...[
      ['Space', 'play / pause'], ['R', 'record a new track after the count-in chosen beside the button (again to finish)'], ['Home', 'to the start'], ['S', 'split at the playhead'],
      ['Delete', 'delete the selected clip'], ['← →', 'move the selected clip a grid step'],
      ['Shift + ← →', 'trim its end'], ['Alt + ← →', 'trim its start'], ['↑ ↓', 'move it to the track above / below'],
      ['+ −', 'zoom (or Ctrl + wheel)'], ['L', 'loop on / off (drag across the ruler to mark the region)'],
      ['Ctrl + Z', 'undo'], ['Ctrl + Shift + Z', 'redo'], ['Esc', 'leave the selection'],
    ].flatMap(([key, what]) => [h('dt', {}, h('kbd', { text: key })), h('dd', { text: what })])));

  play.setAttribute('aria-pressed', 'false');
  loop.setAttribute('aria-pressed', 'false');
  record.setAttribute('aria-pressed', 'false');
  record.classList.add('record');
  snap.setAttribute('aria-pressed', 'true');
  for (const [control, action] of [[home, 'home'], [play, 'playPause'], [stop, 'stop'], [record, 'record'], [loop, 'toggleLoop'],
    [snap, 'toggleSnap'], [zoomOut, 'zoomOut'], [zoomIn, 'zoomIn'], [undo, 'undo'], [redo, 'redo'],
    [split, 'split'], [remove, 'remove'], [addTrack, 'addTrack']]) {
    control.addEventListener('click', () => actions[action]());
  }
  const editing = canEdit ? [undo, redo, split, remove, addTrack] : [];
  const el = h('div.transport', { role: 'toolbar', 'aria-label': 'Transport' },
    h('div.tb-group.play', {}, home, play, stop, canEdit ? record : null, loop),
    canEdit ? countInMenu(countIn, onCountIn) : null,
    position,
    tempo,
    h('div.tb-group.tools', {}, snap, zoomOut, zoomIn, ...editing),
    status, keys);

  return {
    el,
    /** Shows the playhead's place. */
    position(frame, doc) {
      bars.textContent = formatBarsBeats(frame, doc);
      clock.textContent = formatClock(secondsOf(frame, doc));
      position.dataset.frame = String(Math.round(frame));
    },
    tempo(doc) {
      tempo.textContent = `${doc.bpm} BPM · ${doc.beats_per_bar}/4`;
      tempo.title = `Tempo ${doc.bpm} beats per minute, ${doc.beats_per_bar} beats per bar (set in the metronome)`;
    },
    playing(on) {
      play.replaceChildren(icon(on ? 'pause' : 'play'));
      play.setAttribute('aria-label', on ? 'Pause' : 'Play');
      play.setAttribute('aria-pressed', String(on));
      el.dataset.state = on ? 'playing' : 'stopped';
    },
    /** The recorder's state: 'idle', 'count-in', 'recording' or 'saving'. */
    recording(state) {
      const on = state !== 'idle';
      record.setAttribute('aria-pressed', String(on));
      record.setAttribute('aria-label', on ? 'Finish recording' : 'Record a new track');
      record.title = `${record.getAttribute('aria-label')} (R)`;
      record.disabled = state === 'saving';
      el.dataset.recording = state;
    },
    looping(on, available) {
      loop.setAttribute('aria-pressed', String(on));
      loop.title = available ? 'Loop the marked region (L)' : 'Loop: drag across the ruler to mark a region first (L)';
    },
    snap(on, stepName) {
      snap.setAttribute('aria-pressed', String(on));
      snap.replaceChildren('Snap', h('span.snap-step', { text: on ? `: ${stepName}` : ' off' }));
      snap.setAttribute('aria-label', on ? `Snap to the grid (now every ${stepName})` : 'Snap to the grid (off)');
    },
    history({ canUndo, canRedo, undoLabel, redoLabel, busy }) {
      undo.disabled = !canUndo;
      redo.disabled = !canRedo;
      undo.setAttribute('aria-label', canUndo ? `Undo ${undoLabel}` : 'Undo');
      redo.setAttribute('aria-label', canRedo ? `Redo ${redoLabel}` : 'Redo');
      undo.title = `${undo.getAttribute('aria-label')} (Ctrl+Z)`;
      redo.title = `${redo.getAttribute('aria-label')} (Ctrl+Shift+Z)`;
      el.dataset.busy = String(busy);
    },
    selection(hasClip) {
      remove.disabled = !hasClip;
    },
    say(text) {
      status.textContent = text;
    },
  };
}
