// The browser metronome. One click implementation for the studio's metronome and the recorder's count-in; the
// studio's "Metronome" section is metronome-section.js.
//
// Scheduling ("A Tale of Two Clocks", Chris Wilson): every click is an oscillator started at an exact time on the
// AudioContext clock, which runs on the audio thread and does not jitter. A JavaScript timer is far too coarse to
// time clicks itself, so it is only a wake-up call: every LOOKAHEAD_MS (a worker's setTimeout, not throttled in a
// background tab like the page's timers are) we schedule every beat that falls before currentTime + SCHEDULE_AHEAD
// and advance nextBeat by 60 / bpm. A late wake-up therefore never shifts a click, as long as it comes within
// SCHEDULE_AHEAD; a tempo change applies from the next beat not yet scheduled.

const LOOKAHEAD_MS = 25;
const SCHEDULE_AHEAD = 0.1; // seconds
const KEEP_RECENT = 8;
export const MIN_BPM = 30;
export const MAX_BPM = 300;

/** A click at context time t into `destination`: a short decaying sine, higher on the bar's first beat. */
export function click(ctx, destination, t, accent) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = accent ? 1500 : 1000;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(accent ? 0.8 : 0.5, t + 0.002);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.06);
  osc.connect(gain).connect(destination);
  osc.onended = () => gain.disconnect();
  osc.start(t);
  osc.stop(t + 0.08);
}

/** The wake-up call: a worker's timer when workers are available, else the page's setTimeout. */
function ticker(onTick) {
  try {
    const worker = new Worker('/js/studio/metronome/metronome-ticker.js');
    worker.onmessage = onTick;
    return {
      start: () => worker.postMessage({ interval: LOOKAHEAD_MS }),
      stop: () => worker.postMessage({ stop: true }),
      close: () => worker.terminate(),
    };
  } catch {
    let timer = 0;
    const loop = () => {
      onTick();
      timer = setTimeout(loop, LOOKAHEAD_MS);
    };
    return { start: loop, stop: () => clearTimeout(timer), close: () => clearTimeout(timer) };
  }
}

/**
 * A click track scheduled ahead on an AudioContext. Give it the context to click in (the recorder's), or it makes
 * its own on the first start (which must follow a user gesture). Not thread-safe: the page's main thread only.
 */
export class Metronome {
  constructor({ context = null, bpm = 120, beatsPerBar = 4, volume = 0.8, onSchedule = null } = {}) {
    this.ctx = context;
    this.ownContext = !context;
    this.bpm = clampBpm(bpm);
    this.beatsPerBar = beatsPerBar;
    this.volume = volume;
    this.onSchedule = onSchedule;
    this.output = null;
    this.ticker = null;
    this.running = false;
    this.nextBeat = 0; // context time of the next beat to schedule
    this.beatIndex = 0; // beats scheduled since start
    this.limit = Infinity; // beats to schedule before stopping by itself
    this.scheduled = 0; // beats scheduled since this metronome was made
    this.recent = []; // {time, beat} of the last few scheduled beats, oldest first
  }

  /** Seconds between beats. */
  interval() {
    return 60 / this.bpm;
  }

  setBpm(bpm) {
    this.bpm = clampBpm(bpm);
  }

  setBeatsPerBar(n) {
    this.beatsPerBar = Math.max(1, Math.min(16, Math.round(n) || 4));
  }

  setVolume(volume) {
    this.volume = Math.max(0, Math.min(1, volume));
    if (this.output) this.output.gain.setTargetAtTime(this.volume, this.ctx.currentTime, 0.01);
  }

  /**
   * Starts clicking at context time `at` (soon, by default) for `beats` beats (for ever, by default); the first one
   * accented. Resolves to the time of the first beat.
   */
  async start({ at = null, beats = Infinity } = {}) {
    this.stop();
    if (!this.ctx) this.ctx = new AudioContext();
    if (this.ctx.state === 'suspended') await this.ctx.resume();
    if (!this.output) {
      this.output = this.ctx.createGain();
      this.output.gain.value = this.volume;
      this.output.connect(this.ctx.destination);
    }
    const first = at ?? this.ctx.currentTime + 0.05;
    this.nextBeat = first;
    this.beatIndex = 0;
    this.limit = beats;
    this.running = true;
    if (!this.ticker) this.ticker = ticker(() => this.schedule());
    this.schedule();
    this.ticker.start();
    return first;
  }

  /** Schedules every beat that falls within the look-ahead window. Called by the ticker. */
  schedule() {
    if (!this.running) return;
    const horizon = this.ctx.currentTime + SCHEDULE_AHEAD;
    let any = false;
    while (this.nextBeat < horizon && this.beatIndex < this.limit) {
      const beat = this.beatIndex % this.beatsPerBar;
      click(this.ctx, this.output, this.nextBeat, beat === 0);
      this.recent.push({ time: this.nextBeat, beat });
      if (this.recent.length > KEEP_RECENT) this.recent.shift();
      this.scheduled++;
      this.beatIndex++;
      this.nextBeat += this.interval();
      any = true;
    }
    if (any) this.onSchedule?.(this);
    if (this.beatIndex >= this.limit) this.stop();
  }

  /** Stops scheduling; beats already scheduled (at most SCHEDULE_AHEAD ahead) still sound unless the output is cut. */
  stop() {
    this.running = false;
    this.ticker?.stop();
  }

  /** Stops and silences at once (disconnects the clicks already scheduled). */
  silence() {
    this.stop();
    if (this.output) {
      this.output.disconnect();
      this.output = null;
    }
  }

  async close() {
    this.silence();
    this.ticker?.close();
    this.ticker = null;
    if (this.ownContext && this.ctx) {
      const ctx = this.ctx;
      this.ctx = null;
      await ctx.close();
    }
  }
}

function clampBpm(bpm) {
  const n = Number(bpm);
  return Number.isFinite(n) ? Math.max(MIN_BPM, Math.min(MAX_BPM, n)) : 120;
}

/** Tap tempo: the average interval of the last taps; a pause of more than RESET_MS starts over. */
export class TapTempo {
  static RESET_MS = 2000;
  static KEEP = 6;

  constructor() {
    this.taps = [];
  }

  /** Records a tap at `ms` (an event's timeStamp); returns the tempo in BPM once there are two taps, else null. */
  tap(ms) {
    const last = this.taps[this.taps.length - 1];
    if (last !== undefined && (ms - last > TapTempo.RESET_MS || ms <= last)) this.taps = [];
    this.taps.push(ms);
    if (this.taps.length > TapTempo.KEEP) this.taps.shift();
    if (this.taps.length < 2) return null;
    const average = (this.taps[this.taps.length - 1] - this.taps[0]) / (this.taps.length - 1);
    return 60000 / average;
  }
}
