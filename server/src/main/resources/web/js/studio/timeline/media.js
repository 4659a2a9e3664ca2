// The takes of the project's pool and their media, fetched once per take (a take's handle names one stored object
// for good, so nothing goes stale): names and lengths from GET /takes, peaks (GET /takes/{take}/waveform) for
// drawing clips, and decoded AudioBuffers (GET /takes/{take}/audio) for playing them.
import { listTakes, takeAudio, takeWaveform } from '../../api.js';
import { peaksOf } from '../audio/waveform-view.js';

/** A take's handle (what clips name) in a GET /takes item. */
export const handleOf = (take) => take.take ?? take.id;

export function takeMedia(projectId) {
  let pool = []; // the takes, oldest first
  const peaks = new Map(); // take → Promise<peaks | null>
  const buffers = new Map(); // take → Promise<AudioBuffer | null>
  const decoded = new Map(); // take → AudioBuffer, once decoded
  const listeners = new Set();

  return {
    /** Reads the pool again (after an upload, a rename, a deletion). */
    async reload() {
      pool = await listTakes(projectId);
      for (const listener of listeners) listener(pool);
      return pool;
    },

    /** listener(takes) after every reload; returns the unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    takes: () => pool,

    take: (handle) => pool.find((t) => handleOf(t) === handle) || null,

    /** What a musician calls the take ("Take 1", the file's name, a recording's name). */
    name(handle) {
      return this.take(handle)?.name || 'Take';
    },

    /**
     * The take's length in frames at `rate` (the arrangement's) as the server counts it for a clip (its length in
     * ms, rounded up); from the decoded audio when the pool does not say; null when unknown.
     */
    frames(handle, rate) {
      const take = this.take(handle);
      if (take?.duration_seconds) return Math.ceil(Number(take.duration_seconds) * rate);
      const buffer = decoded.get(handle);
      return buffer ? Math.round(buffer.duration * rate) : null;
    },

    /** Peaks of a take ({mins, maxs, n, samplesPerPixel, sampleRate}), fetched once. */
    peaks(handle) {
      if (!peaks.has(handle)) {
        peaks.set(handle, takeWaveform(projectId, handle, { samplesPerPixel: 256 }).then(peaksOf).catch((e) => {
          peaks.delete(handle);
          throw e;
        }));
      }
      return peaks.get(handle);
    },

    /** The take decoded by `ctx` (once per take). */
    buffer(handle, ctx) {
      if (!buffers.has(handle)) {
        buffers.set(handle, (async () => {
          const buffer = await ctx.decodeAudioData(await takeAudio(projectId, handle));
          decoded.set(handle, buffer);
          return buffer;
        })().catch((e) => {
          buffers.delete(handle);
          throw e;
        }));
      }
      return buffers.get(handle);
    },

    /** The decoded take if it is here already (no fetching). */
    decoded: (handle) => decoded.get(handle) || null,
  };
}
