// What the player plays: one radio group of sources — the original, the processed audio and every finished AI
// transformation — each fetched once as a blob: URL, and A/B comparison that keeps the position and the play state.
import { h } from '../../shared/dom.js';
import { words } from '../../shared/words.js';
import { api, get } from '../../api.js';

const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'
  || (el.tagName === 'INPUT' && !['radio', 'checkbox', 'range', 'button', 'submit'].includes(el.type)));

function transformationLabel(t) {
  const when = new Date(t.completed_at || t.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${words(t.transformation_type) || 'Transformation'} (AI, ${when})`;
}

/** value → {label, key (changes when the audio does), path (to fetch it)} of the sources player has now. */
function playable({ project, id }, transformations) {
  const all = new Map();
  if (project.has_original_audio) {
    all.set('original', { label: 'Original', key: `original:${project.original_audio_url}`, path: `/projects/${id}/audio/original` });
  }
  if (project.has_processed_audio) {
    all.set('processed', { label: 'Processed', key: `processed:${project.processed_audio_url}`, path: `/projects/${id}/audio/processed` });
  }
  for (const t of transformations) {
    all.set(`transformation:${t.id}`, { label: transformationLabel(t), key: `transformation:${t.id}`, path: `/transformations/${t.id}/audio` });
  }
  return all;
}

/**
 * The audio of each source, fetched once: source key → blob: URL, forgotten when the source changes or goes. The URL
 * the player is still playing is revoked only once the player holds another one (`release`): revoking it earlier
 * makes the player's next read of it (a seek, a loop) fail.
 */
function audioCache(playing) {
  const urls = new Map();
  const retired = new Set();
  function retire(url) {
    if (url === playing()) retired.add(url);
    else URL.revokeObjectURL(url);
  }
  return {
    get: (key) => urls.get(key),
    set: (key, url) => urls.set(key, url),
    keepOnly(available) {
      const keys = new Set([...available.values()].map((s) => s.key));
      for (const [key, url] of urls) {
        if (!keys.has(key)) {
          retire(url);
          urls.delete(key);
        }
      }
    },
    release() {
      for (const url of retired) {
        if (url !== playing()) {
          URL.revokeObjectURL(url);
          retired.delete(url);
        }
      }
    },
    clear() {
      for (const url of [...urls.values(), ...retired]) URL.revokeObjectURL(url);
      urls.clear();
      retired.clear();
    },
  };
}

/** The B key toggles A/B, unless the person is typing or holds a modifier. */
function abKey(toggle) {
  return (event) => {
    if (event.key !== 'b' && event.key !== 'B') return;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    toggle();
  };
}

/** Resolves once `audio` can tell its duration, or rejects when it cannot play what it was given. */
function metadataLoaded(audio, label) {
  return new Promise((resolve, reject) => {
    const done = (error) => {
      audio.removeEventListener('loadedmetadata', ok);
      audio.removeEventListener('error', bad);
      if (error) reject(error);
      else resolve();
    };
    const ok = () => done();
    const bad = () => done(new Error(`${label}: this audio could not be played here.`));
    audio.addEventListener('loadedmetadata', ok);
    audio.addEventListener('error', bad);
  });
}

/**
 * The "Play" fieldset of player (see audio-section.js). onLoaded() runs when a source is ready (the playhead
 * follows). Returns {el, render(), load(which, {keep}), reload()}; `which` is "original", "processed" or
 * "transformation:<id>".
 */
export function sourceChoice(player, { onLoaded }) {
  const { audio } = player;
  const sourceOriginal = h('input', { type: 'radio', name: 'source', id: 'source-original', value: 'original', checked: true });
  const sourceProcessed = h('input', { type: 'radio', name: 'source', id: 'source-processed', value: 'processed' });
  const aiSources = h('span.ai-sources', { id: 'ai-sources' });
  const ab = h('button', { type: 'button', id: 'ab-toggle', text: 'A/B compare', 'aria-pressed': 'false', 'aria-keyshortcuts': 'B' });
  const el = h('fieldset.sources', {},
    h('legend', { text: 'Play' }),
    h('span.choice', {}, sourceOriginal, h('label', { for: 'source-original', text: 'Original' })),
    h('span.choice', {}, sourceProcessed, h('label', { for: 'source-processed', text: 'Processed' })),
    aiSources, ab);

  let transformations = []; // completed, with audio
  let current = 'original'; // the source the player holds (or is loading)
  let alternative = 'processed'; // "B" of A/B: the last source other than the original that was chosen
  let loading = 0;
  const cache = audioCache(() => audio.getAttribute('src'));

  const sources = () => playable(player, transformations);

  const radios = () => [...el.querySelectorAll('input[name=source]')];

  function render() {
    const available = sources();
    sourceOriginal.disabled = !available.has('original');
    sourceProcessed.disabled = !available.has('processed');
    aiSources.replaceChildren(...transformations.map((t) => {
      const radioId = `source-transformation-${t.id}`;
      return h('span.choice', {},
        h('input', { type: 'radio', name: 'source', id: radioId, value: `transformation:${t.id}`, checked: current === `transformation:${t.id}` }),
        h('label', { for: radioId, text: transformationLabel(t) }));
    }));
    for (const radio of radios()) radio.checked = radio.value === current;
    cache.keepOnly(available);
    describeAb();
  }

  /** B of A/B: the last other source chosen if it is still there, else the processed audio. */
  function bSource() {
    const available = sources();
    if (available.has(alternative)) return alternative;
    return available.has('processed') ? 'processed' : null;
  }

  function describeAb() {
    const available = sources();
    const b = bSource();
    const target = current === 'original' ? b : 'original';
    ab.disabled = !b || !available.has('original');
    ab.setAttribute('aria-pressed', String(current !== 'original'));
    ab.dataset.b = b || '';
    ab.title = target ? `Switch to ${available.get(target)?.label || target} at the same position (key B)` : 'Nothing to compare yet';
  }

  function toggleAb() {
    const b = bSource();
    if (ab.disabled || !b) return;
    load(current === 'original' ? b : 'original', { keep: true }).catch((e) => player.message.show(e.message));
  }

  function choose(value) {
    current = value;
    if (value !== 'original') alternative = value;
    for (const radio of radios()) radio.checked = radio.value === value;
    describeAb();
  }

  /** The blob: URL of source, fetched once; null when another load started meanwhile. */
  async function urlOf(source, token, previous) {
    let url = cache.get(source.key);
    if (url) return url;
    let blob;
    try {
      blob = await api('GET', source.path, { as: 'blob' });
    } catch (e) {
      if (token === loading) choose(previous); // the player still holds the previous source
      throw e;
    }
    if (token !== loading) return null;
    url = URL.createObjectURL(blob);
    cache.set(source.key, url);
    return url;
  }

  /**
   * Plays source `which`. Audio needs the Authorization header, which <audio src> cannot send: it is fetched once
   * and played from a blob: URL. With keep, the position and the play state carry over (A/B, switching sources).
   */
  async function load(which = 'original', { keep = false } = {}) {
    player.message.clear();
    const source = sources().get(which);
    const token = ++loading;
    const previous = current;
    choose(which);
    if (!source) {
      audio.pause();
      audio.removeAttribute('src');
      cache.release();
      audio.dataset.source = '';
      return;
    }
    const url = await urlOf(source, token, previous);
    if (token !== loading || !url) return;
    // the position and play state at the moment of the switch (the previous source played on while fetching)
    const at = audio.currentTime;
    const playing = !audio.paused && !audio.ended;
    audio.src = url;
    cache.release();
    audio.load();
    await metadataLoaded(audio, source.label);
    if (token !== loading) return;
    if (keep && at > 0) audio.currentTime = Math.min(at, audio.duration || at);
    audio.dataset.source = which;
    onLoaded();
    if (keep && playing) await audio.play();
  }

  /** Fetches the finished AI transformations again (they are sources too); shows a failure, never throws. */
  async function reload() {
    try {
      const answer = await get(`/projects/${player.id}/transformations?limit=100`);
      transformations = (answer.items || []).filter((t) => t.status === 'completed' && !t.expired_at);
      render();
    } catch (e) {
      player.message.show(`The AI results could not be listed: ${e.message}`);
    }
  }

  function pick(event) {
    if (event.target.checked) load(event.target.value, { keep: true }).catch((e) => player.message.show(e.message));
  }

  const onKey = abKey(toggleAb);
  document.addEventListener('keydown', onKey);
  ab.addEventListener('click', toggleAb);
  for (const radio of [sourceOriginal, sourceProcessed]) radio.addEventListener('change', pick);
  aiSources.addEventListener('change', pick);
  player.disposers.push(() => {
    document.removeEventListener('keydown', onKey);
    // the player lets go of its source first: a detached <audio> still buffering would read a revoked blob: URL
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
    cache.clear();
  });

  return { el, render, load, reload };
}
