// The arrangement as a Web Audio graph, shared by live playback (playback.js) and the offline render: every clip a
// buffer source with its gain and fades, every track a bus → pan-law matrix with the fader folded in → mute/solo
// gain → meter, all summed into the master fader → master meter. The laws come from mix-laws.js, the server's.
// A track with effects may instead play its preview (track-previews.js: its clips through its chain, rendered by the
// server before fader and pan) from frame 0, through the same strip: `previews` maps track ids to those buffers.
import { audible, dbToGain, gainCorners, layout, panLaw } from './mix-laws.js';

const NO_PREVIEWS = new Map();

/**
 * 1 when every take a track plays is mono, else 2: the server processes such a track in mono and pans it (and renders
 * its preview with that many channels, so a preview's own count says the same).
 */
export function trackChannels(track, buffers, preview = null) {
  if (preview) return preview.numberOfChannels;
  const channels = track.clips.map((c) => buffers.get(c.take)?.numberOfChannels).filter(Boolean);
  return channels.length && channels.every((n) => n === 1) ? 1 : 2;
}

/** One track's strip: input bus (its channel count) → matrix → audible gain → analyser → output. */
function trackStrip(ctx, channels, output) {
  const input = ctx.createGain();
  input.channelCount = channels;
  input.channelCountMode = 'explicit';
  input.channelInterpretation = 'speakers'; // a mono take on a stereo track feeds both sides, as on the server
  const split = ctx.createChannelSplitter(channels);
  const merge = ctx.createChannelMerger(2);
  const cell = () => ctx.createGain();
  const matrix = { ll: cell(), rl: cell(), lr: cell(), rr: cell() };
  input.connect(split);
  split.connect(matrix.ll, 0).connect(merge, 0, 0);
  split.connect(matrix.lr, 0).connect(merge, 0, 1);
  if (channels === 2) {
    split.connect(matrix.rl, 1).connect(merge, 0, 0);
    split.connect(matrix.rr, 1).connect(merge, 0, 1);
  }
  const heard = ctx.createGain();
  const meter = ctx.createAnalyser();
  meter.fftSize = 2048;
  merge.connect(heard).connect(meter).connect(output);
  return { input, matrix, heard, meter, channels, nodes: [input, split, merge, heard, meter, ...Object.values(matrix)] };
}

/** Sets an AudioParam now (offline, or before playing) or glides to it within a few ms (live, no click). */
function setParam(param, value, ctx, glide) {
  if (glide) param.setTargetAtTime(value, ctx.currentTime, 0.012);
  else param.value = value;
}

/**
 * Builds the mixer for `doc` on `ctx`: {master, tracks: Map(track id → strip), update(doc, {glide}), dispose()}.
 * update() applies faders, pans, mute/solo and the master fader (options.masterDb) without rebuilding.
 */
export function buildMixer(ctx, doc, buffers, { masterDb = 0, previews = NO_PREVIEWS } = {}) {
  const masterGain = ctx.createGain();
  masterGain.connect(ctx.destination);
  // the master is metered per side: an analyser alone would hear the sides mixed down, missing a clipping one
  const sides = ctx.createChannelSplitter(2);
  const masterMeters = [ctx.createAnalyser(), ctx.createAnalyser()];
  masterGain.connect(sides);
  masterMeters.forEach((meter, side) => {
    meter.fftSize = 2048;
    sides.connect(meter, side);
  });
  const tracks = new Map();
  for (const track of doc.tracks) {
    tracks.set(track.id, trackStrip(ctx, trackChannels(track, buffers, previews.get(track.id)), masterGain));
  }

  const mixer = {
    master: { gain: masterGain, meters: masterMeters },
    tracks,
    masterDb,
    update(next, { glide = false, masterDb: db = mixer.masterDb } = {}) {
      mixer.masterDb = db;
      setParam(masterGain.gain, dbToGain(db), ctx, glide);
      for (const track of next.tracks) {
        const strip = tracks.get(track.id);
        if (!strip) continue;
        const law = panLaw(strip.channels, track.pan || 0, dbToGain(track.volume_db));
        for (const [cell, node] of Object.entries(strip.matrix)) setParam(node.gain, law[cell], ctx, glide);
        setParam(strip.heard.gain, audible(track, next.tracks) ? 1 : 0, ctx, glide);
      }
    },
    dispose() {
      for (const strip of tracks.values()) for (const node of strip.nodes) node.disconnect();
      masterGain.disconnect();
      sides.disconnect();
    },
  };
  mixer.update(doc);
  return mixer;
}

/**
 * Schedules what is heard of the arrangement between timeline frames `from` and `to` to start at context time
 * `when`: one buffer source per stretch of a clip that is heard (later clips cover earlier ones), through a gain
 * that follows the clip's gain and fades; or, for a track in `previews`, one source of its preview. `only` limits it
 * to one track. Returns the sources (to stop them), each carrying its trackId.
 */
export function scheduleClips(ctx, doc, buffers, mixer, { from, to, when, previews = NO_PREVIEWS, only = null }) {
  const sources = [];
  for (const track of doc.tracks) {
    const strip = mixer.tracks.get(track.id);
    if (!strip || (only && track.id !== only)) continue;
    const preview = previews.get(track.id);
    const scheduled = preview ? schedulePreview(ctx, doc, preview, strip, { from, to, when })
      : scheduleTrackClips(ctx, doc, track, buffers, strip, { from, to, when });
    for (const source of scheduled) source.trackId = track.id;
    sources.push(...scheduled);
  }
  return sources;
}

/** A track's preview (frame 0 of the timeline at its frame 0) between `from` and `to`, straight into its strip. */
function schedulePreview(ctx, doc, preview, strip, { from, to, when }) {
  const rate = doc.sample_rate;
  const start = Math.max(0, from);
  const end = Math.min(to, preview.length * (rate / preview.sampleRate));
  if (end <= start) return [];
  const source = ctx.createBufferSource();
  source.buffer = preview;
  source.connect(strip.input);
  source.start(when + (start - from) / rate, start / rate, (end - start) / rate);
  source.onended = () => {
    source.ended = true;
  };
  return [source];
}

function scheduleTrackClips(ctx, doc, track, buffers, strip, { from, to, when }) {
  const rate = doc.sample_rate;
  const sources = [];
  for (const segment of layout(track.clips)) {
    const start = Math.max(segment.from, from);
    const end = Math.min(segment.to, to);
    const buffer = buffers.get(segment.clip.take);
    if (end <= start || !buffer) continue;
    const { clip } = segment;
    const first = start - clip.start_frame; // clip frames [first, last) are heard here
    const last = end - clip.start_frame;
    const offset = (clip.offset_frames + first) / rate;
    if (offset >= buffer.duration) continue; // past the take's end: silence
    const at = when + (start - from) / rate; // context time of timeline frame `start`
    const timeOf = (clipFrame) => at + (clip.start_frame + clipFrame - start) / rate;
    // the gain at clip frame x: straight lines between the corners (clip gain × fades)
    const corners = gainCorners(clip);
    const valueAt = (x) => {
      let [f0, g0] = corners[0];
      for (const [f1, g1] of corners) {
        if (f1 >= x) return f1 === f0 ? g1 : g0 + ((g1 - g0) * (x - f0)) / (f1 - f0);
        [f0, g0] = [f1, g1];
      }
      return g0;
    };
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(valueAt(first), at);
    for (const [f, g] of corners) if (f > first && f < last) gain.gain.linearRampToValueAtTime(g, timeOf(f));
    gain.gain.linearRampToValueAtTime(valueAt(last), timeOf(last));
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(gain).connect(strip.input);
    source.start(at, offset, (end - start) / rate);
    sources.push(source);
    source.onended = () => {
      source.ended = true;
      gain.disconnect();
    };
  }
  return sources;
}

/**
 * Renders the arrangement offline, the way the browser plays it (no effects, or a track's effects from its preview):
 * an AudioBuffer at the arrangement's sample rate, stereo, from frame 0 (or options.from) to the end of the last clip
 * (or options.to). `buffers` maps each take a clip names to its decoded AudioBuffer; options.previews maps track ids
 * to their previews (played instead of their clips); options.masterDb is the master fader (the song's,
 * doc.master.volume_db, unless given; null = −∞). Pure: it depends only on its arguments, for comparing with the
 * server's mixdown.
 */
export async function renderArrangement(doc, buffers, { from = 0, to, previews = NO_PREVIEWS, masterDb = doc.master?.volume_db === undefined ? 0 : doc.master.volume_db } = {}) {
  let end = to;
  if (end === undefined) {
    end = 0;
    for (const t of doc.tracks) for (const c of t.clips) end = Math.max(end, c.start_frame + c.length_frames);
  }
  const frames = Math.max(1, end - from);
  const ctx = new OfflineAudioContext(2, frames, doc.sample_rate);
  const mixer = buildMixer(ctx, doc, buffers, { masterDb, previews });
  scheduleClips(ctx, doc, buffers, mixer, { from, to: end, when: 0, previews });
  return ctx.startRendering();
}
