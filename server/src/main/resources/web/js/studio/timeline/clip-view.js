// One clip on a lane: a block at its frames in its track's colour, its take's waveform drawn for the part on
// screen, and the gestures that edit it: drag the body to move it (to another track too), drag an edge to trim,
// arrow keys to nudge and trim. Edits go through `ctx.edits` (undoable, via the API); the block only previews a
// gesture and then shows what the store holds.
import { h } from '../../shared/dom.js';
import { formatBarsBeats, formatClock, secondsOf } from './grid.js';

const EDGE = 8; // px of each end that trims instead of moving

/** Draws the clip's visible part: peaks of frames [takeFrom, takeTo) of its take across the canvas. */
function drawWave(canvas, peaks, { takeFrom, takeTo, colour, fades }) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, width, height);
  const mid = height / 2;
  g.fillStyle = colour;
  let lit = 0;
  if (peaks) {
    const { mins, maxs, n, samplesPerPixel } = peaks;
    const perColumn = (takeTo - takeFrom) / width;
    for (let x = 0; x < width; x++) {
      const a = (takeFrom + x * perColumn) / samplesPerPixel;
      const b = (takeFrom + (x + 1) * perColumn) / samplesPerPixel;
      const first = Math.floor(a);
      const last = Math.max(first + 1, Math.ceil(b));
      if (first >= n) break;
      let lo = 0;
      let hi = 0;
      for (let i = Math.max(0, first); i < last && i < n; i++) {
        if (mins[i] < lo) lo = mins[i];
        if (maxs[i] > hi) hi = maxs[i];
      }
      const top = mid - hi * mid * 0.92;
      const bottom = mid - lo * mid * 0.92;
      g.fillRect(x, top, 1, Math.max(1, bottom - top));
      if (hi - lo > 0.01) lit++;
    }
  }
  // fades: a line from silence to full gain, as the clip plays them
  if (fades) {
    g.strokeStyle = 'rgba(255, 255, 255, 0.7)';
    g.lineWidth = ratio;
    for (const [x0, x1, up] of fades) {
      g.beginPath();
      g.moveTo(x0 * ratio, up ? height : 0);
      g.lineTo(x1 * ratio, up ? 0 : height);
      g.stroke();
    }
  }
  return lit;
}

/**
 * A clip's view. ctx: {store, edits, view, media, canEdit, report(error), rowAt(clientY) → track id,
 * rowTop(track id) → px, canHold(track id), takeLength(take) → frames | null, redraw(), refocus(clip id)}. Returns {el, update(clip, track), draw(), dispose()}.
 */
export function clipView(clip, track, ctx) {
  const { store, view } = ctx;
  const canvas = h('canvas.clip-wave', { 'aria-hidden': 'true' });
  const label = h('span.clip-name');
  const startEdge = h('span.clip-edge.start', { 'aria-hidden': 'true' });
  const endEdge = h('span.clip-edge.end', { 'aria-hidden': 'true' });
  const el = h('div.clip', {
    role: 'button', tabindex: '0', 'data-clip-id': clip.id,
    'aria-keyshortcuts': 'ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Alt+ArrowLeft Alt+ArrowRight ArrowUp ArrowDown S Delete',
  }, canvas, label, startEdge, endEdge);
  let current = clip;
  let currentTrack = track;
  let preview = null; // {start, length, offset} while a gesture previews
  let peaks = null;
  let wantedTake = null;

  function geometry() {
    const c = preview ? { ...current, ...preview } : current;
    return { left: view.x(c.start_frame), width: Math.max(2, view.x(c.start_frame + c.length_frames) - view.x(c.start_frame)), c };
  }

  function place() {
    const { left, width, c } = geometry();
    el.style.left = `${left}px`;
    el.style.width = `${width}px`;
    el.dataset.startFrame = String(c.start_frame);
    el.dataset.lengthFrames = String(c.length_frames);
    el.dataset.offsetFrames = String(c.offset_frames);
    el.dataset.trackId = currentTrack.id;
    el.classList.toggle('narrow', width < 3 * EDGE);
  }

  /** Redraws the waveform of the part of the clip inside the scrolled window only (canvases have a size limit). */
  function draw() {
    const { left, width, c } = geometry();
    const visibleFrom = Math.max(left, view.scrollX() - 32);
    const visibleTo = Math.min(left + width, view.scrollX() + view.laneViewport() + 32);
    if (visibleTo <= visibleFrom) {
      canvas.hidden = true;
      return;
    }
    canvas.hidden = false;
    canvas.style.left = `${visibleFrom - left}px`;
    canvas.style.width = `${visibleTo - visibleFrom}px`;
    const clipFrameAt = (px) => ((px - left) / width) * c.length_frames;
    const rate = peaks?.sampleRate || store.doc.sample_rate;
    const toTake = (clipFrame) => ((c.offset_frames + clipFrame) / store.doc.sample_rate) * rate;
    const fades = [];
    const pxOf = (clipFrame) => left + (clipFrame / c.length_frames) * width - visibleFrom;
    if (c.fade_in_frames > 0) fades.push([pxOf(0), pxOf(c.fade_in_frames), true]);
    if (c.fade_out_frames > 0) fades.push([pxOf(c.length_frames - c.fade_out_frames), pxOf(c.length_frames), false]);
    const lit = drawWave(canvas, peaks, {
      takeFrom: toTake(clipFrameAt(visibleFrom)), takeTo: toTake(clipFrameAt(visibleTo)),
      colour: 'rgba(255, 255, 255, 0.82)', fades,
    });
    el.dataset.drawn = peaks ? 'true' : 'false';
    el.dataset.columns = String(lit);
  }

  function describe() {
    const c = current;
    const doc = store.doc;
    const name = ctx.media.name?.(c.take) || 'Take';
    label.textContent = name;
    el.title = name;
    el.setAttribute('aria-label', `Clip ${name} on ${currentTrack.name}, from bar ${formatBarsBeats(c.start_frame, doc)} (${
      formatClock(secondsOf(c.start_frame, doc))}), ${formatClock(secondsOf(c.length_frames, doc))} long${
      c.gain_db ? `, gain ${c.gain_db} dB` : ''}`);
    el.setAttribute('aria-pressed', String(store.selected === c.id));
    el.classList.toggle('selected', store.selected === c.id);
  }

  async function loadPeaks() {
    if (wantedTake === current.take) return;
    wantedTake = current.take;
    try {
      const got = await ctx.media.peaks(current.take);
      if (wantedTake !== current.take) return;
      peaks = got;
      el.classList.toggle('no-wave', !peaks);
      draw();
    } catch (e) {
      el.classList.add('no-wave');
      ctx.report(e);
    }
  }

  // Gestures ------------------------------------------------------------------------------------------------------

  const takeFrames = () => ctx.takeLength(current.take); // frames of the take, or null when unknown
  const minLength = () => Math.max(1, Math.round(store.doc.sample_rate / 100)); // 10 ms

  /** Where a trim of `edge` by `delta` frames ends up, within the take and the timeline. */
  function trimmed(edge, delta) {
    const c = current;
    const end = c.start_frame + c.length_frames;
    if (edge === 'start') {
      let start = view.snapped(c.start_frame + delta);
      start = Math.max(start, c.start_frame - c.offset_frames, 0);
      start = Math.min(start, end - minLength());
      return { start_frame: start, offset_frames: c.offset_frames + (start - c.start_frame), length_frames: end - start };
    }
    let newEnd = view.snapped(end + delta);
    const room = takeFrames();
    if (room !== null) newEnd = Math.min(newEnd, c.start_frame + room - c.offset_frames);
    newEnd = Math.max(newEnd, c.start_frame + minLength());
    return { length_frames: newEnd - c.start_frame };
  }

  /** Frames a horizontal distance on screen stands for (negative to the left). */
  const framesFor = (pixels) => (pixels / view.pixelsPerSecond()) * store.doc.sample_rate;

  function onPointerDown(event) {
    if (event.button !== 0) return;
    const wasSelected = store.selected === current.id;
    store.select(current.id);
    el.focus({ preventScroll: true });
    if (!ctx.canEdit) return;
    // on a touch screen a first tap selects; dragging a selected clip edits it, else the finger scrolls
    if (event.pointerType === 'touch' && !wasSelected) return;
    event.preventDefault();
    event.stopPropagation();
    const rect = el.getBoundingClientRect();
    const offsetX = event.clientX - rect.left;
    const mode = offsetX < EDGE && rect.width >= 3 * EDGE ? 'start'
      : offsetX > rect.width - EDGE && rect.width >= 3 * EDGE ? 'end' : 'move';
    const startX = event.clientX;
    let moved = false;
    let target = currentTrack.id;
    el.setPointerCapture(event.pointerId);
    el.classList.add('dragging');

    const onMove = (e) => {
      const dx = e.clientX - startX;
      if (!moved && Math.abs(dx) < 3 && (mode !== 'move' || Math.abs(e.clientY - event.clientY) < 6)) return;
      moved = true;
      const delta = framesFor(dx);
      if (mode === 'move') {
        preview = { start_frame: view.snapped(current.start_frame + delta) };
        const over = ctx.rowAt(e.clientY);
        if (over && ctx.canHold(over)) target = over;
        // shown over the lane it would land on; the store puts it there once the server agrees
        el.style.transform = target === currentTrack.id ? '' : `translateY(${ctx.rowTop(target) - ctx.rowTop(currentTrack.id)}px)`;
      } else {
        preview = trimmed(mode, delta);
      }
      place();
      draw();
    };
    const onUp = async () => {
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointercancel', onUp);
      el.classList.remove('dragging');
      el.style.transform = '';
      const changes = preview;
      preview = null;
      if (!moved || !changes) {
        place();
        return;
      }
      try {
        if (mode === 'move') {
          if (changes.start_frame === current.start_frame && target === currentTrack.id) return place();
          await ctx.edits.moveClip(current.id, { toTrack: target, startFrame: changes.start_frame });
        } else {
          await ctx.edits.trimClip(current.id, changes);
        }
      } catch (error) {
        ctx.report(error);
        ctx.redraw(); // back to what the store holds
      }
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointercancel', onUp);
  }

  /** Arrows nudge by a grid step (or 10 ms without snap): move; Shift trims the end; Alt trims the start. */
  function onKey(event) {
    if (!ctx.canEdit || event.ctrlKey || event.metaKey) return;
    const step = view.snap ? Math.round(view.step().frames) : minLength();
    const c = current;
    let action = null;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const sign = event.key === 'ArrowLeft' ? -1 : 1;
      if (event.shiftKey) action = () => ctx.edits.trimClip(c.id, trimmed('end', sign * step));
      else if (event.altKey) action = () => ctx.edits.trimClip(c.id, trimmed('start', sign * step));
      else {
        const start = Math.max(0, view.snapped(c.start_frame + sign * step));
        if (start !== c.start_frame) action = () => ctx.edits.moveClip(c.id, { startFrame: start });
      }
    } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !event.shiftKey && !event.altKey) {
      const tracks = store.tracks;
      const next = tracks[tracks.findIndex((t) => t.id === currentTrack.id) + (event.key === 'ArrowUp' ? -1 : 1)];
      if (next) action = () => ctx.edits.moveClip(c.id, { toTrack: next.id, startFrame: c.start_frame });
      else action = () => {};
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (event.key === ' ') return; // space plays (keyboard.js)
      action = () => store.select(store.selected === c.id ? null : c.id);
    }
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    store.select(c.id);
    Promise.resolve(action()).then(() => ctx.refocus(c.id)).catch(ctx.report);
  }

  el.addEventListener('pointerdown', onPointerDown);
  el.addEventListener('keydown', onKey);
  el.addEventListener('focus', () => store.select(current.id));

  return {
    el,
    get clip() {
      return current;
    },
    update(c, t) {
      current = c;
      currentTrack = t;
      el.dataset.clipId = c.id;
      place();
      describe();
      loadPeaks();
      draw();
    },
    place() {
      place();
      draw();
    },
    draw,
    describe,
  };
}
