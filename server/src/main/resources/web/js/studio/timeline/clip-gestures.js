// What edits a clip by hand: a drag of its body moves it (onto another track too), a drag of an edge trims it,
// arrow keys nudge and trim it by a grid step. A gesture only previews (clip.preview); on release it becomes one
// undoable edit through ctx.edits, and the clip then shows what the server answered.

export const EDGE = 8; // px of each end that trims instead of moving

/** Where a trim of `edge` ("start" or "end") by `delta` frames lands: on the grid, inside the take, ≥ 10 ms long. */
export function trimmed(clip, edge, delta, { view, takeFrames, rate }) {
  const minLength = Math.max(1, Math.round(rate / 100));
  const end = clip.start_frame + clip.length_frames;
  if (edge === 'start') {
    let start = view.snapped(clip.start_frame + delta);
    start = Math.max(start, clip.start_frame - clip.offset_frames, 0);
    start = Math.min(start, end - minLength);
    return { start_frame: start, offset_frames: clip.offset_frames + (start - clip.start_frame), length_frames: end - start };
  }
  let newEnd = view.snapped(end + delta);
  if (takeFrames !== null) newEnd = Math.min(newEnd, clip.start_frame + takeFrames - clip.offset_frames);
  newEnd = Math.max(newEnd, clip.start_frame + minLength);
  return { length_frames: newEnd - clip.start_frame };
}

/**
 * Listens on a clip's element. clip: {clip(), track(), preview(changes | null)}; ctx as clip-view.js's.
 */
export function clipGestures(el, clip, ctx) {
  const { store, view } = ctx;
  const limits = () => ({ view, takeFrames: ctx.takeLength(clip.clip().take), rate: store.doc.sample_rate });
  /** Frames a horizontal distance on screen stands for (negative to the left). */
  const framesFor = (pixels) => (pixels / view.pixelsPerSecond()) * store.doc.sample_rate;

  /** Body or edge, from where the pointer went down. */
  function modeAt(clientX) {
    const rect = el.getBoundingClientRect();
    const x = clientX - rect.left;
    if (rect.width < 3 * EDGE) return 'move';
    if (x < EDGE) return 'start';
    return x > rect.width - EDGE ? 'end' : 'move';
  }

  async function finish(mode, changes, target) {
    const current = clip.clip();
    if (mode === 'move') {
      if (changes.start_frame === current.start_frame && target === clip.track().id) return;
      await ctx.edits.moveClip(current.id, { toTrack: target, startFrame: changes.start_frame });
    } else {
      await ctx.edits.trimClip(current.id, changes);
    }
  }

  function onPointerDown(event) {
    if (event.button !== 0) return;
    const current = clip.clip();
    const wasSelected = store.selected === current.id;
    store.select(current.id);
    el.focus({ preventScroll: true });
    if (!ctx.canEdit) return;
    // on a touch screen a first tap selects; dragging a selected clip edits it, else the finger scrolls
    if (event.pointerType === 'touch' && !wasSelected) return;
    event.preventDefault();
    event.stopPropagation();
    const mode = modeAt(event.clientX);
    const home = clip.track().id;
    let target = home;
    let changes = null;
    el.setPointerCapture(event.pointerId);
    el.classList.add('dragging');

    const onMove = (e) => {
      const dx = e.clientX - event.clientX;
      if (!changes && Math.abs(dx) < 3 && (mode !== 'move' || Math.abs(e.clientY - event.clientY) < 6)) return;
      const delta = framesFor(dx);
      if (mode === 'move') {
        changes = { start_frame: view.snapped(current.start_frame + delta) };
        const over = ctx.rowAt(e.clientY);
        if (over && ctx.canHold(over)) target = over;
        // shown over the lane it would land on; the store puts it there once the server agrees
        el.style.transform = target === home ? '' : `translateY(${ctx.rowTop(target) - ctx.rowTop(home)}px)`;
      } else {
        changes = trimmed(current, mode, delta, limits());
      }
      clip.preview(changes);
    };
    const onUp = () => {
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointercancel', onUp);
      el.classList.remove('dragging');
      el.style.transform = '';
      clip.preview(null);
      if (!changes) return;
      finish(mode, changes, target).catch((error) => {
        ctx.report(error);
        ctx.redraw(); // back to what the store holds
      });
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointercancel', onUp);
  }

  /** The edit an arrow key asks for: ← → move a grid step (10 ms without snap), Shift trims the end, Alt the start. */
  function keyAction(event) {
    const c = clip.clip();
    const step = view.snap ? Math.round(view.step().frames) : Math.max(1, Math.round(store.doc.sample_rate / 100));
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const sign = event.key === 'ArrowLeft' ? -1 : 1;
      if (event.shiftKey) return () => ctx.edits.trimClip(c.id, trimmed(c, 'end', sign * step, limits()));
      if (event.altKey) return () => ctx.edits.trimClip(c.id, trimmed(c, 'start', sign * step, limits()));
      const start = Math.max(0, view.snapped(c.start_frame + sign * step));
      return start === c.start_frame ? () => {} : () => ctx.edits.moveClip(c.id, { startFrame: start });
    }
    if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !event.shiftKey && !event.altKey) {
      const tracks = store.tracks;
      const next = tracks[tracks.findIndex((t) => t.id === clip.track().id) + (event.key === 'ArrowUp' ? -1 : 1)];
      return next ? () => ctx.edits.moveClip(c.id, { toTrack: next.id, startFrame: c.start_frame }) : () => {};
    }
    if (event.key === 'Enter') return () => store.select(store.selected === c.id ? null : c.id);
    return null; // Space, S, Delete and the rest are the studio's keys (keyboard.js)
  }

  el.addEventListener('pointerdown', onPointerDown);
  el.addEventListener('keydown', (event) => {
    if (!ctx.canEdit || event.ctrlKey || event.metaKey) return;
    const action = keyAction(event);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    const id = clip.clip().id;
    store.select(id);
    Promise.resolve(action()).then(() => ctx.refocus(id)).catch(ctx.report);
  });
}
