// "Record a new track" on the desk: a count-in of none, one or two bars (chosen on the transport, remembered per
// browser) from the metronome at the song's tempo, then the arrangement plays from the playhead while the microphone
// records, both on the player's AudioContext (at the song's sample rate), so frame i of the recording was heard
// against timeline frame playhead + i. Stop ends both; the recording is uploaded to the pool as a take (POST /takes)
// and placed, latency compensated (recording/latency.js), on a new track "Recording n" in one undoable step
// (edits.placeTake).
import { uploadTake } from '../../api.js';
import { Metronome } from '../metronome/metronome.js';
import { captureMicrophone, joined, refusalInWords } from '../recording/recording-section.js';
import { encodeWav } from '../recording/wav.js';
import { latencyFrames, placedRecording, readLatencyMs } from '../recording/latency.js';
import { handleOf } from './media.js';

export const COUNT_IN_KEY = 'studio.countInBars';
/** The count-ins offered: bars before the recording starts. */
export const COUNT_IN_CHOICES = [0, 1, 2];

/** The count-in this browser last chose, in bars (one at first). */
export function readCountInBars() {
  try {
    const bars = Number(localStorage.getItem(COUNT_IN_KEY) ?? 1);
    return COUNT_IN_CHOICES.includes(bars) ? bars : 1;
  } catch {
    return 1;
  }
}

export function keepCountInBars(bars) {
  try {
    localStorage.setItem(COUNT_IN_KEY, String(COUNT_IN_CHOICES.includes(Number(bars)) ? Number(bars) : 1));
  } catch {
    // private mode: the choice lasts for this visit (the transport's menu still shows it)
  }
}

/** "Recording n": one more than the highest n among the tracks and takes named so. */
export function nextRecordingName(names) {
  const taken = names.map((n) => /^Recording (\d+)$/.exec(n || '')?.[1]).filter(Boolean).map(Number);
  return `Recording ${taken.length ? Math.max(...taken) + 1 : 1}`;
}

/**
 * desk: {projectId, store, edits, media, playback, options() → {clickAlong, volume}, newTrackFields() → {colour},
 * onState(state: 'idle'|'count-in'|'recording'|'saving'), say(text), report(error), animate(), showPosition()}.
 * Returns {toggle(), stop(), recording(), cancel()}.
 */
export function trackRecorder(desk) {
  const { store, playback } = desk;
  let session = null;
  let busy = false;

  function setState(state) {
    desk.onState(state);
  }

  async function start() {
    if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
      desk.say('This browser cannot record here (it needs microphone access and AudioWorklet).');
      return;
    }
    const doc = store.doc;
    const ctx = playback.context(doc.sample_rate);
    if (ctx.state === 'suspended') await ctx.resume();
    if (playback.playing) playback.pause();
    const loop = playback.loop;
    playback.setLoop(null); // a recording runs straight on
    const capture = await captureMicrophone(ctx, null);
    const { clickAlong, volume = 0.8 } = desk.options();
    const metronome = new Metronome({ context: ctx, bpm: doc.bpm, beatsPerBar: doc.beats_per_bar, volume });
    const beats = readCountInBars() * doc.beats_per_bar;
    await playback.load(doc); // the takes decoded before the count-in, so the song starts on time
    const first = ctx.currentTime + 0.1;
    if (beats || clickAlong) await metronome.start({ at: first, beats: clickAlong ? Infinity : beats });
    const startTime = first + beats * metronome.interval();
    const at = playback.position();
    capture.node.port.postMessage({ start: startTime });
    await playback.play(doc, { at: startTime });
    session = { capture, metronome, at, loop, rate: ctx.sampleRate, startTime, ctx };
    desk.animate();
    setState(beats ? 'count-in' : 'recording');
    desk.say(beats ? `Count-in: ${beats} beats at ${doc.bpm} BPM…` : 'Recording… press the record button or Stop to finish.');
    const mine = session;
    const check = () => {
      if (session !== mine || !beats) return;
      if (ctx.currentTime >= startTime) {
        setState('recording');
        desk.say('Recording… press the record button or Stop to finish.');
      } else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }

  async function finish() {
    const { capture, metronome, at, loop, rate } = session;
    session = null;
    capture.close();
    await metronome.close();
    playback.pause();
    playback.seek(at);
    playback.setLoop(loop);
    desk.showPosition();
    const samples = joined(capture.chunks);
    if (!samples.length) {
      setState('idle');
      desk.say('Nothing was recorded: Stop came before the recording began.');
      return;
    }
    setState('saving');
    const name = nextRecordingName([...store.tracks.map((t) => t.name), ...desk.media.takes().map((t) => t.name)]);
    desk.say(`Recorded ${(samples.length / rate).toFixed(1)} s; saving ${name}…`);
    const file = new File([encodeWav(samples, rate)], `${name}.wav`, { type: 'audio/wav' });
    const take = await uploadTake(desk.projectId, file, { name });
    await desk.media.reload();
    const shift = latencyFrames(readLatencyMs(), store.doc.sample_rate);
    // the server knows the take's length to the millisecond and checks a clip against that: never ask for more
    const handle = handleOf(take);
    // (the player's context runs at the song's rate; should a browser refuse that rate, count its frames in the song's)
    const songFrames = Math.round((samples.length * store.doc.sample_rate) / rate);
    const frames = Math.min(songFrames, desk.media.frames(handle, store.doc.sample_rate) || songFrames);
    const placed = placedRecording(at, frames, shift);
    if (placed.length_frames <= 0) {
      setState('idle');
      desk.say(`${name} is in Takes, but too short to place after the latency compensation.`);
      return;
    }
    await desk.edits.placeTake({ take: handle, ...placed }, {
      trackId: null, newTrack: { ...desk.newTrackFields(), name },
    });
    await desk.media.reload();
    setState('idle');
    desk.say(`${name} added on a new track.`);
  }

  async function guarded(step) {
    if (busy) return;
    busy = true;
    try {
      await step();
    } catch (e) {
      setState('idle');
      desk.report(e.name === 'NotAllowedError' || e.name === 'NotFoundError' ? new Error(refusalInWords(e)) : e);
    } finally {
      busy = false;
    }
  }

  return {
    toggle: () => guarded(() => (session ? finish() : start())),
    stop: () => guarded(async () => {
      if (session) await finish();
    }),
    recording: () => Boolean(session) || busy,
    /** The page goes away: the microphone and the click stop, nothing is kept. */
    cancel() {
      if (!session) return;
      const { capture, metronome } = session;
      session = null;
      capture.close();
      metronome.close().catch(() => {});
    },
  };
}
