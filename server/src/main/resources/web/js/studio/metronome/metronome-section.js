// The studio's "Metronome" section: start/stop, BPM, beats per bar, volume, tap tempo, beat lights, a link to the
// server's click track, and (for editors) saving the tempo as the project's.
import { h, field, messageBox } from '../../shared/dom.js';
import { apiAddress, patch } from '../../api.js';
import { Metronome, TapTempo, MIN_BPM, MAX_BPM } from './metronome.js';

const SIGNATURES = [2, 3, 4, 5, 6, 7, 9, 12];

/** The labelled controls, set from the project's tempo and beats per bar. */
function controls(project, initialBeats, canEdit) {
  const bpm = field('Tempo (BPM)', {
    type: 'number', id: 'metronome-bpm', min: MIN_BPM, max: MAX_BPM, step: 1, inputmode: 'numeric',
    value: String(project.metronome_bpm || 120),
  });
  const beats = field('Beats per bar', { tag: 'select', id: 'metronome-beats' });
  for (const n of SIGNATURES) {
    beats.input.append(h('option', { value: String(n), text: String(n), selected: n === initialBeats }));
  }
  if (!SIGNATURES.includes(initialBeats)) beats.input.append(h('option', { value: String(initialBeats), text: String(initialBeats), selected: true }));
  return {
    bpm,
    beats,
    volume: field('Click volume', { type: 'range', id: 'metronome-volume', min: 0, max: 100, step: 1, value: '80' }),
    toggle: h('button.primary', { type: 'button', id: 'metronome-toggle', text: 'Start', 'aria-pressed': 'false' }),
    tap: h('button', { type: 'button', id: 'tap-tempo', text: 'Tap tempo', 'aria-describedby': 'tap-hint' }),
    save: canEdit ? h('button', { type: 'button', id: 'metronome-save', text: 'Save as project tempo' }) : null,
    lights: h('ol.beats', { 'aria-hidden': 'true' }),
    download: h('a.download', { id: 'metronome-download', download: '' }),
    message: messageBox(),
  };
}

/** Lights the beat that is sounding now: the scheduled beats are on the audio clock, the lights follow it. */
function beatLights(lights, metronome) {
  let frame = 0;
  function follow() {
    const ctx = metronome.ctx;
    if (!ctx || !metronome.running) {
      for (const li of lights.children) li.classList.remove('on');
      return;
    }
    const sounding = [...metronome.recent].reverse().find((b) => b.time <= ctx.currentTime);
    [...lights.children].forEach((li, i) => li.classList.toggle('on', sounding !== undefined && sounding.beat === i));
    frame = requestAnimationFrame(follow);
  }
  return {
    draw() {
      lights.replaceChildren();
      for (let i = 0; i < metronome.beatsPerBar; i++) lights.append(h(i === 0 ? 'li.accent' : 'li'));
    },
    start() {
      frame = requestAnimationFrame(follow);
    },
    stop() {
      cancelAnimationFrame(frame);
      follow();
    },
    dispose: () => cancelAnimationFrame(frame),
  };
}

/** Start/Stop: one button whose words and aria-pressed say what the metronome does. */
async function startOrStop({ metronome, ui, lights, section }) {
  ui.message.clear();
  const show = (running) => {
    ui.toggle.textContent = running ? 'Stop' : 'Start';
    ui.toggle.setAttribute('aria-pressed', String(running));
    section.dataset.state = running ? 'running' : 'stopped';
  };
  if (metronome.running) {
    metronome.silence();
    lights.stop();
    show(false);
    return;
  }
  try {
    await metronome.start();
    show(true);
    lights.start();
  } catch (e) {
    ui.message.show(`The metronome could not start: ${e.message || e}`);
  }
}

/** Saves the tempo and the beats per bar as the project's (PATCH /projects/{id}); resolves to what was saved. */
async function saveTempo(project, { bpm, beatsPerBar }) {
  // project_settings is replaced as a whole: keep what else it holds
  const settings = { ...(project.project_settings || {}), metronome: { ...(project.project_settings?.metronome || {}), beats_per_bar: beatsPerBar } };
  const answer = await patch(`/projects/${project.id}`, { metronome_bpm: Math.round(bpm), project_settings: settings });
  project.metronome_bpm = answer.metronome_bpm;
  project.project_settings = answer.project_settings;
  return answer;
}

/**
 * The studio's "Metronome" section. It starts from the project's metronome_bpm and
 * project_settings.metronome.beats_per_bar. settings() gives the current {bpm, beatsPerBar, volume} to the recorder,
 * which clicks with the same scheduler. The section carries data-state, data-bpm, data-beats-scheduled,
 * data-beat-times (context times of the last scheduled beats, in seconds) and data-beat-numbers (their places in
 * the bar, 0 = accented) for tests.
 */
export function metronomeSection({ project, canEdit, disposers, onSaved }) {
  const initialBeats = Number(project.project_settings?.metronome?.beats_per_bar) || 4;
  const ui = controls(project, initialBeats, canEdit);
  const section = h('section.card#metronome', { 'aria-labelledby': 'h-metronome', 'data-state': 'stopped' });
  const tapTempo = new TapTempo();
  let saved = { bpm: project.metronome_bpm || 120, beatsPerBar: initialBeats };

  const metronome = new Metronome({
    bpm: Number(ui.bpm.input.value), beatsPerBar: initialBeats, volume: 0.8,
    onSchedule: (m) => {
      section.dataset.beatsScheduled = String(m.scheduled);
      section.dataset.beatTimes = m.recent.map((b) => b.time.toFixed(6)).join(' ');
      section.dataset.beatNumbers = m.recent.map((b) => b.beat).join(' ');
    },
  });
  const lights = beatLights(ui.lights, metronome);
  disposers.push(() => {
    lights.dispose();
    metronome.close().catch(() => {});
  });

  const current = () => ({ bpm: metronome.bpm, beatsPerBar: metronome.beatsPerBar, volume: metronome.volume });

  function describe() {
    const { bpm: b, beatsPerBar } = current();
    section.dataset.bpm = String(b);
    ui.download.href = apiAddress(`/metronome?bpm=${Math.round(b)}&beats_per_bar=${beatsPerBar}&bars=16`);
    ui.download.textContent = 'Download a click track (16 bars, WAV)';
    if (ui.save) ui.save.disabled = Math.round(b) === saved.bpm && beatsPerBar === saved.beatsPerBar;
  }

  function setBpm(value) {
    const n = Math.round(Number(value));
    if (!Number.isFinite(n) || n < MIN_BPM || n > MAX_BPM) {
      ui.message.show(`The tempo must be a whole number from ${MIN_BPM} to ${MAX_BPM} BPM.`);
      return;
    }
    ui.message.clear();
    metronome.setBpm(n);
    ui.bpm.input.value = String(n);
    describe();
  }

  ui.bpm.input.addEventListener('change', () => setBpm(ui.bpm.input.value));
  ui.beats.input.addEventListener('change', () => {
    metronome.setBeatsPerBar(Number(ui.beats.input.value));
    lights.draw();
    describe();
  });
  ui.volume.input.addEventListener('input', () => metronome.setVolume(Number(ui.volume.input.value) / 100));
  ui.toggle.addEventListener('click', () => startOrStop({ metronome, ui, lights, section }));
  ui.tap.addEventListener('click', (event) => {
    const tempo = tapTempo.tap(event.timeStamp);
    ui.tap.dataset.taps = String(tapTempo.taps.length);
    ui.tap.dataset.tapTimes = tapTempo.taps.map((t) => t.toFixed(1)).join(' ');
    if (tempo !== null) setBpm(Math.max(MIN_BPM, Math.min(MAX_BPM, tempo)));
  });
  ui.save?.addEventListener('click', async () => {
    ui.message.clear();
    ui.save.disabled = true;
    const { bpm: b, beatsPerBar } = current();
    try {
      const answer = await saveTempo(project, { bpm: b, beatsPerBar });
      saved = { bpm: answer.metronome_bpm, beatsPerBar };
      ui.message.show(`Saved: the project's tempo is ${answer.metronome_bpm} BPM, ${beatsPerBar} beats a bar.`, 'ok');
      onSaved?.(answer);
    } catch (e) {
      ui.message.show(e.message);
    } finally {
      describe();
    }
  });

  lights.draw();
  describe();
  section.dataset.beatsScheduled = '0';
  section.dataset.beatTimes = '';
  section.append(
    h('h2#h-metronome', { text: 'Metronome' }),
    h('div.add', {}, ui.bpm.row, ui.beats.row, ui.volume.row),
    h('div.actions', {}, ui.toggle, ui.tap, ui.save, ui.lights),
    h('p.hint#tap-hint', { text: 'Tap the beat a few times to set the tempo; a pause of two seconds starts over. Saving makes it the project tempo, which renders and AI arrangements follow.' }),
    ui.download, ui.message.el);
  return { section, settings: current };
}
