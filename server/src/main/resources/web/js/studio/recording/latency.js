// Latency compensation of recordings: a sound reaches the recording later than the musician played it (the
// interface's input and output buffers), by a number of milliseconds that belongs to the device, so it is remembered
// per browser in localStorage. A recording on the desk is placed that much earlier, counted in frames.

export const LATENCY_KEY = 'studio.recordingLatencyMs';
export const MAX_LATENCY_MS = 500;

/** A latency in whole milliseconds, 0…500 (anything else: 0). */
export function clampLatencyMs(value) {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.min(MAX_LATENCY_MS, Math.max(0, n)) : 0;
}

/** The latency this device last had (0 at first). */
export function readLatencyMs() {
  try {
    return clampLatencyMs(localStorage.getItem(LATENCY_KEY) ?? 0);
  } catch {
    return 0;
  }
}

export function keepLatencyMs(ms) {
  try {
    localStorage.setItem(LATENCY_KEY, String(clampLatencyMs(ms)));
  } catch {
    // private mode: the setting lasts for this visit
  }
}

/** Milliseconds as whole frames at `rate`. */
export const latencyFrames = (ms, rate) => Math.round((clampLatencyMs(ms) * rate) / 1000);

/**
 * Where a recording goes on the timeline: it began at timeline frame `at` and is `frames` long; placed `shift`
 * frames earlier. Before the song's start the clip starts at 0 and skips that much of the take instead.
 * Returns {start_frame, offset_frames, length_frames} (length 0 when nothing is left).
 */
export function placedRecording(at, frames, shift) {
  const start = at - shift;
  const offset = start < 0 ? -start : 0;
  return { start_frame: Math.max(0, start), offset_frames: offset, length_frames: Math.max(0, frames - offset) };
}
