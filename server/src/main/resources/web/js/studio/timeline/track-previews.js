// What a track with effects sounds like: the server renders the track's clips through its effects chain with the
// mixdown's own engine (GET …/tracks/{id}/preview, before fader and pan), and the desk plays that instead of the dry
// clips, through the same fader, pan, mute and solo. One set per project, shared by playback.js (which plays them)
// and mixer.js (which says on each strip what is heard). A track's preview is fetched again when what decides its
// sound changes (its chain, its clips, the song's rate); until the new one is here the old one plays (or the dry
// clips, for a track that had none), and a preview that cannot be had leaves the track dry, with a note.
import { api, ApiError } from '../../api.js';

const CONCURRENT = 2; // fetches at once: the server renders two previews at a time by default
const RETRIES = 5; // a busy server (503) is asked again after its Retry-After, this many times

const sets = new Map(); // project id → TrackPreviews

/** The previews of a project's tracks (one set per project while its desk is open). */
export function previewsFor(projectId) {
  if (!sets.has(projectId)) sets.set(projectId, new TrackPreviews(projectId));
  return sets.get(projectId);
}

/** Whether a track's sound needs the server: it has clips and at least one effect that is not bypassed. */
export function hasEffects(track) {
  return track.clips.length > 0 && (track.effects_chain || []).some((step) => step && !step.bypass);
}

/** What decides a track's preview, as text to compare (the server's ETag is a digest of the same). */
function soundOf(track, rate) {
  return JSON.stringify([rate, track.effects_chain, track.clips.map((c) => [c.take, c.start_frame, c.offset_frames,
    c.length_frames, c.gain_db, c.fade_in_frames, c.fade_out_frames])]);
}

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

class TrackPreviews {
  constructor(projectId) {
    this.projectId = projectId;
    // track id → {sound (wanted), status ('rendering' | 'ready' | 'failed'), buffer, bufferSound, etag, error,
    // fetching (a promise while a fetch runs)}
    this.entries = new Map();
    this.heard = new Map(); // track id → 'preview' | 'clips': what playback last scheduled for the track
    this.listeners = new Set();
    this.queue = [];
    this.running = 0;
    this.decoder = null;
    this.disposed = false;
  }

  /** listener(trackId) after a track's preview or what is heard of it changed; returns the unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(trackId) {
    for (const listener of this.listeners) listener(trackId);
  }

  /** {status: 'none' | 'rendering' | 'ready' | 'failed', error, heard: 'preview' | 'clips' | undefined}. */
  state(trackId) {
    const entry = this.entries.get(trackId);
    return { status: entry?.status || 'none', error: entry?.error || null, heard: this.heard.get(trackId) };
  }

  /** The preview to play for a track now (the one before while a new one renders), or null: play its clips. */
  buffer(trackId) {
    return this.entries.get(trackId)?.buffer || null;
  }

  /** Playback says what it scheduled for a track (for the strip, and for tests: data-heard). */
  setHeard(trackId, kind) {
    if (this.heard.get(trackId) === kind) return;
    this.heard.set(trackId, kind);
    this.changed(trackId);
  }

  /**
   * Brings the previews in line with `doc`: tracks without effects (or without clips) play dry; a track whose sound
   * changed gets its preview fetched. Resolves once every fetch this started has ended (failed ones included).
   */
  sync(doc) {
    const rate = doc.sample_rate;
    const ids = new Set(doc.tracks.map((t) => t.id));
    for (const id of [...this.entries.keys()]) {
      if (!ids.has(id)) this.entries.delete(id);
    }
    const waits = [];
    for (const track of doc.tracks) {
      if (!hasEffects(track)) {
        if (this.entries.delete(track.id)) this.changed(track.id);
        continue;
      }
      const sound = soundOf(track, rate);
      let entry = this.entries.get(track.id);
      if (!entry) {
        entry = { sound: null, status: 'rendering', buffer: null, bufferSound: null, etag: null, error: null, fetching: null };
        this.entries.set(track.id, entry);
      }
      if (entry.sound === sound) {
        if (entry.fetching) waits.push(entry.fetching);
        continue;
      }
      entry.sound = sound;
      if (entry.bufferSound === sound) {
        entry.status = 'ready';
        this.changed(track.id);
        continue;
      }
      entry.status = 'rendering';
      entry.error = null;
      this.changed(track.id);
      if (!entry.fetching) entry.fetching = this.fetchLatest(track.id, entry, rate);
      waits.push(entry.fetching);
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Fetches the track's preview until what it has is what its entry wants (the sound may change meanwhile). */
  async fetchLatest(trackId, entry, rate) {
    try {
      while (!this.disposed && this.entries.get(trackId) === entry && entry.bufferSound !== entry.sound) {
        const wanted = entry.sound;
        try {
          const { buffer, etag } = await this.turn(() => this.fetchOne(trackId, entry.etag, rate));
          if (this.disposed || this.entries.get(trackId) !== entry) return;
          if (buffer) {
            entry.buffer = buffer;
            entry.etag = etag;
          }
          entry.bufferSound = wanted; // a 304: what it had is this sound
          if (entry.sound === wanted) {
            entry.status = 'ready';
            entry.error = null;
          }
          this.changed(trackId);
        } catch (error) {
          if (this.disposed || this.entries.get(trackId) !== entry) return;
          if (entry.sound !== wanted) continue; // changed meanwhile: try the new sound
          entry.status = 'failed';
          entry.error = error?.message || String(error);
          entry.buffer = null; // the dry clips play, not a sound that is no longer the track's
          entry.bufferSound = null;
          entry.etag = null;
          this.changed(trackId);
          return;
        }
      }
    } finally {
      entry.fetching = null;
    }
  }

  /** Runs `work` when one of the CONCURRENT turns is free (a turn ending hands itself to the next in line). */
  async turn(work) {
    if (this.running >= CONCURRENT) await new Promise((resolve) => { this.queue.push(resolve); });
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** One preview from the server: {buffer, etag}, or {buffer: null} when `etag` is still its sound (304). */
  async fetchOne(trackId, etag, rate) {
    const path = `/projects/${encodeURIComponent(this.projectId)}/tracks/${encodeURIComponent(trackId)}/preview`;
    for (let attempt = 0; ; attempt++) {
      try {
        const headers = { Accept: 'audio/wav' };
        if (etag) headers['If-None-Match'] = etag;
        const res = await api('GET', path, { as: 'response', headers });
        const etagNow = res.headers.get('ETag');
        return { buffer: await this.read(res, rate), etag: etagNow };
      } catch (error) {
        if (error instanceof ApiError && error.status === 304) return { buffer: null, etag };
        if (!(error instanceof ApiError && error.status === 503) || attempt >= RETRIES) throw error;
        await pause(1000 * Math.min(10, Math.max(1, Number(error.problem?.retry_after_seconds) || 1)));
      }
    }
  }

  /** The answer's audio as an AudioBuffer: our 16-bit WAV read as it arrives, anything else decoded whole. */
  async read(res, rate) {
    const reader = res.body.getReader();
    const wav = new StreamedWav();
    const seen = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (wav.accepts === false) {
        seen.push(value);
        continue;
      }
      wav.push(value);
      if (wav.accepts === false) seen.push(wav.head); // everything so far
    }
    if (wav.accepts === true) return wav.finish();
    // not a plain 16-bit WAV: the browser's decoder takes it whole
    const bytes = new Uint8Array(seen.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of seen) {
      bytes.set(part, at);
      at += part.length;
    }
    if (!this.decoder || this.decoder.sampleRate !== rate) this.decoder = new OfflineAudioContext(1, 1, rate);
    return this.decoder.decodeAudioData(bytes.buffer);
  }

  /** The desk is gone: forget every preview (they are large) and every listener. */
  dispose() {
    this.disposed = true;
    this.entries.clear();
    this.heard.clear();
    this.listeners.clear();
    if (sets.get(this.projectId) === this) sets.delete(this.projectId);
  }
}

/**
 * A 16-bit PCM WAV (what the server sends) turned into an AudioBuffer while its bytes arrive, so reading overlaps the
 * download: the samples are scaled as the browser's decoder and the server's scale them (x / 32768). `accepts` is
 * undefined until the header is read, true for such a WAV, false for anything else (then push() keeps what it had
 * in `head` for the caller to decode whole).
 */
class StreamedWav {
  constructor() {
    this.accepts = undefined;
    this.head = new Uint8Array(0); // bytes before the samples, until the header is read
    this.carry = new Uint8Array(0); // the bytes of a frame cut between two pieces
    this.buffer = null;
    this.channels = null;
    this.frame = 0; // frames written
  }

  push(piece) {
    if (this.accepts === undefined) {
      const joined = new Uint8Array(this.head.length + piece.length);
      joined.set(this.head);
      joined.set(piece, this.head.length);
      this.head = joined;
      const start = this.readHeader();
      if (start === null) return;
      if (this.accepts === false) return;
      piece = this.head.subarray(start);
      this.head = new Uint8Array(0);
    }
    this.samples(piece);
  }

  /** The offset of the samples once the header is here (null while it is not yet); sets `accepts`. */
  readHeader() {
    const bytes = this.head;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = (at) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
    if (bytes.length < 12) return null;
    if (text(0) !== 'RIFF' || text(8) !== 'WAVE') {
      this.accepts = false;
      return 0;
    }
    let at = 12;
    let format = null;
    while (at + 8 <= bytes.length) {
      const id = text(at);
      const size = view.getUint32(at + 4, true);
      if (id === 'data') {
        if (!format || format.tag !== 1 || format.bits !== 16 || format.channels < 1 || size === 0xFFFFFFFF) {
          this.accepts = false;
          return 0;
        }
        const frames = Math.floor(size / (2 * format.channels));
        this.buffer = new AudioBuffer({ numberOfChannels: format.channels, length: Math.max(1, frames), sampleRate: format.rate });
        this.channels = Array.from({ length: format.channels }, (_, c) => this.buffer.getChannelData(c));
        this.accepts = true;
        return at + 8;
      }
      if (at + 8 + size > bytes.length) return null;
      if (id === 'fmt ') {
        format = { tag: view.getUint16(at + 8, true), channels: view.getUint16(at + 10, true),
          rate: view.getUint32(at + 12, true), bits: view.getUint16(at + 22, true) };
      }
      at += 8 + size + (size % 2);
    }
    return null;
  }

  samples(piece) {
    let bytes = piece;
    if (this.carry.length) {
      bytes = new Uint8Array(this.carry.length + piece.length);
      bytes.set(this.carry);
      bytes.set(piece, this.carry.length);
    }
    const channels = this.channels;
    const count = channels.length;
    const frameBytes = 2 * count;
    const frames = Math.min(Math.floor(bytes.length / frameBytes), this.buffer.length - this.frame);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let p = 0;
    for (let i = 0; i < frames; i++) {
      const f = this.frame + i;
      for (let c = 0; c < count; c++) {
        channels[c][f] = view.getInt16(p, true) / 32768;
        p += 2;
      }
    }
    this.frame += frames;
    this.carry = bytes.slice(p, p + Math.min(bytes.length - p, frameBytes));
  }

  finish() {
    if (this.frame < this.buffer.length) throw new Error('The preview ended early');
    return this.buffer;
  }
}
