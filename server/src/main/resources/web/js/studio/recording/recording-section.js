// Recording from the microphone: AudioWorklet capture, an input level meter, a count-in (and optionally a click
// while recording) from the metronome's scheduler on the recording's own AudioContext clock, then a 16-bit WAV made
// in the browser (wav.js) for the normal upload.
import { h, messageBox } from '../../shared/dom.js';
import { Metronome } from '../metronome/metronome.js';
import { studioCard } from '../card.js';
import { encodeWav } from './wav.js';
import { MAX_LATENCY_MS, clampLatencyMs, keepLatencyMs, readLatencyMs } from './latency.js';

const withWorklet = new WeakSet(); // contexts the capture worklet was added to

/**
 * The microphone through the capture worklet on the context `ctx` into `meter`; resolves to {stream, node, chunks,
 * close()} (close() stops the microphone and leaves the context running: the desk records on its player's context).
 */
export async function captureMicrophone(ctx, meter) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  try {
    if (!withWorklet.has(ctx)) await ctx.audioWorklet.addModule('/js/studio/recording/recorder-worklet.js');
    withWorklet.add(ctx);
  } catch (e) {
    stream.getTracks().forEach((t) => t.stop());
    throw e;
  }
  const source = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, 'recorder-processor', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
  const silent = ctx.createGain();
  silent.gain.value = 0;
  source.connect(node).connect(silent).connect(ctx.destination);
  const chunks = [];
  node.port.onmessage = (event) => {
    if (event.data.pcm) chunks.push(event.data.pcm);
    if (typeof event.data.level === 'number' && meter) {
      // peak with a slow fall, so short peaks stay visible
      meter.value = Math.max(event.data.level, meter.value * 0.92);
      meter.dataset.max = String(Math.max(Number(meter.dataset.max || 0), event.data.level));
    }
  };
  const close = () => {
    node.port.postMessage({ stop: true });
    stream.getTracks().forEach((t) => t.stop());
    source.disconnect();
    node.disconnect();
    silent.disconnect();
  };
  return { stream, node, chunks, close };
}

/** The microphone on a context of its own into `meter`; resolves to {ctx, stream, node, chunks}. */
async function openMicrophone(meter) {
  const ctx = new AudioContext();
  try {
    const { stream, node, chunks } = await captureMicrophone(ctx, meter);
    return { ctx, stream, node, chunks };
  } catch (e) {
    await ctx.close();
    throw e;
  }
}

/** The captured blocks as one array of samples. */
export function joined(chunks) {
  const samples = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    samples.set(c, offset);
    offset += c.length;
  }
  return samples;
}

/** Says "recording" once the context's clock passes startTime (the count-in's end), while session is current. */
function announceWhenRecording(status, isCurrent, ctx, startTime) {
  const check = () => {
    if (!isCurrent()) return;
    if (ctx.currentTime >= startTime) {
      status.dataset.state = 'recording';
      status.textContent = 'Recording… press Stop when done.';
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

export function refusalInWords(e) {
  if (e.name === 'NotAllowedError') return 'Microphone access was refused. Allow it in the browser to record.';
  if (e.name === 'NotFoundError') return 'No microphone was found.';
  return e.message || String(e);
}

/**
 * The studio's "Record" section. tempo() gives the metronome's {bpm, beatsPerBar, volume}; onRecorded(file)
 * uploads the take (it replaces the project's audio). The same section holds what the desk's "Record a new track"
 * uses: `options.clickAlong` follows "Click while recording", and "Latency (ms)" is kept per device (latency.js).
 */
export function recordingSection({ tempo, onRecorded, disposers, options = {} }) {
  const record = h('button.primary', { type: 'button', id: 'record', text: 'Record over the original' });
  const stop = h('button', { type: 'button', id: 'record-stop', text: 'Stop', disabled: true });
  const countIn = h('input', { type: 'checkbox', id: 'count-in', checked: true });
  const clickAlong = h('input', { type: 'checkbox', id: 'click-while-recording' });
  const latency = h('input', { type: 'number', id: 'record-latency', min: 0, max: MAX_LATENCY_MS, step: 1, inputMode: 'numeric', 'aria-describedby': 'record-latency-hint', value: String(readLatencyMs()) });
  latency.addEventListener('change', () => {
    const ms = clampLatencyMs(latency.value);
    latency.value = String(ms);
    keepLatencyMs(ms);
  });
  options.clickAlong = clickAlong.checked;
  clickAlong.addEventListener('change', () => {
    options.clickAlong = clickAlong.checked;
  });
  const meter = h('meter', { id: 'input-level', min: 0, max: 1, low: 0.6, high: 0.9, optimum: 0.3, value: 0, 'aria-label': 'Input level' });
  const status = h('p.status', { id: 'record-status', role: 'status', 'aria-live': 'polite' });
  const message = messageBox();
  let session = null;

  async function keep(chunks, ctx, startAt) {
    if (chunks.reduce((n, c) => n + c.length, 0) === 0) {
      message.show('Nothing was recorded: stop came before the count-in ended.');
      return;
    }
    const samples = joined(chunks);
    const seconds = samples.length / ctx.sampleRate;
    status.textContent = `Recorded ${seconds.toFixed(1)} s; uploading…`;
    const stamp = new Date(startAt).toISOString().replace(/[:.]/g, '-');
    const file = new File([encodeWav(samples, ctx.sampleRate)], `recording-${stamp}.wav`, { type: 'audio/wav' });
    await onRecorded(file);
    status.textContent = `Recorded ${seconds.toFixed(1)} s.`;
  }

  async function end(keepIt) {
    if (!session) return;
    const { ctx, stream, node, chunks, startAt, metronome } = session;
    session = null;
    stop.disabled = true;
    node.port.postMessage({ stop: true });
    await metronome.close();
    stream.getTracks().forEach((t) => t.stop());
    await ctx.close();
    meter.value = 0;
    record.disabled = false;
    status.dataset.state = 'idle';
    if (keepIt) await keep(chunks, ctx, startAt);
  }
  disposers.push(() => {
    end(false).catch(() => {});
  });

  async function start() {
    const { ctx, stream, node, chunks } = await openMicrophone(meter);
    // one bar of count-in, then (when asked) clicks all along: one schedule on this context's clock
    const { bpm, beatsPerBar, volume } = tempo();
    const metronome = new Metronome({ context: ctx, bpm, beatsPerBar, volume });
    const beats = countIn.checked ? beatsPerBar : 0;
    const first = ctx.currentTime + 0.1;
    if (beats || clickAlong.checked) await metronome.start({ at: first, beats: clickAlong.checked ? Infinity : beats });
    const startTime = first + beats * metronome.interval();
    node.port.postMessage({ start: startTime });
    session = { ctx, stream, node, chunks, metronome, startAt: Date.now() + (startTime - ctx.currentTime) * 1000 };
    stop.disabled = false;
    status.dataset.state = beats ? 'count-in' : 'recording';
    status.textContent = beats ? `Count-in: ${beats} beats at ${Math.round(bpm)} BPM…` : 'Recording…';
    if (beats) announceWhenRecording(status, () => session && session.ctx === ctx, ctx, startTime);
    stop.focus();
  }

  record.addEventListener('click', async () => {
    message.clear();
    if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
      message.show('This browser cannot record here (it needs microphone access and AudioWorklet).');
      return;
    }
    record.disabled = true;
    try {
      await start();
    } catch (e) {
      record.disabled = false;
      message.show(refusalInWords(e));
    }
  });
  stop.addEventListener('click', () => end(true).catch((e) => message.show(e.message)));

  return studioCard('record', 'Record',
    h('p.hint', { text: 'Record a new track with the red button on the desk: one bar of count-in, then the song plays from the playhead while the microphone records. “Click while recording” clicks along there too. The button here records a WAV that replaces the original audio instead. Use headphones so the microphone does not hear the song or the click.' }),
    h('div.actions', {}, record, stop,
      h('span.choice', {}, countIn, h('label', { for: 'count-in', text: 'Count-in' })),
      h('span.choice', {}, clickAlong, h('label', { for: 'click-while-recording', text: 'Click while recording' }))),
    h('div.field', {}, h('label', { for: 'input-level', text: 'Input level' }), meter),
    h('div.field', {}, h('label', { for: 'record-latency', text: 'Latency (ms)' }), latency,
      h('p.hint#record-latency-hint', { text: 'How late your microphone and speakers are on this device: new tracks are placed this much earlier so they sit in time.' })),
    status, message.el);
}
