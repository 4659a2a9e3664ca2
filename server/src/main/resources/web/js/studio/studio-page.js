// #/projects/{id}: a project's studio. On top the desk (js/studio/timeline/: transport, timeline of tracks and clips,
// mixer) fills the first screen; the other sections follow, each in its own module of js/studio/, reached from the
// panel bar under the desk. This page only passes each section what it needs and tells the sections when the
// project changed under them (an upload, a render, a kept AI result, a restored version).
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
import { timelineSection } from './timeline/timeline-section.js';

/** The panel bar: a button per section below the desk that brings it into view and moves the focus to it. */
function panelBar(sections) {
  const buttons = sections.filter(Boolean).map((section) => {
    const heading = section.querySelector('h2');
    return h('button.panel-link', {
      type: 'button', text: heading?.textContent || '',
      onclick: () => {
        heading.tabIndex = -1;
        section.scrollIntoView({ behavior: 'smooth', block: 'start' });
        heading.focus({ preventScroll: true });
      },
    });
  });
  return h('nav.panel-bar', { 'aria-label': 'Studio panels' }, ...buttons);
}

/** The line under the title: maker, genre, length, sample rate, public or private. */
function projectFacts(project) {
  return [project.owner_username && `by @${project.owner_username}`, project.genre,
    project.duration_seconds ? `${formatSeconds(project.duration_seconds)} long` : 'no audio yet',
    project.sample_rate && `${project.sample_rate} Hz`, project.is_public ? 'public' : 'private']
    .filter(Boolean).join(' · ');
}

export async function studioPage({ main, params: [id], showNotice }) {
  const showError = (e) => showNotice?.(e.message || String(e));
  let project = await get(`/projects/${id}`);
  const disposers = [];
  const canEdit = canChangeAudio(project.my_role);
  const meta = h('p.meta');
  const describe = () => {
    meta.textContent = projectFacts(project);
  };
  describe();

  // what the desk's "Record a new track" takes from the Record section (click along) and the metronome (its volume)
  const recordOptions = {};
  const desk = await timelineSection({
    project, canEdit, disposers, onMixed: () => processedChanged(),
    recordOptions: () => ({ clickAlong: Boolean(recordOptions.clickAlong), volume: metronome.settings().volume }),
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

  const panels = [
    desk.takesSection,
    audio.section,
    metronome.section,
    canEdit ? recordingSection({ tempo: metronome.settings, onRecorded: audio.upload, disposers, options: recordOptions }) : null,
    chain.section, render.section, exporter.section,
    ai, versions.section,
    collaboratorsSection({ projectId: id, canManage: canManageCollaborators(project.my_role) }),
    project.my_role === 'owner' ? transferSection({ projectId: id }) : null];
  mount(main,
    h('div.studio-title', {}, h('h1', { text: project.title }), meta),
    desk.section,
    panelBar(panels),
    h('div.studio-panels', {}, panels));
  main.classList.add('studio');
  disposers.push(() => main.classList.remove('studio'));

  await audio.reloadWaveform();
  await audio.load('original');
  await audio.reloadSources();
  return () => disposers.forEach((d) => d());
}
