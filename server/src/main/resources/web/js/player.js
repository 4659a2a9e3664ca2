// The studio's listening side ("Audio" section): upload, the zoomable waveform with a loop region, and playback of
// the original, the processed audio and every finished AI transformation in one radio group, with A/B comparison
// that keeps the position and the play state.
import { h, field, messageBox } from './dom.js';
import { api, get, upload } from './api.js';
import { WaveformView, MAX_ZOOM } from './waveform.js';

/** Finer waveform resolutions fetched for zoomed views (the stored overview is 256 samples per pixel). */
const DETAIL_LEVELS = [128, 64, 32, 16, 8, 4, 2];
/** A finer level is fetched only when it has at most this many pixels (≈ 3 MB of JSON). */
const MAX_DETAIL_PIXELS = 500_000;
const MIN_LOOP_SECONDS = 0.05;

const words = (name) => (name ? name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ') : 'Transformation');
const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'
  || (el.tagName === 'INPUT' && !['radio', 'checkbox', 'range', 'button', 'submit'].includes(el.type)));

/**
 * The "Audio" section of project `project`. onProjectChange(project) runs after an upload changed the project.
 * Returns {section, upload(file), load(which), reloadWaveform(), setProject(project), reloadSources()}; `which` is
 * "original", "processed" or "transformation:<id>".
 */
export function playerSection({ project: initial, canEdit, disposers, onProjectChange }) {
  let project = initial;
  const id = project.id;

  // ---- elements
  const canvas = h('canvas.waveform', {
    id: 'waveform', role: 'img', tabindex: 0, 'aria-label': 'Waveform of the recording',
    'aria-describedby': 'waveform-hint', 'data-drawn': 'false',
  });
  const wave = new WaveformView(canvas);
  const audio = h('audio', { id: 'player', controls: true, preload: 'metadata' });
  const zoomOut = h('button', { type: 'button', id: 'zoom-out', text: '−', 'aria-label': 'Zoom out' });
  const zoomIn = h('button', { type: 'button', id: 'zoom-in', text: '+', 'aria-label': 'Zoom in' });
  const zoomFit = h('button', { type: 'button', id: 'zoom-fit', text: 'Fit', 'aria-label': 'Show the whole recording' });
  const zoomLevel = h('output', { id: 'zoom-level', for: 'waveform', text: '1×', 'aria-live': 'polite' });
  const scroll = h('input', {
    type: 'range', id: 'waveform-scroll', min: 0, max: 1000, step: 1, value: '0', disabled: true,
    'aria-label': 'Scroll the waveform',
  });
  const loopStart = field('Loop start (s)', { type: 'number', id: 'loop-start', min: 0, step: 0.01, inputmode: 'decimal' });
  const loopEnd = field('Loop end (s)', { type: 'number', id: 'loop-end', min: 0, step: 0.01, inputmode: 'decimal' });
  const loop = h('input', { type: 'checkbox', id: 'loop', disabled: true });
  const loopClear = h('button', { type: 'button', id: 'loop-clear', text: 'Clear region', disabled: true });
  const sourceOriginal = h('input', { type: 'radio', name: 'source', id: 'source-original', value: 'original', checked: true });
  const sourceProcessed = h('input', { type: 'radio', name: 'source', id: 'source-processed', value: 'processed' });
  const aiSources = h('span.ai-sources', { id: 'ai-sources' });
  const ab = h('button', { type: 'button', id: 'ab-toggle', text: 'A/B compare', 'aria-pressed': 'false', 'aria-keyshortcuts': 'B' });
  const playerMessage = messageBox();

  // ---- state
  let transformations = []; // completed, with audio
  let current = 'original'; // the source the player holds (or is loading)
  let alternative = 'processed'; // "B" of A/B: the last source other than the original that was chosen
  let region = null; // {start, end} in seconds
  let frame = 0;
  let loading = 0;
  let detailTimer = 0;
  let fetchedDetail = new Set();
  const cache = new Map(); // source key → blob: URL

  disposers.push(() => {
    cancelAnimationFrame(frame);
    clearTimeout(detailTimer);
    audio.pause();
    wave.destroy();
    document.removeEventListener('keydown', onKey);
    for (const url of cache.values()) URL.revokeObjectURL(url);
    cache.clear();
  });

  // ---- sources
  /** value → {label, key (changes when the audio does), path (to fetch it)} of the sources there are now. */
  function sources() {
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

  function transformationLabel(t) {
    const when = new Date(t.completed_at || t.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return `${words(t.transformation_type)} (AI, ${when})`;
  }

  function radios() {
    return [...section.querySelectorAll('input[name=source]')];
  }

  function renderSources() {
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
    // forget the audio of sources that changed or went away
    const keys = new Set([...available.values()].map((s) => s.key));
    for (const [key, url] of cache) {
      if (!keys.has(key)) {
        URL.revokeObjectURL(url);
        cache.delete(key);
      }
    }
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
    load(current === 'original' ? b : 'original', { keep: true }).catch((e) => playerMessage.show(e.message));
  }

  function onKey(event) {
    if (event.key !== 'b' && event.key !== 'B') return;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    toggleAb();
  }
  document.addEventListener('keydown', onKey);
  ab.addEventListener('click', toggleAb);

  /**
   * Plays source `which`. Audio needs the Authorization header, which <audio src> cannot send: it is fetched once
   * and played from a blob: URL. With keep, the position and the play state carry over (A/B, switching sources).
   */
  async function load(which = 'original', { keep = false } = {}) {
    playerMessage.clear();
    const source = sources().get(which);
    const token = ++loading;
    const previous = current;
    const choose = (value) => {
      current = value;
      if (value !== 'original') alternative = value;
      for (const radio of radios()) radio.checked = radio.value === value;
      describeAb();
    };
    choose(which);
    if (!source) {
      audio.pause();
      audio.removeAttribute('src');
      audio.dataset.source = '';
      return;
    }
    let url = cache.get(source.key);
    if (!url) {
      let blob;
      try {
        blob = await api('GET', source.path, { as: 'blob' });
      } catch (e) {
        if (token === loading) choose(previous); // the player still holds the previous source
        throw e;
      }
      if (token !== loading) return;
      url = URL.createObjectURL(blob);
      cache.set(source.key, url);
    }
    if (token !== loading) return;
    // the position and play state at the moment of the switch (the previous source played on while fetching)
    const at = audio.currentTime;
    const playing = !audio.paused && !audio.ended;
    audio.src = url;
    audio.load();
    await new Promise((resolve, reject) => {
      const done = (error) => {
        audio.removeEventListener('loadedmetadata', ok);
        audio.removeEventListener('error', bad);
        if (error) reject(error);
        else resolve();
      };
      const ok = () => done();
      const bad = () => done(new Error(`${source.label}: this audio could not be played here.`));
      audio.addEventListener('loadedmetadata', ok);
      audio.addEventListener('error', bad);
    });
    if (token !== loading) return;
    if (keep && at > 0) audio.currentTime = Math.min(at, audio.duration || at);
    audio.dataset.source = which;
    syncPlayhead();
    if (keep && playing) await audio.play();
  }

  for (const radio of [sourceOriginal, sourceProcessed]) radio.addEventListener('change', pick);
  aiSources.addEventListener('change', pick);
  function pick(event) {
    if (event.target.checked) load(event.target.value, { keep: true }).catch((e) => playerMessage.show(e.message));
  }

  /** Fetches the finished AI transformations again (they are sources too); shows a failure, never throws. */
  async function reloadSources() {
    try {
      const answer = await get(`/projects/${id}/transformations?limit=100`);
      transformations = (answer.items || []).filter((t) => t.status === 'completed' && !t.expired_at);
      renderSources();
    } catch (e) {
      playerMessage.show(`The AI results could not be listed: ${e.message}`);
    }
  }

  function setProject(p) {
    project = p;
    renderSources();
  }

  // ---- waveform: data, zoom, scroll
  const duration = () => wave.seconds() || Number(project.duration_seconds) || audio.duration || 0;

  async function reloadWaveform() {
    fetchedDetail = new Set();
    if (!project.has_original_audio) return;
    wave.setWaveform(await get(`/projects/${id}/waveform?samples_per_pixel=256&bits=8&channels=mono`));
    loopStart.input.max = duration().toFixed(2);
    loopEnd.input.max = duration().toFixed(2);
    if (region && region.start >= duration()) setRegion(null);
    viewChanged();
  }

  /** At a zoom where the overview has less than a peak per column, fetch a finer level (once each). */
  async function fetchDetail() {
    const frames = wave.frames();
    if (!frames) return;
    const ideal = frames / (Math.max(1, canvas.width) * wave.zoom); // samples per column
    const allowed = DETAIL_LEVELS.filter((l) => frames / l <= MAX_DETAIL_PIXELS);
    const spp = allowed.find((l) => l <= ideal) ?? allowed[allowed.length - 1];
    if (ideal >= 256 || spp === undefined || fetchedDetail.has(spp)) return;
    fetchedDetail.add(spp);
    const take = project.original_audio_url;
    try {
      const detail = await get(`/projects/${id}/waveform?samples_per_pixel=${spp}&bits=8&channels=mono`);
      if (project.original_audio_url === take) wave.addDetail(detail);
    } catch (e) {
      fetchedDetail.delete(spp);
      // a busy server (503) says when to ask again; the overview stays drawn meanwhile
      if (e.status === 503) {
        setTimeout(() => { if (project.original_audio_url === take) fetchDetail(); },
          1000 * Math.min(30, Number(e.problem.retry_after_seconds) || 1));
        return;
      }
      playerMessage.show(`The detailed waveform could not be loaded: ${e.message}`);
    }
  }

  function viewChanged() {
    const { zoom, start } = wave;
    zoomLevel.textContent = `${zoom}×`;
    zoomIn.disabled = zoom >= MAX_ZOOM || !wave.hasData();
    zoomOut.disabled = zoom <= 1;
    zoomFit.disabled = zoom <= 1;
    scroll.disabled = zoom <= 1;
    scroll.value = String(zoom <= 1 ? 0 : Math.round((start / (1 - 1 / zoom)) * 1000));
    const { from, to } = wave.visible();
    scroll.setAttribute('aria-valuetext', `showing ${(from * duration()).toFixed(1)} s to ${(to * duration()).toFixed(1)} s`);
    clearTimeout(detailTimer);
    if (zoom > 1) detailTimer = setTimeout(fetchDetail, 150);
  }

  /** Zooms by a factor around a fraction of the recording: the playhead when it is in view, else the middle. */
  function zoomBy(factor, anchor) {
    if (!wave.hasData()) return;
    const { from, to } = wave.visible();
    const at = anchor ?? (wave.position >= from && wave.position <= to && wave.position > 0 ? wave.position : (from + to) / 2);
    wave.zoomAround(factor, at);
    viewChanged();
  }

  function scrollBy(windows) {
    wave.setView(wave.zoom, wave.start + windows / wave.zoom);
    viewChanged();
  }

  zoomIn.addEventListener('click', () => zoomBy(2));
  zoomOut.addEventListener('click', () => zoomBy(0.5));
  zoomFit.addEventListener('click', () => {
    wave.setView(1, 0);
    viewChanged();
  });
  scroll.addEventListener('input', () => {
    wave.setView(wave.zoom, (Number(scroll.value) / 1000) * (1 - 1 / wave.zoom));
    viewChanged();
  });
  canvas.addEventListener('keydown', (event) => {
    const actions = {
      '+': () => zoomBy(2), '=': () => zoomBy(2), '-': () => zoomBy(0.5), _: () => zoomBy(0.5),
      0: () => zoomFit.click(), ArrowLeft: () => scrollBy(-0.25), ArrowRight: () => scrollBy(0.25),
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    action();
  });
  canvas.addEventListener('wheel', (event) => {
    if (!wave.hasData()) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? 2 : 0.5, wave.fractionAt(event.clientX));
    } else if (wave.zoom > 1 && (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY))) {
      event.preventDefault();
      const delta = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
      scrollBy(Math.sign(delta) * 0.1);
    }
  }, { passive: false });

  // ---- playhead and loop
  function syncPlayhead() {
    const seconds = duration();
    if (!(seconds > 0) || !audio.src) return;
    wave.setPosition(audio.currentTime / seconds);
    // while playing, the window follows the playhead when it leaves it
    if (!audio.paused && wave.zoom > 1 && wave.reveal(wave.position)) viewChanged();
  }

  function looping() {
    return loop.checked && region !== null;
  }

  /** While looping, playback that reaches the region's end goes back to its start. */
  function keepInLoop() {
    if (looping() && !audio.paused && audio.currentTime >= region.end) audio.currentTime = region.start;
  }

  const tick = () => {
    keepInLoop();
    syncPlayhead();
    if (!audio.paused) frame = requestAnimationFrame(tick);
  };
  audio.addEventListener('play', () => {
    if (looping() && (audio.currentTime < region.start || audio.currentTime >= region.end)) audio.currentTime = region.start;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(tick);
  });
  audio.addEventListener('timeupdate', () => {
    keepInLoop();
    syncPlayhead();
  });
  audio.addEventListener('seeked', syncPlayhead);
  audio.addEventListener('ended', () => {
    if (!looping()) return;
    audio.currentTime = region.start;
    audio.play().catch((e) => playerMessage.show(e.message));
  });

  /** Sets (or with null clears) the loop region, in seconds; the fields follow unless they are the source. */
  function setRegion(next, { fromFields = false } = {}) {
    region = next;
    wave.setRegion(region && { from: region.start / duration(), to: region.end / duration() });
    if (region) {
      canvas.dataset.loopStart = region.start.toFixed(3);
      canvas.dataset.loopEnd = region.end.toFixed(3);
      if (!fromFields) {
        loopStart.input.value = region.start.toFixed(2);
        loopEnd.input.value = region.end.toFixed(2);
      }
    } else {
      delete canvas.dataset.loopStart;
      delete canvas.dataset.loopEnd;
      loop.checked = false;
      if (!fromFields) {
        loopStart.input.value = '';
        loopEnd.input.value = '';
      }
    }
    loop.disabled = !region;
    loopClear.disabled = !region;
    if (looping() && !audio.paused && (audio.currentTime < region.start || audio.currentTime >= region.end)) {
      audio.currentTime = region.start;
    }
  }

  function regionFromFields() {
    playerMessage.clear();
    const a = loopStart.input.value;
    const b = loopEnd.input.value;
    if (a === '' || b === '') return; // wait for both
    const start = Number(a);
    const end = Math.min(Number(b), duration() || Number(b));
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end - start < MIN_LOOP_SECONDS) {
      playerMessage.show(`The loop end must come at least ${MIN_LOOP_SECONDS} s after its start, within the recording.`);
      return;
    }
    setRegion({ start, end }, { fromFields: true });
  }
  loopStart.input.addEventListener('change', regionFromFields);
  loopEnd.input.addEventListener('change', regionFromFields);
  loop.addEventListener('change', () => {
    if (looping() && !audio.paused && (audio.currentTime < region.start || audio.currentTime >= region.end)) {
      audio.currentTime = region.start;
    }
  });
  loopClear.addEventListener('click', () => setRegion(null));

  // a click seeks; a drag marks the loop region (mouse, pen or touch)
  let drag = null;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || !wave.hasData()) return;
    canvas.setPointerCapture(event.pointerId);
    drag = { x: event.clientX, from: wave.fractionAt(event.clientX), moved: false };
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag || (!drag.moved && Math.abs(event.clientX - drag.x) < 4)) return;
    drag.moved = true;
    const to = wave.fractionAt(event.clientX);
    const seconds = duration();
    wave.setRegion({ from: Math.min(drag.from, to), to: Math.max(drag.from, to) });
    loopStart.input.value = (Math.min(drag.from, to) * seconds).toFixed(2);
    loopEnd.input.value = (Math.max(drag.from, to) * seconds).toFixed(2);
  });
  canvas.addEventListener('pointerup', (event) => {
    if (!drag) return;
    const { from, moved } = drag;
    drag = null;
    const seconds = duration();
    if (moved) {
      const to = wave.fractionAt(event.clientX);
      const start = Math.min(from, to) * seconds;
      const end = Math.max(from, to) * seconds;
      if (end - start >= MIN_LOOP_SECONDS) setRegion({ start, end });
      else setRegion(region);
    } else if (audio.duration > 0) {
      audio.currentTime = Math.min(from * seconds, audio.duration);
    }
  });
  canvas.addEventListener('pointercancel', () => {
    drag = null;
    setRegion(region);
  });

  // ---- upload
  const fileInput = h('input', { type: 'file', id: 'audio-file', accept: 'audio/*,.wav,.aif,.aiff,.flac,.mp3,.ogg' });
  const progress = h('progress', { id: 'upload-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const uploadMessage = messageBox();
  async function send(file) {
    uploadMessage.clear();
    progress.hidden = false;
    progress.value = 0;
    fileInput.disabled = true;
    try {
      await upload(`/projects/${id}/audio`, file, (f) => {
        progress.value = f;
      });
      project = await get(`/projects/${id}`);
      onProjectChange?.(project);
      setRegion(null);
      wave.setView(1, 0);
      renderSources();
      await reloadWaveform();
      await load('original');
      uploadMessage.show(`Uploaded ${file.name}.`, 'ok');
    } catch (e) {
      uploadMessage.show(e.message);
    } finally {
      fileInput.disabled = false;
      fileInput.value = '';
    }
  }
  fileInput.addEventListener('change', () => {
    if (fileInput.files.length) send(fileInput.files[0]);
  });
  const drop = h('div.dropzone', { id: 'dropzone' },
    h('label', { for: 'audio-file', text: 'Choose an audio file (WAV, AIFF, FLAC, MP3, Ogg) or drop it here' }),
    fileInput, progress, uploadMessage.el);
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files?.[0];
    if (file) send(file);
  });

  const section = h('section.card', { 'aria-labelledby': 'h-audio' },
    h('h2#h-audio', { text: 'Audio' }),
    canEdit ? drop : null,
    canvas,
    h('div.wave-tools', {}, zoomOut, zoomLevel, zoomIn, zoomFit, scroll),
    h('small.hint', { id: 'waveform-hint', text: 'Click the waveform to seek, drag across it to mark a loop region. With the waveform focused: + and − zoom, arrows scroll; Ctrl + wheel zooms.' }),
    h('fieldset.loop', {},
      h('legend', { text: 'Loop region' }),
      loopStart.row, loopEnd.row,
      h('span.choice', {}, loop, h('label', { for: 'loop', text: 'Loop' })),
      loopClear),
    h('fieldset.sources', {},
      h('legend', { text: 'Play' }),
      h('span.choice', {}, sourceOriginal, h('label', { for: 'source-original', text: 'Original' })),
      h('span.choice', {}, sourceProcessed, h('label', { for: 'source-processed', text: 'Processed' })),
      aiSources, ab),
    audio, playerMessage.el);

  renderSources();
  viewChanged();
  return { section, upload: send, load, reloadWaveform, setProject, reloadSources };
}
