// The loop region: marked by a drag across the waveform or by its start/end fields; while "Loop" is on, playback
// that reaches its end goes back to its start. A click on the waveform (no drag) seeks.
import { h, field } from '../../shared/dom.js';

const MIN_LOOP_SECONDS = 0.05;

/**
 * The "Loop region" fieldset of player (see audio-section.js). Returns {el, set(region), keepInLoop(),
 * restartIfOutside(), clampMax(), looping(), region()}; a region is {start, end} in seconds, or null.
 */
export function loopRegion(player) {
  const { wave, canvas, audio } = player;
  const loopStart = field('Loop start (s)', { type: 'number', id: 'loop-start', min: 0, step: 0.01, inputmode: 'decimal' });
  const loopEnd = field('Loop end (s)', { type: 'number', id: 'loop-end', min: 0, step: 0.01, inputmode: 'decimal' });
  const loop = h('input', { type: 'checkbox', id: 'loop', disabled: true });
  const loopClear = h('button', { type: 'button', id: 'loop-clear', text: 'Clear region', disabled: true });
  let region = null;

  const looping = () => loop.checked && region !== null;
  const outside = () => audio.currentTime < region.start || audio.currentTime >= region.end;

  /** While looping and playing, a playhead outside the region goes to its start. */
  function restartIfOutside() {
    if (looping() && !audio.paused && outside()) audio.currentTime = region.start;
  }

  /** While looping, playback that reaches the region's end goes back to its start. */
  function keepInLoop() {
    if (looping() && !audio.paused && audio.currentTime >= region.end) audio.currentTime = region.start;
  }

  function showFields(start, end) {
    loopStart.input.value = start;
    loopEnd.input.value = end;
  }

  /** Sets (or with null clears) the loop region, in seconds; the fields follow unless they are the source. */
  function set(next, { fromFields = false } = {}) {
    region = next;
    const duration = player.duration();
    wave.setRegion(region && { from: region.start / duration, to: region.end / duration });
    if (region) {
      canvas.dataset.loopStart = region.start.toFixed(3);
      canvas.dataset.loopEnd = region.end.toFixed(3);
      if (!fromFields) showFields(region.start.toFixed(2), region.end.toFixed(2));
    } else {
      delete canvas.dataset.loopStart;
      delete canvas.dataset.loopEnd;
      loop.checked = false;
      if (!fromFields) showFields('', '');
    }
    loop.disabled = !region;
    loopClear.disabled = !region;
    restartIfOutside();
  }

  function fromFields() {
    player.message.clear();
    const a = loopStart.input.value;
    const b = loopEnd.input.value;
    if (a === '' || b === '') return; // wait for both
    const start = Number(a);
    const end = Math.min(Number(b), player.duration() || Number(b));
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end - start < MIN_LOOP_SECONDS) {
      player.message.show(`The loop end must come at least ${MIN_LOOP_SECONDS} s after its start, within the recording.`);
      return;
    }
    set({ start, end }, { fromFields: true });
  }

  loopStart.input.addEventListener('change', fromFields);
  loopEnd.input.addEventListener('change', fromFields);
  loop.addEventListener('change', restartIfOutside);
  loopClear.addEventListener('click', () => set(null));
  dragToMark(player, {
    showFields: (from, to) => showFields((from * player.duration()).toFixed(2), (to * player.duration()).toFixed(2)),
    mark: (start, end) => set(end - start >= MIN_LOOP_SECONDS ? { start, end } : region),
    restore: () => set(region),
  });

  const el = h('fieldset.loop', {},
    h('legend', { text: 'Loop region' }),
    loopStart.row, loopEnd.row,
    h('span.choice', {}, loop, h('label', { for: 'loop', text: 'Loop' })),
    loopClear);
  return {
    el, set, keepInLoop, restartIfOutside, looping,
    region: () => region,
    /** The fields' upper bound: the recording's length. */
    clampMax(seconds) {
      loopStart.input.max = seconds.toFixed(2);
      loopEnd.input.max = seconds.toFixed(2);
    },
  };
}

/** A click seeks; a drag (mouse, pen or touch) marks the loop region, shown live in the fields while it moves. */
function dragToMark(player, { showFields, mark, restore }) {
  const { wave, canvas, audio } = player;
  let drag = null;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || !wave.hasData()) return;
    canvas.setPointerCapture(event.pointerId);
    drag = { x: event.clientX, from: wave.fractionAt(event.clientX), moved: false };
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag || (!drag.moved && Math.abs(event.clientX - drag.x) < 4)) return;
    drag.moved = true;
    const to = wave.fractionAt(event.clientX);
    wave.setRegion({ from: Math.min(drag.from, to), to: Math.max(drag.from, to) });
    showFields(Math.min(drag.from, to), Math.max(drag.from, to));
  });
  canvas.addEventListener('pointerup', (event) => {
    if (!drag) return;
    const { from, moved } = drag;
    drag = null;
    const seconds = player.duration();
    if (moved) {
      const to = wave.fractionAt(event.clientX);
      mark(Math.min(from, to) * seconds, Math.max(from, to) * seconds);
    } else if (audio.duration > 0) {
      audio.currentTime = Math.min(from * seconds, audio.duration);
    }
  });
  canvas.addEventListener('pointercancel', () => {
    drag = null;
    restore();
  });
}
