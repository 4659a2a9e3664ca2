// One clip on a lane: a block at its frames in its track's colour, its take's waveform drawn for the part on
// screen, its name and fades, and (clip-gestures.js) the drags and keys that edit it. The block only previews a
// gesture; then it shows what the store holds.
import { h, sharpCanvas } from '../../shared/dom.js';
import { formatBarsBeats, formatClock, secondsOf } from './grid.js';
import { clipGestures, EDGE } from './clip-gestures.js';

/** Draws the clip's visible part: peaks of frames [takeFrom, takeTo) of its take across the canvas. */
function drawWave(canvas, peaks, { takeFrom, takeTo, colour, fades }) {
  const { g, width, height, ratio } = sharpCanvas(canvas);
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

  clipGestures(el, {
    clip: () => current,
    track: () => currentTrack,
    preview(p) {
      preview = p;
      place();
      draw();
    },
  }, ctx);
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
