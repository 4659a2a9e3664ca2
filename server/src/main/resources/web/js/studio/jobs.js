// Following a background job (render, export, AI transformation): Server-Sent Events, polling as the fallback.
import { events, get } from '../api.js';

const FINAL = ['succeeded', 'failed', 'cancelled'];

/**
 * Follows job jobId until it ends. onProgress(job) is called on every change while it runs; onEnd(job) exactly once
 * with the finished job (status succeeded, failed or cancelled); onError(error) when it can no longer be followed
 * (or when onEnd throws). The events come through api.events(); if the stream breaks (network, expired token) or the job is gone from it, the job
 * is polled every second instead, and onFallback() is told. `events` names another stream of the same job's events
 * (an AI transformation's /transformations/{id}/events). Returns {close()} to stop following (e.g. when the page is
 * left).
 */
export function followJob(jobId, {
  events: eventsPath = `/jobs/${encodeURIComponent(jobId)}/events`,
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

  stream = events(eventsPath, {
    progress,
    end: (job) => {
      stream.close();
      if (job.status === 'gone' || !FINAL.includes(job.status)) fallBack();
      else end(job);
    },
    error: fallBack,
  });

  return { close: stop };
}
