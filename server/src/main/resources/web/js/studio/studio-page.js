// #/projects/{id}: a project's studio. The desk (js/studio/timeline/: transport, timeline of tracks and clips, mixer)
// fills the screen; every other section, each in its own module of js/studio/, opens in a panel beside it from the
// toolbar above it (panels.js). This page only passes each section what it needs, places it, and tells the sections
// when the project changed under them (an upload, a render, a kept AI result, a restored version, saved settings).
import { h, mount } from '../shared/dom.js';
import { formatSeconds } from '../shared/words.js';
import { get } from '../api.js';
import { canChangeAudio, canManageCollaborators } from '../projects/roles.js';
import { audioSection } from './audio/audio-section.js';
import { metronomeSection } from './metronome/metronome-section.js';
import { recordingSection } from './recording/recording-section.js';
import { effectsSection } from './effects/chain-editor.js';
import { renderSection } from './render.js';
import { exportsSection } from './exports.js';
import { aiSection } from './ai.js';
import { versionsSection } from './versions.js';
import { collaboratorsSection } from './collaborators.js';
import { transferSection } from './transfer.js';
import { settingsSection } from './settings.js';
import { panelDock } from './panels.js';
import { timelineSection } from './timeline/timeline-section.js';

/** The line under the title: maker, genre, length, sample rate, public or private. */
function projectFacts(project) {
  return [project.owner_username && `by @${project.owner_username}`, project.genre,
    project.duration_seconds ? `${formatSeconds(project.duration_seconds)} long` : 'no audio yet',
    project.sample_rate && `${project.sample_rate} Hz`, project.is_public ? 'public' : 'private']
    .filter(Boolean).join(' · ');
}

/** Keeps `--transport-h` on `main` at the transport's height: a phone's panel sheet ends above it. */
function trackTransportHeight(main, desk, disposers) {
  const transportBar = desk.querySelector('.transport');
  if (!transportBar) return;
  const observer = new ResizeObserver(() => {
    main.style.setProperty('--transport-h', `${Math.ceil(transportBar.getBoundingClientRect().height)}px`);
  });
  observer.observe(transportBar);
  disposers.push(() => observer.disconnect());
}

export async function studioPage({ main, params: [id], go, showNotice }) {
  const showError = (e) => showNotice?.(e.message || String(e));
  let project = await get(`/projects/${id}`);
  const disposers = [];
  const canEdit = canChangeAudio(project.my_role);
  const heading = h('h1', { text: project.title });
  const meta = h('p.meta');
  const describe = () => {
    heading.textContent = project.title;
    meta.textContent = projectFacts(project);
  };
  describe();
  const dock = panelDock({ projectId: id });

  // what the desk's "Record a new track" takes from the Record section (click along) and the metronome (its volume)
  const recordOptions = {};
  const desk = await timelineSection({
    project, canEdit, disposers, onMixed: () => processedChanged(),
    recordOptions: () => ({ clickAlong: Boolean(recordOptions.clickAlong), volume: metronome.settings().volume }),
    // a track's effects open in the panel dock, over the project's panels
    trackEffects: { show: (opener) => dock.open('track-effects', { opener }) },
  });
  const audio = audioSection({
    project, canEdit, disposers,
    onProjectChange: (p) => {
      project = p;
      describe();
      desk.reload(p).catch((e) => showError(e));
    },
  });
  // a saved tempo or time signature moves the grid of the timeline
  const metronome = metronomeSection({ project, canEdit, disposers, onSaved: () => desk.refresh().catch(showError) });
  const exporter = exportsSection({ projectId: id, project, canEdit, disposers });
  const chain = await effectsSection({ project, canEdit });
  const render = renderSection({
    projectId: id, canEdit, disposers, saveChain: chain.save,
    onRendered: () => processedChanged(),
  });
  const settings = settingsSection({
    project, go,
    onSaved: (p) => {
      project = { ...project, ...p };
      describe();
    },
  });

  /** After a render or a mixdown: the processed audio is new, and the player plays it. */
  async function processedChanged() {
    project = await get(`/projects/${id}`);
    describe();
    audio.setProject(project);
    await audio.load('processed');
    exporter.update(project);
  }

  /** After a kept transformation or a restored version: the project's audio changed. */
  async function reloadProject() {
    project = await get(`/projects/${id}`);
    describe();
    settings.update(project);
    audio.setProject(project);
    await audio.reloadWaveform();
    await audio.load('original');
    chain.load(project.effects_settings);
    exporter.update(project);
    await desk.reload(project);
  }
  const versions = versionsSection({ projectId: id, canEdit, onRestored: reloadProject });
  const ai = aiSection({
    projectId: id, canEdit, disposers,
    onCompleted: () => audio.reloadSources(),
    onKept: async () => {
      await reloadProject();
      await versions.reload();
    },
  });

  // the toolbar, in the order a song is made: its parts, shaping them, getting it out, the people, the project
  for (const [name, label, section] of [
    ['takes', 'Takes', desk.takesSection],
    ['audio', 'Audio', audio.section],
    ['metronome', 'Metronome', metronome.section],
    ['record', 'Record', canEdit ? recordingSection({ tempo: metronome.settings, onRecorded: audio.upload, disposers, options: recordOptions }) : null],
    ['effects', 'Effects', chain.section],
    ['render', 'Render', render.section],
    ['export', 'Export', exporter.section],
    ['ai', 'AI', ai],
    ['versions', 'Versions', versions.section],
    ['collaborators', 'Collaborators', collaboratorsSection({ projectId: id, canManage: canManageCollaborators(project.my_role) })],
    ['transfer', 'Transfer', project.my_role === 'owner' ? transferSection({ projectId: id }) : null],
    ['settings', 'Settings', settings.section],
  ]) dock.add(name, label, section);
  dock.add('track-effects', 'track effects', desk.trackEffects, { toolbar: false, closeId: 'track-effects-close' });

  mount(main,
    h('div.studio-head', {}, h('div.studio-title', {}, heading, meta), dock.bar),
    h('div.studio-body', {}, desk.section, dock.dock));
  main.classList.add('studio');
  disposers.push(() => {
    main.classList.remove('studio');
    main.style.removeProperty('--transport-h');
  });
  trackTransportHeight(main, desk.section, disposers);
  dock.restore();

  await audio.reloadWaveform();
  await audio.load('original');
  await audio.reloadSources();
  return () => disposers.forEach((d) => d());
}
