// Draws BBC audiowaveform v2 peaks (from GET /projects/{id}/waveform) on a canvas: a zoomable window onto the
// recording, a playhead and a highlighted loop region. Positions are fractions (0..1) of the waveform's length.
// Pure drawing: the audio section (audio-section.js, zoom.js, loop.js) fetches the data and turns pointer and
// keyboard input into calls here.
import { sharpCanvas } from '../../shared/dom.js';

export const MAX_ZOOM = 128;

/** audiowaveform v2 JSON → {mins, maxs, n, samplesPerPixel, sampleRate}; several channels → the widest of them. */
export function peaksOf(waveform) {
  const scale = waveform.bits === 16 ? 32768 : 128;
  const channels = waveform.channels || 1;
  const n = waveform.length || Math.floor(waveform.data.length / (2 * channels));
  const mins = new Float32Array(n);
  const maxs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = 0;
    for (let c = 0; c < channels; c++) {
      lo = Math.min(lo, waveform.data[2 * (i * channels + c)] / scale);
      hi = Math.max(hi, waveform.data[2 * (i * channels + c) + 1] / scale);
    }
    mins[i] = lo;
    maxs[i] = hi;
  }
  return { mins, maxs, n, samplesPerPixel: waveform.samples_per_pixel || 256, sampleRate: waveform.sample_rate || 44100 };
}

export class WaveformView {
  constructor(canvas) {
    this.canvas = canvas;
    this.levels = []; // peaks at several resolutions, coarsest first; levels[0] covers the whole recording
    this.position = 0; // playhead, 0..1
    this.zoom = 1; // the window shows 1/zoom of the recording
    this.start = 0; // the window's left edge, 0..1 - 1/zoom
    this.region = null; // {from, to}, 0..1
    this.draws = 0;
    this.resize = this.resize.bind(this);
    this.observer = new ResizeObserver(this.resize);
    this.observer.observe(canvas);
  }

  /** The overview (stored 256-samples-per-pixel peaks): replaces every level, e.g. after a new upload. */
  setWaveform(waveform) {
    this.levels = [peaksOf(waveform)];
    this.draw();
  }

  /** A finer level for zoomed views (the same recording at fewer samples per pixel). */
  addDetail(waveform) {
    const peaks = peaksOf(waveform);
    this.levels = [...this.levels.filter((l) => l.samplesPerPixel !== peaks.samplesPerPixel), peaks]
      .sort((a, b) => b.samplesPerPixel - a.samplesPerPixel);
    this.draw();
  }

  hasData() {
    return this.levels.length > 0 && this.levels[0].n > 0;
  }

  /** Seconds the waveform covers (0 without data). */
  seconds() {
    const l = this.levels[0];
    return l ? (l.n * l.samplesPerPixel) / l.sampleRate : 0;
  }

  /** Frames of the recording, as the overview knows them. */
  frames() {
    const l = this.levels[0];
    return l ? l.n * l.samplesPerPixel : 0;
  }

  setPosition(fraction) {
    this.position = clamp01(fraction || 0);
    this.draw();
  }

  /** The window: zoom ≥ 1 and its left edge; both are clamped. */
  setView(zoom, start) {
    this.zoom = Math.max(1, Math.min(MAX_ZOOM, zoom));
    this.start = Math.max(0, Math.min(1 - 1 / this.zoom, start));
    this.draw();
  }

  /** Zooms by factor keeping the fraction `anchor` at the same place on screen. */
  zoomAround(factor, anchor) {
    const { from, to } = this.visible();
    const at = (anchor - from) / (to - from);
    const zoom = Math.max(1, Math.min(MAX_ZOOM, this.zoom * factor));
    this.setView(zoom, anchor - at / zoom);
  }

  /** Moves the window so that `fraction` is shown, `lead` of the window after its left edge. */
  reveal(fraction, lead = 0.1) {
    const { from, to } = this.visible();
    if (fraction >= from && fraction <= to) return false;
    this.setView(this.zoom, fraction - lead / this.zoom);
    return true;
  }

  visible() {
    return { from: this.start, to: this.start + 1 / this.zoom };
  }

  /** The fraction of the recording under a pointer's clientX. */
  fractionAt(clientX) {
    const rect = this.canvas.getBoundingClientRect();
    const { from, to } = this.visible();
    return clamp01(from + clamp01((clientX - rect.left) / rect.width) * (to - from));
  }

  setRegion(region) {
    this.region = region && region.to > region.from ? { from: clamp01(region.from), to: clamp01(region.to) } : null;
    this.draw();
  }

  resize() {
    sharpCanvas(this.canvas);
    this.draw();
  }

  /** The coarsest level with at least one peak per column in the window, else the finest there is. */
  level(width) {
    const wanted = width * this.zoom;
    return this.levels.find((l) => l.n >= wanted) || this.levels[this.levels.length - 1];
  }

  draw() {
    const { canvas } = this;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    const style = getComputedStyle(canvas);
    ctx.fillStyle = style.getPropertyValue('--wave-bg').trim() || '#10141c';
    ctx.fillRect(0, 0, width, height);
    canvas.dataset.zoom = String(this.zoom);
    const { from, to } = this.visible();
    canvas.dataset.viewStart = from.toFixed(4);
    canvas.dataset.viewEnd = to.toFixed(4);
    if (!this.hasData()) {
      canvas.dataset.drawn = 'false';
      return;
    }
    const { mins, maxs, n, samplesPerPixel } = this.level(width);
    const span = to - from;
    const column = (fraction) => ((fraction - from) / span) * width;
    if (this.region) {
      const left = Math.max(0, column(this.region.from));
      const right = Math.min(width, column(this.region.to));
      if (right > left) {
        ctx.fillStyle = style.getPropertyValue('--wave-region').trim() || 'rgba(126, 231, 135, 0.18)';
        ctx.fillRect(left, 0, right - left, height);
        ctx.fillStyle = style.getPropertyValue('--wave-region-edge').trim() || '#7ee787';
        if (column(this.region.from) >= 0) ctx.fillRect(left, 0, 2, height);
        if (column(this.region.to) <= width) ctx.fillRect(right - 2, 0, 2, height);
      }
    }
    const mid = height / 2;
    const played = column(this.position);
    const wave = style.getPropertyValue('--wave-fg').trim() || '#5ec8f2';
    const done = style.getPropertyValue('--wave-played').trim() || '#f2b35e';
    let columns = 0;
    for (let x = 0; x < width; x++) {
      const a = (from + (x / width) * span) * n;
      const b = (from + ((x + 1) / width) * span) * n;
      const first = Math.min(n - 1, Math.floor(a));
      const last = Math.max(first + 1, Math.ceil(b));
      let lo = 0;
      let hi = 0;
      for (let i = first; i < last && i < n; i++) {
        if (mins[i] < lo) lo = mins[i];
        if (maxs[i] > hi) hi = maxs[i];
      }
      const top = mid - hi * mid;
      const bottom = mid - lo * mid;
      ctx.fillStyle = x < played ? done : wave;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
      if (hi - lo > 0.01) columns++;
    }
    if (this.position > 0 && played >= 0 && played <= width) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(Math.min(played, width - 2), 0, 2, height);
    }
    this.draws++;
    canvas.dataset.drawn = 'true';
    canvas.dataset.draws = String(this.draws);
    canvas.dataset.columns = String(columns);
    canvas.dataset.playhead = this.position.toFixed(4);
    canvas.dataset.samplesPerPixel = String(samplesPerPixel);
  }

  destroy() {
    this.observer.disconnect();
  }
}

function clamp01(x) {
  return Math.max(0, Math.min(1, x));
}
