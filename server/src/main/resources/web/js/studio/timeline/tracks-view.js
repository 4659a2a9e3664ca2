// The timeline: the ruler on top, then the tracks stacked (headers stay at the left, lanes scroll), the playhead
// and the loop region across them. One scroll box scrolls both ways (tracks vertically, time horizontally, the
// phone's swipe included); Ctrl + wheel zooms around the pointer. Holds the shared `view`: zoom, snap, loop,
// playhead, and the conversions between frames and pixels that the ruler and the clips use.
import { h } from '../../shared/dom.js';
import { arrangementEnd, framesPerBeat, formatBarsBeats, formatClock, secondsOf, snapFrame, snapStep } from './grid.js';
import { audible } from './mix-laws.js';
import { ruler } from './ruler.js';
import { trackRow } from './lane.js';
import { reconcile } from './reconcile.js';

export const MIN_PPS = 2;
export const MAX_PPS = 4000;

/**
 * The timeline's shared view of time: frames ↔ lane pixels at the zoom, the scrolled window, the snap grid, the
 * playhead and the loop. The ruler and the clips draw with it.
 */
function viewModel(store, zoom, { scroller, headWidth, ctx }) {
  return {
    doc: () => store.doc,
    pixelsPerSecond: () => zoom.pps,
    /** Lane x (px) of a timeline frame, and back. */
    x: (frame) => (frame / store.doc.sample_rate) * zoom.pps,
    frameAt: (x) => (Math.max(0, x) / zoom.pps) * store.doc.sample_rate,
    scrollX: () => scroller.scrollLeft,
    laneViewport: () => Math.max(1, scroller.clientWidth - headWidth()),
    get snap() {
      return zoom.snap;
    },
    step: () => snapStep(store.doc, zoom.pps),
    snapped: (frame) => (zoom.snap ? snapFrame(frame, snapStep(store.doc, zoom.pps)) : Math.max(0, Math.round(frame))),
    playhead: () => ctx.playhead(),
    loop: () => ctx.loop(),
    looping: () => ctx.looping(),
    describePosition: (frame) => `bar ${formatBarsBeats(frame, store.doc)}, ${formatClock(secondsOf(frame, store.doc))}`,
  };
}

/**
 * The timeline's own input: scrolling redraws what came into view, Ctrl + wheel zooms around the pointer, a click on
 * an empty part of a lane moves the playhead there (and leaves the clip selection), a new size redraws. Returns the
 * function that stops listening.
 */
function listen({ scroller, rowsBox, rows, store, view, ctx, zoomBy, drawOverlays, render }) {
  let scrollFrame = 0;
  scroller.addEventListener('scroll', () => {
    cancelAnimationFrame(scrollFrame);
    scrollFrame = requestAnimationFrame(() => {
      for (const row of rows.values()) row.draw();
      drawOverlays();
    });
  });
  scroller.addEventListener('wheel', (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    zoomBy(event.deltaY < 0 ? 1.25 : 0.8, event.clientX);
  }, { passive: false });
  rowsBox.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || !event.target.classList.contains('tl-lane')) return;
    const rect = event.target.getBoundingClientRect();
    store.select(null);
    ctx.onSeek(view.snapped(view.frameAt(event.clientX - rect.left)));
  });
  const resize = new ResizeObserver(() => render('resize'));
  resize.observe(scroller);
  return () => {
    resize.disconnect();
    cancelAnimationFrame(scrollFrame);
  };
}

/**
 * ctx: {store, edits, media, canEdit, report(error), setTrack(id, changes, label), takeLength(take), onSeek(frame),
 * onLoop(region, {final}), playhead() → frame, loop() → region | null, looping() → boolean, onZoom()}.
 * Returns {el, view, render(reason), zoomBy(factor, anchorClientX?), follow(frame), dispose()}.
 */
export function tracksView(ctx) {
  const { store } = ctx;
  // pixels per second (the song is fitted to the window once the window has a size) and the snap
  const zoom = { pps: 50, snap: true };
  let fitted = false;
  const scroller = h('div.tl-scroll', {});
  const content = h('div.tl-content', {});
  const corner = h('div.tl-corner', {});
  const rulerRow = h('div.tl-ruler-row', {}, corner);
  const rowsBox = h('div.tl-rows', {});
  const playheadLine = h('div.tl-playhead', { 'aria-hidden': 'true' });
  const loopBand = h('div.tl-loop', { 'aria-hidden': 'true', hidden: true });
  const empty = h('p.tl-empty', { text: 'No tracks yet. Add a track, or add a take in “Takes” below: it lands on a track of its own.' });
  content.append(rulerRow, rowsBox, loopBand, playheadLine);
  scroller.append(content);
  const el = h('div.tl', { role: 'region', 'aria-label': 'Timeline' }, scroller, empty);
  const rows = new Map(); // track id → trackRow

  const headWidth = () => corner.offsetWidth || 0;

  const view = viewModel(store, zoom, { scroller, headWidth, ctx });

  const rulerView = ruler(view, { onSeek: ctx.onSeek, onLoop: ctx.onLoop });
  rulerRow.append(rulerView.el);

  const rowCtx = {
    ...ctx,
    view,
    heard: (track) => audible(track, store.tracks),
    rowAt(clientY) {
      for (const [id, row] of rows) {
        const r = row.el.getBoundingClientRect();
        if (clientY >= r.top && clientY < r.bottom) return id;
      }
      return null;
    },
    rowTop: (id) => rows.get(id)?.el.offsetTop ?? 0,
    canHold: (id) => rows.has(id),
    redraw: () => render('replace'),
    refocus(clipId) {
      for (const row of rows.values()) {
        const clip = row.clips.get(clipId);
        if (clip) clip.el.focus({ preventScroll: false });
      }
    },
  };

  /** Lane width: the song and 30 s more, at least the window. */
  function laneWidth() {
    const seconds = secondsOf(arrangementEnd(store.doc), store.doc) + 30;
    return Math.max(view.laneViewport(), Math.ceil(seconds * zoom.pps));
  }

  function layoutWidth() {
    const width = laneWidth();
    // the grid behind the clips: bar lines, and beat lines when beats are far enough apart
    const beat = view.x(framesPerBeat(store.doc)) - view.x(0);
    content.style.setProperty('--bar-px', `${beat * (store.doc.beats_per_bar || 4)}px`);
    content.style.setProperty('--beat-px', `${beat >= 8 ? beat : beat * (store.doc.beats_per_bar || 4)}px`);
    content.style.width = `${headWidth() + width}px`;
    for (const row of rows.values()) row.lane.style.width = `${width}px`;
    rulerRow.style.width = `${headWidth() + width}px`;
  }

  function fit() {
    const end = secondsOf(arrangementEnd(store.doc), store.doc);
    const seconds = end > 0 ? end * 1.1 : 20;
    zoom.pps = Math.min(MAX_PPS, Math.max(MIN_PPS, view.laneViewport() / seconds));
  }

  function drawOverlays() {
    const head = headWidth();
    const x = view.x(ctx.playhead());
    playheadLine.style.left = `${head + x}px`;
    playheadLine.hidden = x < scroller.scrollLeft - 2;
    el.dataset.playheadFrame = String(Math.round(ctx.playhead()));
    const loop = ctx.loop();
    loopBand.hidden = !loop || !ctx.looping();
    if (loop) {
      loopBand.style.left = `${head + view.x(loop.from)}px`;
      loopBand.style.width = `${view.x(loop.to) - view.x(loop.from)}px`;
    }
    rulerView.draw();
  }

  /** Draws from the store: rows made, updated, reordered or removed as needed. */
  function render(reason = 'replace') {
    if (!fitted && scroller.clientWidth > 0) {
      fit();
      fitted = true;
      queueMicrotask(() => ctx.onZoom?.());
    }
    if (reason === 'select') {
      for (const row of rows.values()) row.describe();
      return;
    }
    const tracks = store.tracks;
    reconcile(rowsBox, rows, tracks, { make: (track) => trackRow(track, rowCtx), update: (row, track) => row.update(track) });
    empty.hidden = tracks.length > 0;
    el.dataset.tracks = String(tracks.length);
    el.dataset.pixelsPerSecond = zoom.pps.toFixed(3);
    layoutWidth();
    for (const row of rows.values()) row.place();
    drawOverlays();
  }

  /** Zooms by factor, keeping the time under anchorClientX (else the playhead, else the window's middle) in place. */
  function zoomBy(factor, anchorClientX) {
    const rect = scroller.getBoundingClientRect();
    const head = headWidth();
    let anchorX;
    if (anchorClientX !== undefined) anchorX = anchorClientX - rect.left - head;
    else {
      const p = view.x(ctx.playhead()) - scroller.scrollLeft;
      anchorX = p >= 0 && p <= view.laneViewport() ? p : view.laneViewport() / 2;
    }
    const frame = view.frameAt(scroller.scrollLeft + anchorX);
    zoom.pps = Math.min(MAX_PPS, Math.max(MIN_PPS, zoom.pps * factor));
    layoutWidth();
    scroller.scrollLeft = Math.max(0, view.x(frame) - anchorX);
    render('zoom');
    ctx.onZoom?.();
  }

  /** Keeps the playhead in the window while playing: when it leaves, the window turns the page. */
  function follow(frame) {
    const x = view.x(frame);
    const left = scroller.scrollLeft;
    const width = view.laneViewport();
    if (x < left || x > left + width - 8) scroller.scrollLeft = Math.max(0, x - width * 0.1);
    drawOverlays();
  }

  const stopListening = listen({ scroller, rowsBox, rows, store, view, ctx, zoomBy, drawOverlays, render });

  return {
    el,
    view,
    render,
    zoomBy,
    follow,
    drawOverlays,
    setSnap(on) {
      zoom.snap = on;
    },
    pixelsPerSecond: () => zoom.pps,
    dispose: stopListening,
  };
}
