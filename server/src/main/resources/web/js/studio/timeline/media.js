// The takes' audio and peaks, fetched once per take (a take's handle names one stored object for good, so nothing
// goes stale): peaks for drawing clips, decoded AudioBuffers for playing them. Until the project's take pool can be
// read (GET /takes/{take}/…), only the project's current take is known: its peaks come from GET /waveform and its
// audio from GET /audio/original, and clips of any other take are drawn as plain blocks and play silence.
import { projectAudio, projectWaveform } from '../../api.js';
import { peaksOf } from '../audio/waveform-view.js';

/** The first 64 bits of SHA-256 of text, in hex: the server's Project.revision of a stored key. */
async function revision(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `rev` of a playback URL such as /api/v1/projects/{id}/audio/original?rev=…; null without one. */
function revOf(url) {
  if (!url) return null;
  return new URL(url, location.href).searchParams.get('rev');
}

export function takeMedia(projectId, project) {
  let current = project;
  const peaks = new Map(); // take → Promise<peaks | null>
  const buffers = new Map(); // take → Promise<AudioBuffer | null>
  const decoded = new Map(); // take → AudioBuffer, once decoded
  const mine = new Map(); // take → Promise<boolean>: is it the project's current take?

  /** Whether `take` is the project's current take (its stored key's revision is the one its URL carries). */
  function isProjectTake(take) {
    if (!mine.has(take)) {
      mine.set(take, (async () => {
        const rev = revOf(current.original_audio_url);
        if (!rev || !take) return false;
        if (!globalThis.crypto?.subtle) return true; // no digest here (not a secure page): assume the one take
        return (await revision(`projects/${projectId}/${take}`)) === rev;
      })());
    }
    return mine.get(take);
  }

  return {
    /** The project changed (a new upload replaced track 1's take): learn again which take is the project's. */
    setProject(p) {
      if (p.original_audio_url !== current.original_audio_url) mine.clear();
      current = p;
    },

    /** Peaks of a take ({mins, maxs, n, samplesPerPixel, sampleRate}), or null when it cannot be drawn. */
    peaks(take) {
      if (!peaks.has(take)) {
        peaks.set(take, (async () => {
          if (!(await isProjectTake(take))) return null;
          return peaksOf(await projectWaveform(projectId, { samplesPerPixel: 256 }));
        })().catch((e) => {
          peaks.delete(take);
          throw e;
        }));
      }
      return peaks.get(take);
    },

    /** The take decoded for `ctx` (cached per take), or null when it cannot be had. */
    buffer(take, ctx) {
      if (!buffers.has(take)) {
        buffers.set(take, (async () => {
          if (!(await isProjectTake(take))) return null;
          const bytes = await projectAudio(projectId, 'original');
          const buffer = await ctx.decodeAudioData(bytes);
          decoded.set(take, buffer);
          return buffer;
        })().catch((e) => {
          buffers.delete(take);
          throw e;
        }));
      }
      return buffers.get(take);
    },

    /** The decoded take if it is there already (no fetching), for drawing at fine zoom. */
    decoded: (take) => decoded.get(take) || null,

    /** The take's length in frames at its own rate, when its audio or peaks are known; else null. */
    async frames(take) {
      const p = await this.peaks(take).catch(() => null);
      if (decoded.has(take)) return decoded.get(take).length;
      return p ? p.n * p.samplesPerPixel : null;
    },
  };
}
