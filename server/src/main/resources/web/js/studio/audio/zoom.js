// Moving around the waveform: zoom (buttons, + and − on the focused canvas, Ctrl + wheel), scrolling (slider,
// arrows, shift + wheel) and the finer peaks fetched for each zoom level.
import { h } from '../../shared/dom.js';
import { get } from '../../api.js';
import { MAX_ZOOM } from './waveform-view.js';

/** Finer waveform resolutions fetched for zoomed views (the stored overview is 256 samples per pixel). */
const DETAIL_LEVELS = [128, 64, 32, 16, 8, 4, 2];
/** A finer level is fetched only when it has at most this many pixels (≈ 3 MB of JSON). */
const MAX_DETAIL_PIXELS = 500_000;

/**
 * The zoom and scroll tools of player (see audio-section.js). Returns {el, viewChanged(), forgetDetail()}:
 * viewChanged() brings the tools up to date after the view moved; forgetDetail() after the audio changed.
 */
export function zoomTools(player) {
  const { wave, canvas } = player;
  const zoomOut = h('button', { type: 'button', id: 'zoom-out', text: '−', 'aria-label': 'Zoom out' });
  const zoomIn = h('button', { type: 'button', id: 'zoom-in', text: '+', 'aria-label': 'Zoom in' });
  const zoomFit = h('button', { type: 'button', id: 'zoom-fit', text: 'Fit', 'aria-label': 'Show the whole recording' });
  const zoomLevel = h('output', { id: 'zoom-level', for: 'waveform', text: '1×', 'aria-live': 'polite' });
  const scroll = h('input', {
    type: 'range', id: 'waveform-scroll', min: 0, max: 1000, step: 1, value: '0', disabled: true,
    'aria-label': 'Scroll the waveform',
  });
  let detailTimer = 0;
  let fetchedDetail = new Set();
  player.disposers.push(() => clearTimeout(detailTimer));

  /** At a zoom where the overview has less than a peak per column, fetch a finer level (once each). */
  async function fetchDetail() {
    const frames = wave.frames();
    if (!frames) return;
    const ideal = frames / (Math.max(1, canvas.width) * wave.zoom); // samples per column
    const allowed = DETAIL_LEVELS.filter((l) => frames / l <= MAX_DETAIL_PIXELS);
    const spp = allowed.find((l) => l <= ideal) ?? allowed[allowed.length - 1];
    if (ideal >= 256 || spp === undefined || fetchedDetail.has(spp)) return;
    fetchedDetail.add(spp);
    const take = player.project.original_audio_url;
    try {
      const detail = await get(`/projects/${player.id}/waveform?samples_per_pixel=${spp}&bits=8&channels=mono`);
      if (player.project.original_audio_url === take) wave.addDetail(detail);
    } catch (e) {
      fetchedDetail.delete(spp);
      // a busy server (503) says when to ask again; the overview stays drawn meanwhile
      if (e.status === 503) {
        setTimeout(() => { if (player.project.original_audio_url === take) fetchDetail(); },
          1000 * Math.min(30, Number(e.problem.retry_after_seconds) || 1));
        return;
      }
      player.message.show(`The detailed waveform could not be loaded: ${e.message}`);
    }
  }

  function viewChanged() {
    const { zoom, start } = wave;
    const duration = player.duration();
    zoomLevel.textContent = `${zoom}×`;
    zoomIn.disabled = zoom >= MAX_ZOOM || !wave.hasData();
    zoomOut.disabled = zoom <= 1;
    zoomFit.disabled = zoom <= 1;
    scroll.disabled = zoom <= 1;
    scroll.value = String(zoom <= 1 ? 0 : Math.round((start / (1 - 1 / zoom)) * 1000));
    const { from, to } = wave.visible();
    scroll.setAttribute('aria-valuetext', `showing ${(from * duration).toFixed(1)} s to ${(to * duration).toFixed(1)} s`);
    clearTimeout(detailTimer);
    if (zoom > 1) detailTimer = setTimeout(fetchDetail, 150);
  }

  /** Zooms by a factor around a fraction of the recording: the playhead when it is in view, else the middle. */
  function zoomBy(factor, anchor) {
    if (!wave.hasData()) return;
    const { from, to } = wave.visible();
    const at = anchor ?? (wave.position >= from && wave.position <= to && wave.position > 0 ? wave.position : (from + to) / 2);
    wave.zoomAround(factor, at);
    viewChanged();
  }

  function scrollBy(windows) {
    wave.setView(wave.zoom, wave.start + windows / wave.zoom);
    viewChanged();
  }

  function onKey(event) {
    const actions = {
      '+': () => zoomBy(2), '=': () => zoomBy(2), '-': () => zoomBy(0.5), _: () => zoomBy(0.5),
      0: () => zoomFit.click(), ArrowLeft: () => scrollBy(-0.25), ArrowRight: () => scrollBy(0.25),
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    action();
  }

  function onWheel(event) {
    if (!wave.hasData()) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? 2 : 0.5, wave.fractionAt(event.clientX));
    } else if (wave.zoom > 1 && (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY))) {
      event.preventDefault();
      const delta = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
      scrollBy(Math.sign(delta) * 0.1);
    }
  }

  zoomIn.addEventListener('click', () => zoomBy(2));
  zoomOut.addEventListener('click', () => zoomBy(0.5));
  zoomFit.addEventListener('click', () => {
    wave.setView(1, 0);
    viewChanged();
  });
  scroll.addEventListener('input', () => {
    wave.setView(wave.zoom, (Number(scroll.value) / 1000) * (1 - 1 / wave.zoom));
    viewChanged();
  });
  canvas.addEventListener('keydown', onKey);
  canvas.addEventListener('wheel', onWheel, { passive: false });

  return {
    el: h('div.wave-tools', {}, zoomOut, zoomLevel, zoomIn, zoomFit, scroll),
    viewChanged,
    forgetDetail: () => {
      fetchedDetail = new Set();
    },
  };
}
