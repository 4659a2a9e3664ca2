// Draws BBC audiowaveform v2 peaks (from GET /projects/{id}/waveform) on a canvas, with a playhead.

export class WaveformView {
  constructor(canvas) {
    this.canvas = canvas;
    this.peaks = null;
    this.position = 0; // 0..1
    this.resize = this.resize.bind(this);
    this.observer = new ResizeObserver(this.resize);
    this.observer.observe(canvas);
  }

  /** waveform: {bits, channels, length, data: [min, max, ...]} */
  setWaveform(waveform) {
    const scale = waveform.bits === 16 ? 32768 : 128;
    const channels = waveform.channels || 1;
    const n = waveform.length || Math.floor(waveform.data.length / (2 * channels));
    const mins = new Float32Array(n);
    const maxs = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // mono-mixed peaks; with more channels take the widest of them
      let lo = 0;
      let hi = 0;
      for (let c = 0; c < channels; c++) {
        lo = Math.min(lo, waveform.data[2 * (i * channels + c)] / scale);
        hi = Math.max(hi, waveform.data[2 * (i * channels + c) + 1] / scale);
      }
      mins[i] = lo;
      maxs[i] = hi;
    }
    this.peaks = { mins, maxs, n };
    this.draw();
  }

  setPosition(fraction) {
    this.position = Math.max(0, Math.min(1, fraction || 0));
    this.draw();
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.draw();
  }

  draw() {
    const { canvas } = this;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    const style = getComputedStyle(canvas);
    ctx.fillStyle = style.getPropertyValue('--wave-bg').trim() || '#10141c';
    ctx.fillRect(0, 0, width, height);
    if (!this.peaks || this.peaks.n === 0) {
      canvas.dataset.drawn = 'false';
      return;
    }
    const { mins, maxs, n } = this.peaks;
    const mid = height / 2;
    const played = Math.floor(this.position * width);
    const wave = style.getPropertyValue('--wave-fg').trim() || '#5ec8f2';
    const done = style.getPropertyValue('--wave-played').trim() || '#f2b35e';
    let columns = 0;
    for (let x = 0; x < width; x++) {
      const from = Math.floor((x / width) * n);
      const to = Math.max(from + 1, Math.floor(((x + 1) / width) * n));
      let lo = 0;
      let hi = 0;
      for (let i = from; i < to && i < n; i++) {
        if (mins[i] < lo) lo = mins[i];
        if (maxs[i] > hi) hi = maxs[i];
      }
      const top = mid - hi * mid;
      const bottom = mid - lo * mid;
      ctx.fillStyle = x < played ? done : wave;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
      if (hi - lo > 0.01) columns++;
    }
    if (this.position > 0) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(Math.min(played, width - 2), 0, 2, height);
    }
    canvas.dataset.drawn = 'true';
    canvas.dataset.columns = String(columns);
    canvas.dataset.playhead = this.position.toFixed(4);
  }

  destroy() {
    this.observer.disconnect();
  }
}
