// A project's studio: the audio section (player.js), metronome, recording, effects chain, render with live progress.
import { h, mount, field, messageBox, formatSeconds } from '../dom.js';
import { accessTokenForStream, get, post, put } from '../api.js';
import { playerSection } from '../player.js';
import { metronomeSection } from '../metronome.js';
import { collaboratorsSection } from './collaborators.js';
import { aiSection, versionsSection } from './ai.js';
import { recorderSection } from '../recorder.js';

let catalogCache = null;

async function catalog() {
  if (!catalogCache) catalogCache = (await get('/effects/catalog')).effects;
  return catalogCache;
}

const defaultOf = (p) => (p.default_value ?? p.defaultValue ?? p.min);
/** "room_size" → "Room size" */
const words = (name) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

export async function studioPage({ main, params: [id], showNotice }) {
  let project = await get(`/projects/${id}`);
  const effects = await catalog();
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

  // ---- effects chain
  const chain = (project.effects_settings?.chain || []).map((e) => ({ type: e.type, settings: { ...(e.settings || {}) } }));
  const chainList = h('ol.chain', { id: 'effects-chain' });
  const chainMessage = messageBox();
  const typeSelect = field('Effect', { tag: 'select', id: 'effect-type' });
  for (const e of effects) typeSelect.input.append(h('option', { value: e.type, text: words(e.type) }));

  function renderChain() {
    chainList.replaceChildren();
    if (chain.length === 0) chainList.append(h('li.empty', { text: 'No effects: the render is the original sound.' }));
    chain.forEach((item, index) => {
      const descriptor = effects.find((e) => e.type === item.type);
      const rows = [];
      for (const p of descriptor?.parameters || []) {
        const kind = String(p.kind || 'NUMBER').toUpperCase();
        if (kind === 'NUMBER') {
          const value = typeof item.settings[p.name] === 'number' ? item.settings[p.name] : defaultOf(p);
          const unit = p.unit ? ` (${p.unit})` : '';
          const f = field(`${words(p.name)}${unit}`, {
            type: 'number', min: p.min, max: p.max, step: 'any', value: String(value),
            'data-param': p.name, inputmode: 'decimal',
          }, `${p.min}–${p.max}${p.unit ? ` ${p.unit}` : ''}. ${p.description || ''}`);
          f.input.addEventListener('change', () => {
            const n = Number(f.input.value);
            if (f.input.value !== '' && Number.isFinite(n)) item.settings[p.name] = n;
          });
          if (typeof item.settings[p.name] !== 'object') item.settings[p.name] = value;
          rows.push(f.row);
        } else if (kind === 'CHOICE') {
          const f = field(words(p.name), { tag: 'select', 'data-param': p.name }, p.description);
          const current = item.settings[p.name] ?? p.choices[defaultOf(p)] ?? p.choices[0];
          for (const c of p.choices) f.input.append(h('option', { value: c, text: c, selected: c === current }));
          item.settings[p.name] = current;
          f.input.addEventListener('change', () => {
            item.settings[p.name] = f.input.value;
          });
          rows.push(f.row);
        } else {
          rows.push(h('p.hint', { text: `${p.name}: edited through the API for now.` }));
        }
      }
      const move = (delta) => {
        const to = index + delta;
        if (to < 0 || to >= chain.length) return;
        [chain[index], chain[to]] = [chain[to], chain[index]];
        renderChain();
      };
      chainList.append(h('li.effect', { 'data-effect': item.type },
        h('fieldset', {},
          h('legend', { text: `${index + 1}. ${words(item.type)}` }),
          descriptor?.description ? h('p.hint', { text: descriptor.description }) : null,
          h('div.params', {}, rows),
          h('div.actions', {},
            h('button', { type: 'button', text: 'Up', 'aria-label': `Move ${item.type} up`, disabled: index === 0, onclick: () => move(-1) }),
            h('button', { type: 'button', text: 'Down', 'aria-label': `Move ${item.type} down`, disabled: index === chain.length - 1, onclick: () => move(1) }),
            h('button.danger', {
              type: 'button', text: 'Remove', 'aria-label': `Remove ${item.type}`,
              onclick: () => {
                chain.splice(index, 1);
                renderChain();
              },
            })))));
    });
  }
  renderChain();

  const addButton = h('button', {
    type: 'button', id: 'add-effect', text: 'Add effect',
    onclick: () => {
      chain.push({ type: typeSelect.input.value, settings: {} });
      renderChain();
      chainList.lastElementChild?.querySelector('input, select')?.focus();
    },
  });
  async function saveChain() {
    const answer = await put(`/projects/${id}/effects`, { chain });
    project.effects_settings = answer.effects_settings;
  }
  const saveButton = h('button', {
    type: 'button', id: 'save-effects', text: 'Save chain',
    onclick: async () => {
      chainMessage.clear();
      try {
        await saveChain();
        chainMessage.show('Effects chain saved.', 'ok');
      } catch (e) {
        chainMessage.show(e.message);
      }
    },
  });

  // ---- render
  const renderButton = h('button.primary', { type: 'button', id: 'render', text: 'Render' });
  const renderProgress = h('progress', { id: 'render-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Render progress' });
  const renderStatus = h('p.status', { id: 'render-status', role: 'status', 'aria-live': 'polite' });
  const renderMessage = messageBox();
  let stream = null;
  let poller = 0;
  disposers.push(() => {
    stream?.close();
    clearTimeout(poller);
  });

  function showJob(job) {
    renderProgress.value = job.progress || 0;
    renderStatus.dataset.status = job.status;
    const percent = Math.round((job.progress || 0) * 100);
    renderStatus.textContent = {
      queued: 'Waiting for a worker…',
      running: `Rendering… ${percent}%${job.message ? ` (${job.message})` : ''}`,
      succeeded: 'Rendered: the processed audio is ready to play.',
      failed: `The render failed: ${job.error_message || job.error_code || 'unknown reason'}`,
      cancelled: 'The render was cancelled.',
    }[job.status] || job.status;
  }

  async function finished(job) {
    showJob(job);
    renderButton.disabled = !canEdit;
    if (job.status !== 'succeeded') {
      if (job.status === 'failed') renderMessage.show(renderStatus.textContent);
      return;
    }
    project = await get(`/projects/${id}`);
    player.setProject(project);
    await player.load('processed');
  }

  async function poll(jobId) {
    try {
      const job = await get(`/jobs/${jobId}`);
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) await finished(job);
      else {
        showJob(job);
        poller = setTimeout(() => poll(jobId), 1000);
      }
    } catch (e) {
      renderMessage.show(e.message);
      renderButton.disabled = false;
    }
  }

  async function follow(jobId) {
    const token = await accessTokenForStream();
    stream = new EventSource(`/api/v1/jobs/${jobId}/events?access_token=${encodeURIComponent(token)}`);
    let ended = false;
    stream.addEventListener('progress', (event) => showJob(JSON.parse(event.data)));
    stream.addEventListener('end', (event) => {
      ended = true;
      stream.close();
      const job = JSON.parse(event.data);
      if (job.status === 'gone') poll(jobId);
      else finished(job).catch((e) => renderMessage.show(e.message));
    });
    stream.addEventListener('error', () => {
      if (ended) return;
      // the stream broke (network, expired token): fall back to polling
      stream.close();
      poll(jobId);
    });
  }

  renderButton.addEventListener('click', async () => {
    renderMessage.clear();
    renderButton.disabled = true;
    try {
      await saveChain();
      const job = await post(`/projects/${id}/render`, { count_in_bars: 0, tail_seconds: 2 });
      renderProgress.hidden = false;
      showJob(job);
      await follow(job.id);
    } catch (e) {
      renderMessage.show(e.message);
      renderButton.disabled = false;
    }
  });

  /** After a kept transformation or a restored version: the project's audio changed. */
  async function reloadProject() {
    project = await get(`/projects/${id}`);
    describe();
    player.setProject(project);
    await player.reloadWaveform();
    await player.load('original');
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
    h('section.card', { 'aria-labelledby': 'h-effects' },
      h('h2#h-effects', { text: 'Effects chain' }),
      chainList,
      canEdit ? h('div.add', {}, typeSelect.row, addButton, saveButton) : null,
      chainMessage.el),
    h('section.card', { 'aria-labelledby': 'h-render' },
      h('h2#h-render', { text: 'Render' }),
      h('p.hint', { text: 'Saves the chain, then renders it over the original into the processed audio.' }),
      renderButton, renderProgress, renderStatus, renderMessage.el),
    ai, versions.section, collaborators);

  renderButton.disabled = !canEdit;
  await player.reloadWaveform();
  await player.load('original');
  await player.reloadSources();
  return () => disposers.forEach((d) => d());
}
