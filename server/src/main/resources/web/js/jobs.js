// Following a background job (render, export, AI transformation): Server-Sent Events, polling as the fallback.
import { accessTokenForStream, get } from './api.js';

const FINAL = ['succeeded', 'failed', 'cancelled'];

/**
 * Follows job jobId until it ends. onProgress(job) is called on every change while it runs; onEnd(job) exactly once
 * with the finished job (status succeeded, failed or cancelled); onError(error) when it can no longer be followed
 * (or when onEnd throws). The event stream cannot send headers, so it carries the access token as the documented
 * access_token query parameter; if the stream breaks (network, expired token) or the job is gone from it, the job
 * is polled every second instead, and onFallback() is told. `events` names another stream of the same job's events
 * (an AI transformation's /transformations/{id}/events). Returns {close()} to stop following (e.g. when the page is
 * left).
 */
export function followJob(jobId, {
  events = `/jobs/${encodeURIComponent(jobId)}/events`,
  onProgress = () => {}, onEnd = () => {}, onError = () => {}, onFallback = () => {},
} = {}) {
  let stream = null;
  let timer = 0;
  let stopped = false;

  const stop = () => {
    stopped = true;
    stream?.close();
    clearTimeout(timer);
  };
  const fail = (error) => {
    if (stopped) return;
    stop();
    onError(error);
  };
  const end = (job) => {
    if (stopped) return;
    stop();
    Promise.resolve().then(() => onEnd(job)).catch(onError);
  };
  const progress = (job) => {
    if (!stopped) onProgress(job);
  };

  const fallBack = () => {
    if (stopped) return;
    onFallback();
    poll();
  };

  async function poll() {
    if (stopped) return;
    try {
      const job = await get(`/jobs/${encodeURIComponent(jobId)}`);
      if (stopped) return;
      if (FINAL.includes(job.status)) end(job);
      else {
        progress(job);
        timer = setTimeout(poll, 1000);
      }
    } catch (e) {
      fail(e);
    }
  }

  (async () => {
    let token;
    try {
      token = await accessTokenForStream();
    } catch {
      fallBack();
      return;
    }
    if (stopped) return;
    stream = new EventSource(`/api/v1${events}?access_token=${encodeURIComponent(token)}`);
    stream.addEventListener('progress', (event) => progress(JSON.parse(event.data)));
    stream.addEventListener('end', (event) => {
      stream.close();
      const job = JSON.parse(event.data);
      if (job.status === 'gone' || !FINAL.includes(job.status)) fallBack();
      else end(job);
    });
    stream.addEventListener('error', () => {
      if (stopped) return;
      stream.close();
      fallBack();
    });
  })();

  return { close: stop };
}
