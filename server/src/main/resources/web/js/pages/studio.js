// A project's studio: the audio section (player.js), metronome, recording, effects chain, render, export.
import { h, mount, formatSeconds } from '../dom.js';
import { get } from '../api.js';
import { playerSection } from '../player.js';
import { metronomeSection } from '../metronome.js';
import { collaboratorsSection } from './collaborators.js';
import { transferSection } from './transfers.js';
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

  // ---- audio: upload, waveform, playback (player.js); metronome (metronome.js)
  const player = playerSection({
    project, canEdit, disposers,
    onProjectChange: (p) => {
      project = p;
      describe();
    },
  });
  const metronome = metronomeSection({ project, canEdit, disposers });

  // ---- effects chain, presets and render (effects.js); export (exports.js)
  const exporter = exportsSection({ projectId: id, project, canEdit, disposers });
  const chainEditor = await effectsSection({
    projectId: id, project, canEdit, disposers,
    onRendered: async () => {
      project = await get(`/projects/${id}`);
      player.setProject(project);
      await player.load('processed');
      exporter.update(project);
    },
  });

  /** After a kept transformation or a restored version: the project's audio changed. */
  async function reloadProject() {
    project = await get(`/projects/${id}`);
    describe();
    player.setProject(project);
    await player.reloadWaveform();
    await player.load('original');
    chainEditor.load(project.effects_settings);
    exporter.update(project);
  }
  const versions = versionsSection({ projectId: id, canEdit, onRestored: reloadProject });
  const ai = aiSection({
    projectId: id, canEdit, disposers,
    onCompleted: () => player.reloadSources(),
    onKept: async () => {
      await reloadProject();
      await versions.reload();
    },
  });
  const collaborators = collaboratorsSection({ projectId: id, canManage: ['owner', 'admin'].includes(project.my_role) });

  mount(main,
    h('h1', { text: project.title }), meta,
    player.section,
    metronome.section,
    canEdit ? recorderSection({ tempo: metronome.settings, onRecorded: player.upload, disposers }) : null,
    chainEditor.sections, exporter.section,
    ai, versions.section, collaborators,
    project.my_role === 'owner' ? transferSection({ projectId: id }) : null);

  await player.reloadWaveform();
  await player.load('original');
  await player.reloadSources();
  return () => disposers.forEach((d) => d());
}
