// The studio's "AI transformation" section: choose a preset, request, watch, listen, rate, keep.
import { h, field, messageBox } from '../shared/dom.js';
import { api, get, post, put } from '../api.js';
import { studioCard } from './card.js';
import { followJob } from './jobs.js';

const DONE = ['completed', 'failed', 'cancelled'];
/** A job's status → its transformation's (the database mirrors them the same way, V60). */
const STATUS_OF_JOB = { queued: 'pending', running: 'processing', succeeded: 'completed', failed: 'failed', cancelled: 'cancelled' };

/** A transformation's state in words; job (when known) gives the percentage while it runs. */
function transformationWords(t, job) {
  const percent = job ? Math.round((job.progress || 0) * 100) : null;
  return {
    pending: 'Waiting for a worker…',
    processing: `Transforming…${percent === null ? '' : ` ${percent}%`}`,
    completed: 'Done: listen to the result below.',
    failed: `The transformation failed: ${t.error_message || t.error_code || 'unknown reason'}`,
    cancelled: 'The transformation was cancelled.',
  }[t.status] || t.status;
}

/**
 * A finished result: its player, a rating, "Add as tracks" (one per instrument, under the others) and "Keep as
 * version" (editors); onKept runs once either changed the project.
 */
function resultControls(t, audioUrl, { canEdit, onKept }) {
  const audio = h('audio', { id: 'ai-player', controls: true, src: audioUrl, 'aria-label': 'Transformed audio' });
  const rating = field('Your rating', { tag: 'select', id: 'ai-rating' });
  for (let n = 5; n >= 1; n--) rating.input.append(h('option', { value: String(n), text: `${n} of 5` }));
  const message = messageBox();
  const rate = h('button', {
    type: 'button', id: 'ai-rate', text: 'Rate',
    onclick: async () => {
      message.clear();
      try {
        await put(`/transformations/${t.id}/rating`, { user_rating: Number(rating.input.value) });
        message.show('Thanks, your rating is saved.', 'ok');
      } catch (e) {
        message.show(e.message);
      }
    },
  });
  const keep = h('button.primary', {
    type: 'button', id: 'ai-keep', text: 'Keep as version', disabled: !canEdit,
    onclick: async () => {
      message.clear();
      keep.disabled = true;
      try {
        await post(`/transformations/${t.id}/keep`);
        message.show('Kept: the result is now the project audio, and a version holds it.', 'ok');
        await onKept();
      } catch (e) {
        message.show(e.message);
        keep.disabled = false;
      }
    },
  });
  const asTracks = h('button', {
    type: 'button', id: 'ai-add-tracks', text: 'Add as tracks', disabled: !canEdit,
    'aria-label': 'Add the result as new tracks under the others, one per instrument',
    onclick: async () => {
      message.clear();
      asTracks.disabled = true;
      try {
        const added = await post(`/transformations/${t.id}/tracks`);
        const names = added.items.map((track) => track.name).join(', ');
        message.show(`Added ${added.items.length} ${added.items.length === 1 ? 'track' : 'tracks'}: ${names}.`, 'ok');
        await onKept();
      } catch (e) {
        message.show(e.message);
        asTracks.disabled = false;
      }
    },
  });
  return [audio, h('div.add', {}, rating.row, rate, asTracks, keep), message.el];
}

/**
 * The studio's "AI transformation" section. Progress comes from the transformation's event stream, with polling
 * when the stream breaks. onCompleted(t) runs when a result is ready; onKept after it became the project's audio.
 */
export function aiSection({ projectId, canEdit, onKept, onCompleted, disposers }) {
  const preset = field('AI preset', { tag: 'select', id: 'ai-preset' });
  const description = h('p.hint', { id: 'ai-preset-description' });
  const start = h('button.primary', { type: 'button', id: 'ai-start', text: 'Transform', disabled: !canEdit });
  const progress = h('progress', { id: 'ai-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Transformation progress' });
  const status = h('p.status', { id: 'ai-status', role: 'status', 'aria-live': 'polite' });
  const cancel = h('button', { type: 'button', id: 'ai-cancel', text: 'Cancel', hidden: true });
  let current = null;
  cancel.addEventListener('click', async () => {
    if (!current) return;
    cancel.disabled = true;
    try {
      await post(`/transformations/${current.id}/cancel`);
    } catch (e) {
      message.show(e.message);
    } finally {
      cancel.disabled = false;
    }
  });
  const message = messageBox();
  const result = h('div.result', { id: 'ai-result', hidden: true });
  let presets = [];
  let timer = 0;
  let following = null;
  let objectUrl = null;
  disposers.push(() => {
    clearTimeout(timer);
    following?.close();
    if (objectUrl) URL.revokeObjectURL(objectUrl);
  });

  const describe = () => {
    const p = presets.find((x) => x.id === preset.input.value);
    description.textContent = p ? `${p.description || ''}${p.is_premium ? ' (Pro plan)' : ''}` : '';
  };
  preset.input.addEventListener('change', describe);

  get('/ai/presets').then((answer) => {
    presets = answer.items || [];
    for (const p of presets) preset.input.append(h('option', { value: p.id, text: p.is_premium ? `${p.name} (Pro)` : p.name }));
    describe();
  }).catch((e) => message.show(e.message));

  function show(t, job) {
    current = t;
    cancel.hidden = DONE.includes(t.status);
    status.dataset.status = t.status;
    if (job) progress.value = job.progress || 0;
    status.textContent = transformationWords(t, job);
  }

  async function showResult(t) {
    const blob = await api('GET', `/transformations/${t.id}/audio`, { as: 'blob' });
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(blob);
    result.replaceChildren(...resultControls(t, objectUrl, { canEdit, onKept }));
    result.hidden = false;
  }

  async function poll(t) {
    try {
      const now = await get(`/transformations/${t.id}`);
      const job = now.job_id ? await get(`/jobs/${now.job_id}`).catch(() => null) : null;
      show(now, job);
      if (!DONE.includes(now.status)) {
        timer = setTimeout(() => poll(now), 1000);
        return;
      }
      start.disabled = !canEdit;
      if (now.status === 'completed') {
        progress.value = 1;
        await showResult(now);
        await onCompleted?.(now);
      } else message.show(status.textContent);
    } catch (e) {
      message.show(e.message);
      start.disabled = !canEdit;
    }
  }

  /**
   * Follows the transformation's job over the transformation's own event stream (followJob; polling the job when
   * the stream breaks), then reads the transformation once for the outcome and the result. #ai-status carries
   * data-via ("stream" or "poll") and data-events (progress events that came over the stream) for tests.
   */
  function follow(t) {
    following?.close();
    if (!t.job_id) {
      status.dataset.via = 'poll';
      timer = setTimeout(() => poll(t), 500);
      return;
    }
    status.dataset.via = 'stream';
    status.dataset.events = '0';
    following = followJob(t.job_id, {
      events: `/transformations/${encodeURIComponent(t.id)}/events`,
      onProgress: (job) => {
        if (status.dataset.via === 'stream') status.dataset.events = String(Number(status.dataset.events) + 1);
        // the outcome (and the result) comes from the transformation itself, read at the end
        const shown = STATUS_OF_JOB[job.status];
        show({ ...current, status: shown && !DONE.includes(shown) ? shown : current.status }, job);
      },
      onFallback: () => {
        status.dataset.via = 'poll';
      },
      onEnd: () => poll(t),
      onError: (e) => {
        message.show(e.message);
        start.disabled = !canEdit;
      },
    });
  }

  start.addEventListener('click', async () => {
    message.clear();
    result.hidden = true;
    if (!preset.input.value) {
      message.show('Choose a preset first.');
      return;
    }
    start.disabled = true;
    try {
      const t = await post(`/projects/${projectId}/transformations`, { preset_id: preset.input.value });
      progress.hidden = false;
      progress.value = 0;
      show(t);
      follow(t);
    } catch (e) {
      message.show(e.message);
      start.disabled = false;
    }
  });

  return studioCard('ai', 'AI transformation',
    h('p.hint', { text: 'Turns the original audio into an arrangement. Listen, rate it, then add its instruments as tracks or keep it as the project audio.' }),
    h('div.add', {}, preset.row, start, cancel), description, progress, status, message.el, result);
}
