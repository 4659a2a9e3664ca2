// The rules a listener hears, written exactly as the server's mixer (audio/…/mix: PanLaw, Track, Clip, Segment) so
// the browser's playback and the server's mixdown agree: dB → gain, the pan law with the fader folded in, linear
// fades, mute and solo, and which clip is heard where clips overlap. Pure functions, no Web Audio.

export const MAX_FADER_DB = 6;
export const MIN_FADER_DB = -144;

/** A level in dB as a gain factor; null (or −∞) is silence. */
export function dbToGain(db) {
  if (db === null || db === undefined || db === -Infinity) return 0;
  return 10 ** (db / 20);
}

/** A gain factor in dB; 0 is −∞ (returned as -Infinity). */
export function gainToDb(gain) {
  return gain > 0 ? 20 * Math.log10(gain) : -Infinity;
}

// cos(π/2) is 6e-17 in doubles: the ends are snapped as the server does, so a centred stereo track passes exactly
const cos = (x) => (x === Math.PI / 2 ? 0 : Math.cos(x));
const sin = (x) => (x === Math.PI / 2 ? 1 : Math.sin(x));

/**
 * The pan law (the Web Audio StereoPannerNode's, as the server's PanLaw) with the fader folded in, as a 2×2 matrix:
 * left = ll·inL + rl·inR, right = lr·inL + rr·inR; a mono track is inL alone. pan is −1 (left) … 1 (right).
 */
export function panLaw(channels, pan, fader) {
  if (channels === 1) {
    const x = ((pan + 1) / 2) * Math.PI / 2;
    return { ll: fader * cos(x), rl: 0, lr: fader * sin(x), rr: 0 };
  }
  if (pan <= 0) {
    const x = (pan + 1) * Math.PI / 2;
    return { ll: fader, rl: fader * cos(x), lr: 0, rr: fader * sin(x) };
  }
  const x = pan * Math.PI / 2;
  return { ll: fader * cos(x), rl: 0, lr: fader * sin(x), rr: fader };
}

/** Whether a track is heard: when any track is soloed only soloed ones are; mute wins over solo. */
export function audible(track, tracks) {
  if (track.muted) return false;
  return !tracks.some((t) => t.soloed) || track.soloed;
}

/** The fade's gain alone at the clip's frame i (0-based): linear, 0 on the first and last frame of a fade. */
export function fadeAt(clip, i) {
  let g = 1;
  if (i < clip.fade_in_frames) g = i / clip.fade_in_frames;
  const fromEnd = clip.length_frames - 1 - i;
  if (fromEnd < clip.fade_out_frames) g *= fromEnd / clip.fade_out_frames;
  return g;
}

/**
 * The clip's gain as straight lines between its corners, for ramps on an AudioParam: [[clip frame, gain]] from
 * frame 0 to frame length − 1, clip gain included. Between two corners the gain is linear, as fadeAt says.
 */
export function gainCorners(clip) {
  const gain = dbToGain(clip.gain_db || 0);
  const last = clip.length_frames - 1;
  const frames = new Set([0, last]);
  if (clip.fade_in_frames > 0) frames.add(Math.min(clip.fade_in_frames, last));
  if (clip.fade_out_frames > 0) frames.add(Math.max(0, last - clip.fade_out_frames));
  return [...frames].sort((a, b) => a - b).map((f) => [f, gain * fadeAt(clip, f)]);
}

/**
 * What is heard of a track's clips, in timeline order and without overlaps, as [{clip, from, to}] (timeline frames,
 * `to` excluded): a clip that starts later covers the earlier ones while it lasts; on equal starts the one listed
 * later covers. The server's Segment.layout, swept the same way.
 */
export function layout(clips) {
  const n = clips.length;
  const end = (i) => clips[i].start_frame + clips[i].length_frames;
  const order = clips.map((_, i) => i).sort((a, b) => clips[a].start_frame - clips[b].start_frame || a - b);
  const above = (a, b) => clips[a].start_frame - clips[b].start_frame || a - b; // > 0: a covers b
  const playing = [];
  const out = [];
  let next = 0;
  let at = n === 0 ? 0 : clips[order[0]].start_frame;
  while (next < n || playing.length) {
    let edge = Infinity;
    if (next < n) edge = clips[order[next]].start_frame;
    for (const i of playing) edge = Math.min(edge, end(i));
    if (playing.length && edge > at) {
      const top = playing.reduce((best, i) => (above(i, best) > 0 ? i : best));
      const last = out[out.length - 1];
      if (last && last.clip === clips[top] && last.to === at) last.to = edge;
      else out.push({ clip: clips[top], from: at, to: edge });
    }
    at = edge;
    for (let k = playing.length - 1; k >= 0; k--) if (end(playing[k]) === at) playing.splice(k, 1);
    while (next < n && clips[order[next]].start_frame === at) playing.push(order[next++]);
  }
  return out;
}

/** A fader position 0…1 as dB: an audio taper (gain = 2·p², so 0 dB sits at about 71 % and the top is +6 dB). */
export function faderDb(position) {
  if (!(position > 0)) return null;
  const db = 40 * Math.log10(position) + MAX_FADER_DB;
  return db < MIN_FADER_DB ? null : Math.min(MAX_FADER_DB, db);
}

/** The fader position 0…1 of a level in dB (null = −∞ = 0). */
export function faderPosition(db) {
  if (db === null || db === undefined || db === -Infinity) return 0;
  return Math.min(1, 10 ** ((db - MAX_FADER_DB) / 40));
}

/** "−3.5 dB", "+2.0 dB", "−∞ dB": a level the way a mixer shows it (real minus sign). */
export function formatDb(db) {
  if (db === null || db === undefined || db === -Infinity) return '−∞ dB';
  const text = Math.abs(db) < 0.05 ? '0.0' : db.toFixed(1);
  return `${db > 0.05 ? '+' : ''}${text.replace('-', '−')} dB`;
}

/** "C", "L 40", "R 100": a pan position as a mixer shows it. */
export function formatPan(pan) {
  const p = Math.round(pan * 100);
  if (p === 0) return 'C';
  return p < 0 ? `L ${-p}` : `R ${p}`;
}
