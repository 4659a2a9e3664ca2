// #/projects/{id}: a project's studio. Each section lives in its own module of js/studio/ and is placed here, in
// the order the page shows them; this page only passes each section what it needs and tells the sections when
// the project changed under them (an upload, a render, a kept AI result, a restored version).
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

/** The line under the title: maker, genre, length, sample rate, public or private. */
function projectFacts(project) {
  return [project.owner_username && `by @${project.owner_username}`, project.genre,
    project.duration_seconds ? `${formatSeconds(project.duration_seconds)} long` : 'no audio yet',
    project.sample_rate && `${project.sample_rate} Hz`, project.is_public ? 'public' : 'private']
    .filter(Boolean).join(' · ');
}

export async function studioPage({ main, params: [id] }) {
  let project = await get(`/projects/${id}`);
  const disposers = [];
  const canEdit = canChangeAudio(project.my_role);
  const meta = h('p.meta');
  const describe = () => {
    meta.textContent = projectFacts(project);
  };
  describe();

  const audio = audioSection({
    project, canEdit, disposers,
    onProjectChange: (p) => {
      project = p;
      describe();
    },
  });
  const metronome = metronomeSection({ project, canEdit, disposers });
  const exporter = exportsSection({ projectId: id, project, canEdit, disposers });
  const chain = await effectsSection({ project, canEdit });
  const render = renderSection({
    projectId: id, canEdit, disposers, saveChain: chain.save,
    onRendered: async () => {
      project = await get(`/projects/${id}`);
      audio.setProject(project);
      await audio.load('processed');
      exporter.update(project);
    },
  });

  /** After a kept transformation or a restored version: the project's audio changed. */
  async function reloadProject() {
    project = await get(`/projects/${id}`);
    describe();
    audio.setProject(project);
    await audio.reloadWaveform();
    await audio.load('original');
    chain.load(project.effects_settings);
    exporter.update(project);
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

  mount(main,
    h('h1', { text: project.title }), meta,
    audio.section,
    metronome.section,
    canEdit ? recordingSection({ tempo: metronome.settings, onRecorded: audio.upload, disposers }) : null,
    chain.section, render.section, exporter.section,
    ai, versions.section,
    collaboratorsSection({ projectId: id, canManage: canManageCollaborators(project.my_role) }),
    project.my_role === 'owner' ? transferSection({ projectId: id }) : null);

  await audio.reloadWaveform();
  await audio.load('original');
  await audio.reloadSources();
  return () => disposers.forEach((d) => d());
}
