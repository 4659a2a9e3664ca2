// A project's studio: upload, waveform, playback with a playhead, effects chain, render with live progress.
import { h, mount, field, messageBox, formatSeconds } from '../dom.js';
import { accessTokenForStream, api, get, post, put, upload } from '../api.js';
import { WaveformView } from '../waveform.js';
import { collaboratorsSection } from './collaborators.js';
import { aiSection, versionsSection } from './ai.js';
import { recorderSection } from '../recorder.js';
import { effectsSection } from './effects.js';
import { exportsSection } from './exports.js';

export async function studioPage({ main, params: [id], showNotice }) {
  let project = await get(`/projects/${id}`);
  const disposers = [];
  const canEdit = ['owner', 'admin', 'editor'].includes(project.my_role);

  // ---- header
  const meta = h('p.meta');
  const describe = () => {
    meta.textContent = [project.owner_username && `by @${project.owner_username}`, project.genre,
      project.duration_seconds ? `${formatSeconds(project.duration_seconds)} long` : 'no audio yet',
      project.sample_rate && `${project.sample_rate} Hz`, project.is_public ? 'public' : 'private']
      .filter(Boolean).join(' · ');
  };
  describe();

  // ---- waveform + playback
  const canvas = h('canvas.waveform', {
    id: 'waveform', role: 'img', 'aria-label': 'Waveform of the recording', 'data-drawn': 'false',
  });
  const wave = new WaveformView(canvas);
  disposers.push(() => wave.destroy());
  const audio = h('audio', { id: 'player', controls: true, preload: 'metadata' });
  const sourceOriginal = h('input', { type: 'radio', name: 'source', id: 'source-original', value: 'original', checked: true });
  const sourceProcessed = h('input', { type: 'radio', name: 'source', id: 'source-processed', value: 'processed' });
  const playerMessage = messageBox();
  let objectUrl = null;
  let frame = 0;
  disposers.push(() => {
    cancelAnimationFrame(frame);
    audio.pause();
    if (objectUrl) URL.revokeObjectURL(objectUrl);
  });
  const syncPlayhead = () => {
    if (audio.duration > 0) wave.setPosition(audio.currentTime / audio.duration);
  };
  const tick = () => {
    syncPlayhead();
    if (!audio.paused) frame = requestAnimationFrame(tick);
  };
  audio.addEventListener('play', () => {
    frame = requestAnimationFrame(tick);
  });
  audio.addEventListener('timeupdate', syncPlayhead);
  audio.addEventListener('seeked', syncPlayhead);
  canvas.addEventListener('click', (event) => {
    if (!(audio.duration > 0)) return;
    const rect = canvas.getBoundingClientRect();
    audio.currentTime = ((event.clientX - rect.left) / rect.width) * audio.duration;
  });

  /** Audio needs the Authorization header, which <audio src> cannot send: fetch it and play a blob: URL. */
  async function loadAudio(which) {
    playerMessage.clear();
    const path = which === 'processed' ? project.processed_audio_path : project.original_audio_path;
    if (!path) {
      audio.removeAttribute('src');
      audio.dataset.source = '';
      return;
    }
    const blob = await api('GET', `/projects/${id}/audio/${which}`, { as: 'blob' });
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(blob);
    audio.src = objectUrl;
    audio.dataset.source = which;
    audio.load();
  }
  for (const radio of [sourceOriginal, sourceProcessed]) {
    radio.addEventListener('change', () => loadAudio(radio.value).catch((e) => playerMessage.show(e.message)));
  }

  async function loadWaveform() {
    if (!project.original_audio_path) return;
    wave.setWaveform(await get(`/projects/${id}/waveform?samples_per_pixel=256&bits=8&channels=mono`));
  }

  function refreshSources() {
    sourceProcessed.disabled = !project.processed_audio_path;
    sourceOriginal.disabled = !project.original_audio_path;
  }

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
      describe();
      refreshSources();
      sourceOriginal.checked = true;
      await loadWaveform();
      await loadAudio('original');
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

  // ---- effects chain, presets and render (effects.js); export (exports.js)
  const exporter = exportsSection({ projectId: id, project, canEdit, disposers });
  const chainEditor = await effectsSection({
    projectId: id, project, canEdit, disposers,
    onRendered: async () => {
      project = await get(`/projects/${id}`);
      refreshSources();
      sourceProcessed.checked = true;
      await loadAudio('processed');
      exporter.update(project);
    },
  });

  /** After a kept transformation or a restored version: the project's audio changed. */
  async function reloadProject() {
    project = await get(`/projects/${id}`);
    describe();
    refreshSources();
    sourceOriginal.checked = true;
    await loadWaveform();
    await loadAudio('original');
    chainEditor.load(project.effects_settings);
    exporter.update(project);
  }
  const versions = versionsSection({ projectId: id, canEdit, onRestored: reloadProject });
  const ai = aiSection({
    projectId: id, canEdit, disposers,
    onKept: async () => {
      await reloadProject();
      await versions.reload();
    },
  });
  const collaborators = collaboratorsSection({ projectId: id, canManage: ['owner', 'admin'].includes(project.my_role) });

  mount(main,
    h('h1', { text: project.title }), meta,
    h('section.card', { 'aria-labelledby': 'h-audio' },
      h('h2#h-audio', { text: 'Audio' }),
      canEdit ? drop : null,
      canvas,
      h('fieldset.sources', {},
        h('legend', { text: 'Play' }),
        h('span.choice', {}, sourceOriginal, h('label', { for: 'source-original', text: 'Original' })),
        h('span.choice', {}, sourceProcessed, h('label', { for: 'source-processed', text: 'Processed' }))),
      audio, playerMessage.el),
    canEdit ? recorderSection({ bpm: project.metronome_bpm, onRecorded: send, disposers }) : null,
    chainEditor.sections, exporter.section,
    ai, versions.section, collaborators);

  refreshSources();
  await loadWaveform();
  await loadAudio('original');
  return () => disposers.forEach((d) => d());
}
