// Time on the timeline: sample frames of the arrangement (its sample_rate), seconds, and the musical grid of bars
// and beats from bpm and beats_per_bar. Pure functions; nothing here touches the page.

/** Frames in one beat (not always whole: 44 100 Hz at 130 BPM is 20 353.8 frames). */
export function framesPerBeat({ sample_rate: rate, bpm }) {
  return (rate * 60) / (bpm || 120);
}

export function framesPerBar(doc) {
  return framesPerBeat(doc) * (doc.beats_per_bar || 4);
}

export const secondsOf = (frames, doc) => frames / doc.sample_rate;
export const framesOf = (seconds, doc) => Math.round(seconds * doc.sample_rate);

/** The grid's divisions, coarsest first, in beats: a bar, a beat, half, quarter (sixteenth notes in 4/4). */
function divisions(doc) {
  return [doc.beats_per_bar || 4, 1, 1 / 2, 1 / 4];
}

/**
 * The snap step for a zoom (pixels per second): the finest division of the grid that is still at least `minPixels`
 * wide on screen, as {beats, frames, name}; names are the words the transport shows ("bar", "beat", "½ beat", "¼ beat").
 */
export function snapStep(doc, pixelsPerSecond, minPixels = 20) {
  const names = ['bar', 'beat', '½ beat', '¼ beat'];
  const perBeat = framesPerBeat(doc);
  const all = divisions(doc);
  let chosen = 0;
  for (let i = 0; i < all.length; i++) {
    const pixels = (all[i] * perBeat / doc.sample_rate) * pixelsPerSecond;
    if (pixels >= minPixels) chosen = i;
  }
  return { beats: all[chosen], frames: all[chosen] * perBeat, name: names[chosen] };
}

/** The grid line nearest to frame (whole frames, never below 0). */
export function snapFrame(frame, step) {
  return Math.max(0, Math.round(Math.round(frame / step.frames) * step.frames));
}

/** Bar and beat (both from 1) and the fraction into the beat, of a frame. */
export function barBeat(frame, doc) {
  const beats = frame / framesPerBeat(doc);
  const perBar = doc.beats_per_bar || 4;
  const whole = Math.floor(beats + 1e-9);
  return { bar: Math.floor(whole / perBar) + 1, beat: (whole % perBar) + 1, fraction: Math.max(0, beats - whole) };
}

/** "3:2" — bar 3, beat 2 (bars:beats, the way the ruler counts). */
export function formatBarsBeats(frame, doc) {
  const { bar, beat } = barBeat(frame, doc);
  return `${bar}:${beat}`;
}

/** "1:04.250": minutes, seconds and milliseconds. */
export function formatClock(seconds) {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const m = Math.floor(ms / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${m}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/** The first frame after the last clip of any track (0 for an empty arrangement). */
export function arrangementEnd(doc) {
  let end = 0;
  for (const track of doc.tracks || []) {
    for (const clip of track.clips || []) end = Math.max(end, clip.start_frame + clip.length_frames);
  }
  return end;
}
