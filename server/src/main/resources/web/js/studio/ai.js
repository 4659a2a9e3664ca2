// The studio's "AI transformation" section: choose a preset (Pro presets only on a Pro plan), request, watch; then
// listen to, rate, add as tracks, keep or download the MIDI of this result or any earlier one of the project, which
// are listed newest first and survive a reload (a transformation still running is followed again).
import { h, field, messageBox } from '../shared/dom.js';
import { pagedList } from '../shared/paging.js';
import { formatDateTime, words } from '../shared/words.js';
import { api, get, post, put, PLANS_PAGE } from '../api.js';
import { showProblem } from '../account/way-out.js';
import { studioCard } from './card.js';
import { followJob } from './jobs.js';

const DONE = ['completed', 'failed', 'cancelled'];
/** A job's status → its transformation's (the database mirrors them the same way, V60). */
const STATUS_OF_JOB = { queued: 'pending', running: 'processing', succeeded: 'completed', failed: 'failed', cancelled: 'cancelled' };
/** Plans whose musicians may start Pro presets (the server checks again: 403 premium_preset). */
const PRO_TIERS = ['pro', 'enterprise'];

const reasonOf = (t) => t.error_message || t.error_code || 'unknown reason';

/** The followed transformation's state in the status line; job (when known) gives the percentage while it runs. */
function transformationWords(t, job) {
  const percent = job ? Math.round((job.progress || 0) * 100) : null;
  return {
    pending: 'Waiting for a worker…',
    processing: `Transforming…${percent === null ? '' : ` ${percent}%`}`,
    completed: 'Done: listen to the result below.',
    failed: `The transformation failed: ${reasonOf(t)}`,
    cancelled: 'The transformation was cancelled.',
  }[t.status] || t.status;
}

/**
 * A result's state in the list of results. A failure's reason is said once: in the status line while that line
 * reports this transformation, else here.
 */
function stateWords(t, reasonInStatusLine) {
  if (t.status === 'completed' && t.expired_at) return `Expired on ${formatDateTime(t.expired_at)} (its files were deleted)`;
  return {
    pending: 'Waiting for a worker',
    processing: 'Transforming…',
    completed: 'Done',
    failed: reasonInStatusLine ? 'Failed' : `Failed: ${reasonOf(t)}`,
    cancelled: 'Cancelled',
  }[t.status] || t.status;
}

function ratingWords(t) {
  if (t.user_rating) return `Rated ${t.user_rating} of 5`;
  return t.status === 'completed' && !t.expired_at ? 'Not rated yet' : '';
}

/** "Night drive" and "Classical Orchestra" → "night-drive-classical-orchestra.mid": the song's name first. */
function midiFileName(songTitle, presetName) {
  const safe = (text) => String(text || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const stem = [safe(songTitle).slice(0, 60) || 'song', safe(presetName).slice(0, 40)].filter(Boolean).join('-');
  return `${stem}.mid`;
}

/**
 * The controls of an opened result: its player, a rating, "Add as tracks" (one per instrument, under the others),
 * "Keep as version" (editors) and "Download MIDI" (when the arranger wrote one). onKept runs once either changed
 * the project; onRated(t) with the rated transformation.
 */
function resultControls(t, { name, when, audioUrl, midi, canEdit, onKept, onRated }) {
  const title = h('h3#ai-result-title', { text: `${name} · ${when}` });
  const audio = h('audio', { id: 'ai-player', controls: true, src: audioUrl, 'aria-label': `Transformed audio: ${name}, ${when}` });
  const rating = field('Your rating', { tag: 'select', id: 'ai-rating' });
  for (let n = 5; n >= 1; n--) {
    rating.input.append(h('option', { value: String(n), text: `${n} of 5`, selected: n === (t.user_rating || 5) }));
  }
  const message = messageBox();
  const rate = h('button', {
    type: 'button', id: 'ai-rate', text: 'Rate',
    onclick: async () => {
      message.clear();
      try {
        const rated = await put(`/transformations/${t.id}/rating`, { user_rating: Number(rating.input.value) });
        message.show('Thanks, your rating is saved.', 'ok');
        onRated(rated);
      } catch (e) {
        showProblem(message, e);
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
        showProblem(message, e);
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
        showProblem(message, e);
        asTracks.disabled = false;
      }
    },
  });
  const download = midi ? h('a.download.button', {
    id: 'ai-midi', href: midi.url, download: midi.name, title: midi.name, 'data-size': String(midi.size),
    text: 'Download MIDI', 'aria-label': `Download MIDI of ${midi.song} (${name})`,
  }) : null;
  return [title, audio, h('div.add', {}, rating.row, rate, asTracks, keep, download), message.el];
}

/**
 * The studio's "AI transformation" section. Progress comes from the transformation's event stream, with polling
 * when the stream breaks. onCompleted(t) runs when a result is ready; onKept after it became the project's audio
 * or its tracks.
 */
export function aiSection({ projectId, canEdit, onKept, onCompleted, disposers }) {
  const preset = field('AI preset', { tag: 'select', id: 'ai-preset' });
  const description = h('p.hint', { id: 'ai-preset-description' });
  const planNote = h('p.hint', { id: 'ai-plan', hidden: true });
  const start = h('button.primary', { type: 'button', id: 'ai-start', text: 'Transform', disabled: true });
  const progress = h('progress', { id: 'ai-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Transformation progress' });
  const status = h('p.status', { id: 'ai-status', role: 'status', 'aria-live': 'polite' });
  const cancel = h('button', { type: 'button', id: 'ai-cancel', text: 'Cancel', hidden: true });
  const message = messageBox();
  const result = h('div.result', { id: 'ai-result', hidden: true });
  const results = h('ol.ai-results', { id: 'ai-results', 'aria-labelledby': 'h-ai-results' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more results' });

  let presets = [];
  let songTitle = '';
  let current = null; // the transformation the status line reports
  let shown = null; // the id of the result opened below
  let opening = 0;
  let timer = 0;
  let following = null;
  const urls = [];
  const known = new Map(); // the listed results by id
  disposers.push(() => {
    clearTimeout(timer);
    following?.close();
    urls.splice(0).forEach((url) => URL.revokeObjectURL(url));
  });

  const presetOf = (t) => presets.find((p) => p.id === t.preset_id);
  const nameOf = (t) => presetOf(t)?.name || `${words(t.transformation_type)} (a preset no longer offered)`;
  const running = () => Boolean(current && !DONE.includes(current.status));
  const enableStart = () => {
    start.disabled = !canEdit || running() || !preset.input.value;
  };

  const describe = () => {
    const p = presets.find((x) => x.id === preset.input.value);
    description.textContent = p ? `${p.description || ''}${p.is_premium ? ' (Pro plan)' : ''}` : '';
    enableStart();
  };
  preset.input.addEventListener('change', describe);

  /** The presets, Pro ones marked; on a plan without them they cannot be chosen, and a note says how to get them. */
  function showPresets(tier) {
    const locked = (p) => p.is_premium && tier !== null && !PRO_TIERS.includes(tier);
    for (const p of presets) {
      preset.input.append(h('option', {
        value: p.id, disabled: locked(p), 'data-pro': p.is_premium ? 'true' : null,
        text: p.is_premium ? `${p.name} (${locked(p) ? 'Pro plan only' : 'Pro'})` : p.name,
      }));
    }
    const first = presets.find((p) => !locked(p));
    preset.input.value = first ? first.id : '';
    if (presets.some(locked)) {
      planNote.replaceChildren('Presets marked “Pro plan only” need the Pro plan; you are on the Free plan. ',
        h('a', { href: PLANS_PAGE, text: 'See plans and how to upgrade' }));
      planNote.hidden = false;
    }
    describe();
  }

  // The list of this project's results (the caller's own), newest first.
  function resultItem(t) {
    const name = nameOf(t);
    const when = formatDateTime(t.created_at);
    const rating = ratingWords(t);
    const open = t.status === 'completed' && !t.expired_at ? h('button', {
      type: 'button', text: 'Open', 'aria-label': `Open the ${name} result of ${when}`,
      onclick: () => openResult(t).catch((e) => showProblem(message, e)),
    }) : null;
    return h('li', {
      'data-transformation': t.id, 'data-status': t.status, 'data-rating': t.user_rating ? String(t.user_rating) : '',
      'aria-current': t.id === shown ? 'true' : null,
    },
    h('span.grow', {}, h('strong', { text: name }), h('span.meta', { text: ` · ${when}` })),
    h('span.state', { text: stateWords(t, t.id === current?.id) }),
    rating ? h('span.meta.rating', { text: rating }) : null,
    open);
  }
  const history = pagedList({
    list: results, more, path: `/projects/${projectId}/transformations`,
    draw: (items) => items.map((t) => {
      known.set(t.id, t);
      return resultItem(t);
    }),
    empty: () => 'No results yet: choose a preset and press Transform.',
    onError: (e) => showProblem(message, e),
  });
  const reloadResults = () => history.load(true).catch((e) => showProblem(message, e));
  /** Redraws one result in the list (after a rating, or when it is opened or closed). */
  function redraw(t) {
    if (!t) return;
    known.set(t.id, t);
    results.querySelector(`li[data-transformation="${CSS.escape(t.id)}"]`)?.replaceWith(resultItem(t));
  }

  /** Opens a completed result below: its audio (and MIDI, when the arranger wrote one), fetched once each. */
  async function openResult(t) {
    const ticket = ++opening;
    const audio = await api('GET', `/transformations/${t.id}/audio`, { as: 'blob' });
    const midiBlob = t.provider === 'local'
      ? await api('GET', `/transformations/${t.id}/midi`, { as: 'blob' }).catch(() => null) : null;
    if (ticket !== opening) return;
    urls.splice(0).forEach((url) => URL.revokeObjectURL(url));
    const audioUrl = URL.createObjectURL(audio);
    urls.push(audioUrl);
    const name = nameOf(t);
    let midi = null;
    if (midiBlob) {
      midi = { url: URL.createObjectURL(midiBlob), name: midiFileName(songTitle, name), size: midiBlob.size, song: songTitle || 'the song' };
      urls.push(midi.url);
    }
    const previous = shown;
    shown = t.id;
    result.replaceChildren(...resultControls(t, {
      name, when: formatDateTime(t.created_at), audioUrl, midi, canEdit, onKept,
      onRated: (rated) => redraw(rated),
    }));
    result.dataset.transformation = t.id;
    result.hidden = false;
    if (previous && previous !== t.id) redraw(known.get(previous));
    redraw(known.get(t.id) || t);
  }

  function show(t, job) {
    current = t;
    cancel.hidden = DONE.includes(t.status);
    status.dataset.status = t.status;
    if (job) progress.value = job.progress || 0;
    status.textContent = transformationWords(t, job);
    enableStart();
  }

  /** The followed transformation ended (or is read again while it runs): its outcome, once, in the status line. */
  async function poll(t) {
    try {
      const now = await get(`/transformations/${t.id}`);
      const job = now.job_id ? await get(`/jobs/${now.job_id}`).catch(() => null) : null;
      show(now, job);
      if (!DONE.includes(now.status)) {
        timer = setTimeout(() => poll(now), 1000);
        return;
      }
      progress.hidden = now.status !== 'completed';
      await reloadResults();
      if (now.status === 'completed') {
        progress.value = 1;
        await openResult(now);
        await onCompleted?.(now);
      }
    } catch (e) {
      showProblem(message, e);
      enableStart();
    }
  }

  /**
   * Follows the transformation's job over the transformation's own event stream (followJob; polling the job when
   * the stream breaks), then reads the transformation once for the outcome and the result. #ai-status carries
   * data-via ("stream" or "poll") and data-events (progress events that came over the stream) for tests.
   */
  function follow(t) {
    following?.close();
    progress.hidden = false;
    show(t);
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
        const shownStatus = STATUS_OF_JOB[job.status];
        show({ ...current, status: shownStatus && !DONE.includes(shownStatus) ? shownStatus : current.status }, job);
      },
      onFallback: () => {
        status.dataset.via = 'poll';
      },
      onEnd: () => poll(t),
      onError: (e) => {
        showProblem(message, e);
        enableStart();
      },
    });
  }

  cancel.addEventListener('click', async () => {
    if (!current) return;
    message.clear();
    cancel.disabled = true;
    try {
      await post(`/transformations/${current.id}/cancel`);
    } catch (e) {
      showProblem(message, e);
    } finally {
      cancel.disabled = false;
    }
  });

  start.addEventListener('click', async () => {
    message.clear();
    const chosen = preset.input.selectedOptions[0];
    if (!chosen?.value) {
      message.show('Choose a preset first.');
      return;
    }
    if (chosen.disabled) { // a Pro preset on a plan without them: said here rather than refused by the server
      const p = presets.find((x) => x.id === chosen.value);
      message.show(`“${p?.name || chosen.textContent}” needs the Pro plan. `, 'error',
        h('a.way-out', { href: PLANS_PAGE, text: 'See plans and how to upgrade' }));
      return;
    }
    start.disabled = true;
    try {
      const t = await post(`/projects/${projectId}/transformations`, { preset_id: preset.input.value });
      progress.value = 0;
      follow(t);
      await reloadResults();
    } catch (e) {
      showProblem(message, e);
      enableStart();
    }
  });

  // presets and the plan first (what may be started), then the results; a transformation still running (the page
  // was reloaded while it ran) is followed again
  Promise.all([
    get('/ai/presets'),
    get('/usage').then((usage) => usage.tier || null).catch(() => null),
    get(`/projects/${projectId}`).then((p) => p.title).catch(() => ''),
  ]).then(async ([answer, tier, title]) => {
    presets = answer.items || [];
    songTitle = title;
    showPresets(tier);
    await history.load(true);
    const newest = results.querySelector('li[data-transformation]');
    if (newest && !DONE.includes(newest.dataset.status) && !current) {
      follow(await get(`/transformations/${newest.dataset.transformation}`));
    }
  }).catch((e) => showProblem(message, e));

  return studioCard('ai', 'AI transformation',
    h('p.hint', { text: 'Turns the original audio into an arrangement. Listen, rate it, then add its instruments as tracks, keep it as the project audio or download its MIDI.' }),
    h('div.add', {}, preset.row, start, cancel), description, planNote, progress, status, message.el, result,
    h('h3#h-ai-results', { text: 'Your results' }), results, more);
}
