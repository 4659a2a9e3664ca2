// Following a background job (render, export): Server-Sent Events from /jobs/{id}/events, polling as the fallback.
import { accessTokenForStream, get } from './api.js';

const FINAL = ['succeeded', 'failed', 'cancelled'];

/**
 * Follows job jobId until it ends. onProgress(job) is called on every change while it runs; onEnd(job) exactly once
 * with the finished job (status succeeded, failed or cancelled); onError(error) when it can no longer be followed
 * (or when onEnd throws). The event stream cannot send headers, so it carries the access token as the documented
 * access_token query parameter; if the stream breaks (network, expired token) or the job is gone from it, the job
 * is polled every second instead. Returns {close()} to stop following (e.g. when the page is left).
 */
export function followJob(jobId, { onProgress = () => {}, onEnd = () => {}, onError = () => {} } = {}) {
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
      poll();
      return;
    }
    if (stopped) return;
    stream = new EventSource(`/api/v1/jobs/${encodeURIComponent(jobId)}/events?access_token=${encodeURIComponent(token)}`);
    stream.addEventListener('progress', (event) => progress(JSON.parse(event.data)));
    stream.addEventListener('end', (event) => {
      stream.close();
      const job = JSON.parse(event.data);
      if (job.status === 'gone' || !FINAL.includes(job.status)) poll();
      else end(job);
    });
    stream.addEventListener('error', () => {
      if (stopped) return;
      stream.close();
      poll();
    });
  })();

  return { close: stop };
}
