// Plays the arrangement in the browser with Web Audio: clips are scheduled on the audio clock from their takes'
// decoded audio (fetched once per take through media.js), through the mixer of mix-graph.js. Faders, pans, mute
// and solo change the running graph; an edit of clips reschedules from where the playhead is. A loop region repeats
// by scheduling each pass ahead of time on the same clock. A track with effects plays its preview (track-previews.js:
// rendered by the server's engine) through the same strip; when a new one arrives (its effects or clips changed) it
// takes over from the old sound on that track alone, a few milliseconds ahead, while the rest plays on.
import { buildMixer, scheduleClips, trackChannels } from './mix-graph.js';
import { arrangementEnd } from './grid.js';
import { previewsFor } from './track-previews.js';

const LOOKAHEAD = 0.25; // seconds: the next loop pass is scheduled this long before it starts
const SWAP_AHEAD = 0.04; // seconds: a track's new sound takes over this long after it is here
const FIRST_PREVIEWS_MS = 4000; // the first play waits this long at most for previews still rendering

/** What playing schedules (tracks and their clips), as text to compare: a mix change leaves it alone. */
function scheduleOf(doc) {
  return JSON.stringify(doc.tracks.map((t) => [t.id, t.clips.map((c) => [c.id, c.take, c.start_frame, c.offset_frames,
    c.length_frames, c.gain_db, c.fade_in_frames, c.fade_out_frames])]));
}

export class Playback {
  /** media: {buffer(take, ctx) → Promise<AudioBuffer|null>}; onEnded() when the song ends without a loop. */
  constructor({ media, onEnded = () => {} }) {
    this.media = media;
    this.onEnded = onEnded;
    this.ctx = null;
    this.mixer = null;
    this.sources = [];
    this.playing = false;
    this.startFrame = 0; // timeline frame at context time startedAt
    this.startedAt = 0;
    this.pausedAt = 0; // timeline frame when not playing
    this.loop = null; // {from, to} frames, or null
    this.masterDb = 0;
    this.doc = null;
    this.buffers = new Map();
    this.timer = 0;
    this.generation = 0;
    this.scheduled = null; // scheduleOf() the sources now scheduled were made from
    this.passes = []; // what is scheduled: [{at (context time), from, to (timeline frames)}]
    this.previews = null; // the project's track previews (track-previews.js), once the arrangement is known
    this.unsubscribe = null;
  }

  /** The project's track previews; a new preview of a track takes over that track while playing. */
  previewsOf(doc) {
    if (!this.previews && doc.project_id) {
      this.previews = previewsFor(doc.project_id);
      this.unsubscribe = this.previews.subscribe((trackId) => this.swapTrack(trackId));
    }
    return this.previews;
  }

  /** The previews to play now: track id → AudioBuffer, for the tracks that have one. */
  previewBuffers() {
    const buffers = new Map();
    if (!this.previews || !this.doc) return buffers;
    for (const track of this.doc.tracks) {
      const buffer = this.previews.buffer(track.id);
      if (buffer) buffers.set(track.id, buffer);
    }
    return buffers;
  }

  /** The audio context, made on first use at the arrangement's rate (so takes are decoded without resampling). */
  context(rate) {
    if (!this.ctx) {
      try {
        this.ctx = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
      } catch {
        this.ctx = new AudioContext({ latencyHint: 'interactive' });
      }
    }
    return this.ctx;
  }

  /**
   * Decodes (once) every take the arrangement plays; takes that cannot be had are left out (silent). Asks for the
   * previews of tracks with effects too, and waits a little for those still rendering (a track whose preview is not
   * here yet plays dry until it is).
   */
  async load(doc, { waitForPreviews = true } = {}) {
    const ctx = this.context(doc.sample_rate);
    const takes = new Set(doc.tracks.flatMap((t) => t.clips.map((c) => c.take)));
    const previews = this.previewsOf(doc)?.sync(doc);
    await Promise.all([...takes].map(async (take) => {
      if (this.buffers.has(take)) return;
      const buffer = await this.media.buffer(take, ctx);
      if (buffer) this.buffers.set(take, buffer);
    }));
    if (previews && waitForPreviews) {
      await Promise.race([previews, new Promise((resolve) => { setTimeout(resolve, FIRST_PREVIEWS_MS); })]);
    }
    return this.buffers;
  }

  /** The playhead in timeline frames. */
  position() {
    if (!this.playing || !this.ctx) return this.pausedAt;
    const rate = this.doc.sample_rate;
    let frame = this.startFrame + Math.max(0, this.ctx.currentTime - this.startedAt) * rate; // still at the start before `at`
    if (this.loop && frame >= this.loop.to) {
      const span = this.loop.to - this.loop.from;
      frame = this.loop.from + ((frame - this.loop.to) % span);
    }
    return Math.max(0, Math.round(frame));
  }

  /** Moves the playhead (and carries on playing from there when playing). */
  seek(frame) {
    this.pausedAt = Math.max(0, Math.round(frame));
    if (this.playing) this.restart(this.pausedAt);
  }

  setLoop(region) {
    this.loop = region && region.to > region.from ? region : null;
    if (this.playing) this.restart(this.position());
  }

  /**
   * Starts playing `doc` from the playhead: soon, or at context time `at` (a recording's start after its count-in,
   * so the song and the microphone share one clock).
   */
  async play(doc, { at = null } = {}) {
    this.doc = doc;
    const ctx = this.context(doc.sample_rate);
    if (ctx.state === 'suspended') await ctx.resume();
    // a start at a given time (after a count-in) has waited for what it needs already: it must not wait again
    await this.load(doc, { waitForPreviews: at === null });
    this.playing = true;
    this.rebuild();
    this.restart(this.pausedAt, at);
  }

  pause() {
    if (!this.playing) return;
    this.pausedAt = this.position();
    this.playing = false;
    this.silence();
  }

  /** Stops and puts the playhead at `frame`. */
  stop(frame = 0) {
    this.pause();
    this.pausedAt = frame;
  }

  /**
   * The arrangement changed. What only changes the mix (faders, pans, mute, solo, a name) glides on the running
   * graph; a change of what is scheduled (clips, tracks) reschedules from the playhead.
   */
  async update(doc, reason) {
    this.doc = doc;
    // once the desk has played, a track's new sound is fetched as soon as its effects or clips change
    if (this.ctx) this.previewsOf(doc)?.sync(doc);
    if (!this.playing) return;
    const schedule = scheduleOf(doc);
    if ((reason === 'mix' || schedule === this.scheduled) && this.mixer) {
      this.mixer.update(doc, { glide: true, masterDb: this.masterDb });
      return;
    }
    const at = this.position();
    await this.load(doc, { waitForPreviews: false }); // a track's new preview takes over when it is here
    if (!this.playing || this.doc !== doc) return;
    const sameTracks = doc.tracks.length === this.mixer?.tracks.size && doc.tracks.every((t) => this.mixer.tracks.has(t.id));
    if (!sameTracks) this.rebuild();
    else this.mixer.update(doc, { glide: true, masterDb: this.masterDb });
    this.restart(at);
  }

  setMaster(db) {
    this.masterDb = db;
    if (this.mixer && this.doc) this.mixer.update(this.doc, { glide: true, masterDb: db });
  }

  /** The analysers: {master: [left, right], tracks: Map(track id → AnalyserNode)} while playing, else null. */
  meters() {
    if (!this.mixer || !this.playing) return null;
    return {
      master: this.mixer.master.meters,
      tracks: new Map([...this.mixer.tracks].map(([id, strip]) => [id, strip.meter])),
    };
  }

  rebuild() {
    this.silence();
    this.mixer?.dispose();
    this.mixer = buildMixer(this.ctx, this.doc, this.buffers, { masterDb: this.masterDb, previews: this.previewBuffers() });
  }

  /** Tells the strips what the graph plays of each track: its preview or its clips. */
  showHeard(previews, only = null) {
    if (!this.previews) return;
    for (const track of this.doc.tracks) {
      if (!only || track.id === only) this.previews.setHeard(track.id, previews.has(track.id) ? 'preview' : 'clips');
    }
  }

  /**
   * A track's preview changed (a new one, or none: back to its clips). While playing, that track's sources stop a
   * moment ahead and the new sound is scheduled from that moment in every pass still to come; the other tracks
   * play on untouched. A new preview with another channel count than the strip rebuilds the graph.
   */
  swapTrack(trackId) {
    if (!this.playing || !this.mixer || !this.doc) return;
    const track = this.doc.tracks.find((t) => t.id === trackId);
    const strip = this.mixer.tracks.get(trackId);
    if (!track || !strip) return;
    const previews = this.previewBuffers();
    const preview = previews.get(trackId) || null;
    if (strip.preview === preview) return; // what plays is what it has
    if (trackChannels(track, this.buffers, preview) !== strip.channels) {
      const at = this.position();
      this.rebuild();
      this.restart(at);
      return;
    }
    const ctx = this.ctx;
    const rate = this.doc.sample_rate;
    const when = ctx.currentTime + SWAP_AHEAD;
    for (const source of this.sources) {
      if (source.trackId !== trackId) continue;
      try {
        source.stop(when);
      } catch {
        // never started
      }
    }
    for (const pass of this.passes) {
      const passEnd = pass.at + (pass.to - pass.from) / rate;
      if (passEnd <= when) continue;
      const at = Math.max(pass.at, when);
      const from = pass.from + (at - pass.at) * rate;
      this.sources.push(...scheduleClips(ctx, this.doc, this.buffers, this.mixer,
        { from, to: pass.to, when: at, previews, only: trackId }));
    }
    strip.preview = preview;
    this.showHeard(previews, trackId);
  }

  silence() {
    clearInterval(this.timer);
    this.generation++;
    for (const source of this.sources) {
      try {
        source.stop();
      } catch {
        // never started (a clip past its take's end)
      }
      source.disconnect();
    }
    this.sources = [];
  }

  /** Schedules from timeline frame `frame` now (or at context time `at`): to the song's end, or pass after pass of the loop. */
  restart(frame, at = null) {
    this.silence();
    this.scheduled = scheduleOf(this.doc);
    const previews = this.previewBuffers();
    for (const [id, strip] of this.mixer.tracks) strip.preview = previews.get(id) || null;
    this.showHeard(previews);
    const ctx = this.ctx;
    const doc = this.doc;
    const rate = doc.sample_rate;
    const generation = this.generation;
    const loop = this.loop;
    const from = loop && (frame < loop.from || frame >= loop.to) ? loop.from : frame;
    const when = at ?? ctx.currentTime + 0.03;
    this.startFrame = from;
    this.startedAt = when;
    if (!loop) {
      const end = arrangementEnd(doc);
      this.sources = scheduleClips(ctx, doc, this.buffers, this.mixer, { from, to: end, when, previews });
      this.passes = [{ at: when, from, to: end }];
      const endsAt = when + Math.max(0, end - from) / rate;
      this.timer = setInterval(() => {
        if (generation !== this.generation) return;
        if (ctx.currentTime >= endsAt) {
          this.pause();
          this.pausedAt = end;
          this.onEnded();
        }
      }, 50);
      return;
    }
    // a loop: this pass to its end, then whole passes, each scheduled LOOKAHEAD before it starts
    let passStart = when;
    let passFrom = from;
    this.passes = [];
    const schedule = () => {
      const more = scheduleClips(ctx, doc, this.buffers, this.mixer,
        { from: passFrom, to: loop.to, when: passStart, previews: this.previewBuffers() });
      this.sources = this.sources.filter((s) => !s.ended).concat(more);
      this.passes = this.passes.filter((p) => p.at + (p.to - p.from) / rate > ctx.currentTime)
        .concat({ at: passStart, from: passFrom, to: loop.to });
      passStart += (loop.to - passFrom) / rate;
      passFrom = loop.from;
    };
    schedule();
    this.timer = setInterval(() => {
      if (generation !== this.generation) return;
      while (ctx.currentTime > passStart - LOOKAHEAD) schedule();
    }, 50);
  }

  dispose() {
    this.silence();
    this.unsubscribe?.();
    this.previews?.dispose();
    this.previews = null;
    this.mixer?.dispose();
    this.mixer = null;
    this.ctx?.close();
    this.ctx = null;
  }
}
