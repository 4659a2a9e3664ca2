// The browser metronome. One click implementation for the studio's metronome and the recorder's count-in.
//
// Scheduling ("A Tale of Two Clocks", Chris Wilson): every click is an oscillator started at an exact time on the
// AudioContext clock, which runs on the audio thread and does not jitter. A JavaScript timer is far too coarse to
// time clicks itself, so it is only a wake-up call: every LOOKAHEAD_MS (a worker's setTimeout, not throttled in a
// background tab like the page's timers are) we schedule every beat that falls before currentTime + SCHEDULE_AHEAD
// and advance nextBeat by 60 / bpm. A late wake-up therefore never shifts a click, as long as it comes within
// SCHEDULE_AHEAD; a tempo change applies from the next beat not yet scheduled.
import { h, field, messageBox } from './dom.js';
import { patch } from './api.js';

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
    const worker = new Worker('/js/metronome-ticker.js');
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

const SIGNATURES = [2, 3, 4, 5, 6, 7, 9, 12];

/**
 * The studio's "Metronome" section: start/stop, BPM, beats per bar, volume, tap tempo, and (for editors) saving the
 * tempo as the project's. It starts from the project's metronome_bpm and project_settings.metronome.beats_per_bar.
 * settings() gives the current {bpm, beatsPerBar, volume} to the recorder, which clicks with the same scheduler.
 * The section carries data-state, data-bpm, data-beats-scheduled, data-beat-times (context times of the last
 * scheduled beats, in seconds) and data-beat-numbers (their places in the bar, 0 = accented) for tests.
 */
export function metronomeSection({ project, canEdit, disposers, onSaved }) {
  const initialBeats = Number(project.project_settings?.metronome?.beats_per_bar) || 4;
  const bpm = field('Tempo (BPM)', {
    type: 'number', id: 'metronome-bpm', min: MIN_BPM, max: MAX_BPM, step: 1, inputmode: 'numeric',
    value: String(project.metronome_bpm || 120),
  });
  const beats = field('Beats per bar', { tag: 'select', id: 'metronome-beats' });
  for (const n of SIGNATURES) {
    beats.input.append(h('option', { value: String(n), text: String(n), selected: n === initialBeats }));
  }
  if (!SIGNATURES.includes(initialBeats)) beats.input.append(h('option', { value: String(initialBeats), text: String(initialBeats), selected: true }));
  const volume = field('Click volume', { type: 'range', id: 'metronome-volume', min: 0, max: 100, step: 1, value: '80' });
  const toggle = h('button.primary', { type: 'button', id: 'metronome-toggle', text: 'Start', 'aria-pressed': 'false' });
  const tap = h('button', { type: 'button', id: 'tap-tempo', text: 'Tap tempo', 'aria-describedby': 'tap-hint' });
  const save = canEdit ? h('button', { type: 'button', id: 'metronome-save', text: 'Save as project tempo' }) : null;
  const lights = h('ol.beats', { 'aria-hidden': 'true' });
  const download = h('a.download', { id: 'metronome-download', download: '' });
  const message = messageBox();
  const section = h('section.card#metronome', { 'aria-labelledby': 'h-metronome', 'data-state': 'stopped' });
  const tapTempo = new TapTempo();
  let saved = { bpm: project.metronome_bpm || 120, beatsPerBar: initialBeats };
  let frame = 0;

  const metronome = new Metronome({
    bpm: Number(bpm.input.value), beatsPerBar: initialBeats, volume: 0.8,
    onSchedule: (m) => {
      section.dataset.beatsScheduled = String(m.scheduled);
      section.dataset.beatTimes = m.recent.map((b) => b.time.toFixed(6)).join(' ');
      section.dataset.beatNumbers = m.recent.map((b) => b.beat).join(' ');
    },
  });
  disposers.push(() => {
    cancelAnimationFrame(frame);
    metronome.close().catch(() => {});
  });

  const current = () => ({ bpm: metronome.bpm, beatsPerBar: metronome.beatsPerBar, volume: metronome.volume });

  function drawLights() {
    lights.replaceChildren();
    for (let i = 0; i < metronome.beatsPerBar; i++) lights.append(h(i === 0 ? 'li.accent' : 'li'));
  }

  function describe() {
    const { bpm: b, beatsPerBar } = current();
    section.dataset.bpm = String(b);
    download.href = `/api/v1/metronome?bpm=${Math.round(b)}&beats_per_bar=${beatsPerBar}&bars=16`;
    download.textContent = `Download a click track (16 bars, WAV)`;
    if (save) save.disabled = Math.round(b) === saved.bpm && beatsPerBar === saved.beatsPerBar;
  }

  /** Lights the beat that is sounding now: the scheduled beats are on the audio clock, the lights follow it. */
  function follow() {
    const ctx = metronome.ctx;
    if (!ctx || !metronome.running) {
      for (const li of lights.children) li.classList.remove('on');
      return;
    }
    const sounding = [...metronome.recent].reverse().find((b) => b.time <= ctx.currentTime);
    [...lights.children].forEach((li, i) => li.classList.toggle('on', sounding !== undefined && sounding.beat === i));
    frame = requestAnimationFrame(follow);
  }

  function setBpm(value) {
    const n = Math.round(Number(value));
    if (!Number.isFinite(n) || n < MIN_BPM || n > MAX_BPM) {
      message.show(`The tempo must be a whole number from ${MIN_BPM} to ${MAX_BPM} BPM.`);
      return;
    }
    message.clear();
    metronome.setBpm(n);
    bpm.input.value = String(n);
    describe();
  }

  bpm.input.addEventListener('change', () => setBpm(bpm.input.value));
  beats.input.addEventListener('change', () => {
    metronome.setBeatsPerBar(Number(beats.input.value));
    drawLights();
    describe();
  });
  volume.input.addEventListener('input', () => metronome.setVolume(Number(volume.input.value) / 100));
  toggle.addEventListener('click', async () => {
    message.clear();
    if (metronome.running) {
      metronome.silence();
      cancelAnimationFrame(frame);
      follow();
      toggle.textContent = 'Start';
      toggle.setAttribute('aria-pressed', 'false');
      section.dataset.state = 'stopped';
      return;
    }
    try {
      await metronome.start();
      toggle.textContent = 'Stop';
      toggle.setAttribute('aria-pressed', 'true');
      section.dataset.state = 'running';
      frame = requestAnimationFrame(follow);
    } catch (e) {
      message.show(`The metronome could not start: ${e.message || e}`);
    }
  });
  tap.addEventListener('click', (event) => {
    const tempo = tapTempo.tap(event.timeStamp);
    tap.dataset.taps = String(tapTempo.taps.length);
    tap.dataset.tapTimes = tapTempo.taps.map((t) => t.toFixed(1)).join(' ');
    if (tempo !== null) setBpm(Math.max(MIN_BPM, Math.min(MAX_BPM, tempo)));
  });
  save?.addEventListener('click', async () => {
    message.clear();
    save.disabled = true;
    const { bpm: b, beatsPerBar } = current();
    try {
      // project_settings is replaced as a whole: keep what else it holds
      const settings = { ...(project.project_settings || {}), metronome: { ...(project.project_settings?.metronome || {}), beats_per_bar: beatsPerBar } };
      const answer = await patch(`/projects/${project.id}`, { metronome_bpm: Math.round(b), project_settings: settings });
      project.metronome_bpm = answer.metronome_bpm;
      project.project_settings = answer.project_settings;
      saved = { bpm: answer.metronome_bpm, beatsPerBar };
      message.show(`Saved: the project's tempo is ${answer.metronome_bpm} BPM, ${beatsPerBar} beats a bar.`, 'ok');
      onSaved?.(answer);
    } catch (e) {
      message.show(e.message);
    } finally {
      describe();
    }
  });

  drawLights();
  describe();
  section.dataset.beatsScheduled = '0';
  section.dataset.beatTimes = '';
  section.append(
    h('h2#h-metronome', { text: 'Metronome' }),
    h('div.add', {}, bpm.row, beats.row, volume.row),
    h('div.actions', {}, toggle, tap, save, lights),
    h('p.hint#tap-hint', { text: 'Tap the beat a few times to set the tempo; a pause of two seconds starts over. Saving makes it the project tempo, which renders and AI arrangements follow.' }),
    download, message.el);
  return { section, settings: current };
}
