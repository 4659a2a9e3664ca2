// The studio's listening side ("Audio" section): upload, the zoomable waveform with a loop region, and playback of
// the original, the processed audio and every finished AI transformation in one radio group, with A/B comparison
// that keeps the position and the play state. The parts live next to this file (sources, zoom, loop, upload); they
// share `player`: the project, the canvas and its WaveformView, the <audio>, the section's message and disposers.
import { h, messageBox } from '../../shared/dom.js';
import { get } from '../../api.js';
import { studioCard } from '../card.js';
import { WaveformView } from './waveform-view.js';
import { sourceChoice } from './sources.js';
import { zoomTools } from './zoom.js';
import { loopRegion } from './loop.js';
import { dropzone } from './upload.js';

function playerOf(project, disposers) {
  const canvas = h('canvas.waveform', {
    id: 'waveform', role: 'img', tabindex: 0, 'aria-label': 'Waveform of the recording',
    'aria-describedby': 'waveform-hint', 'data-drawn': 'false',
  });
  const wave = new WaveformView(canvas);
  const audio = h('audio', { id: 'player', controls: true, preload: 'metadata' });
  return {
    project,
    id: project.id,
    canvas,
    wave,
    audio,
    message: messageBox(),
    disposers,
    /** Seconds of the recording: the waveform's, else the project's, else the player's. */
    duration() {
      return wave.seconds() || Number(this.project.duration_seconds) || audio.duration || 0;
    },
  };
}

/** The playhead follows playback on every animation frame while playing, and the loop holds it. */
function followPlayback(player, { loop, zoom }) {
  const { audio, wave } = player;
  let frame = 0;

  function syncPlayhead() {
    const seconds = player.duration();
    if (!(seconds > 0) || !audio.src) return;
    wave.setPosition(audio.currentTime / seconds);
    // while playing, the window follows the playhead when it leaves it
    if (!audio.paused && wave.zoom > 1 && wave.reveal(wave.position)) zoom.viewChanged();
  }

  const tick = () => {
    loop.keepInLoop();
    syncPlayhead();
    if (!audio.paused) frame = requestAnimationFrame(tick);
  };
  audio.addEventListener('play', () => {
    loop.restartIfOutside();
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(tick);
  });
  audio.addEventListener('timeupdate', () => {
    loop.keepInLoop();
    syncPlayhead();
  });
  audio.addEventListener('seeked', syncPlayhead);
  audio.addEventListener('ended', () => {
    if (!loop.looping()) return;
    audio.currentTime = loop.region().start;
    audio.play().catch((e) => player.message.show(e.message));
  });
  player.disposers.push(() => cancelAnimationFrame(frame));
  return syncPlayhead;
}

/**
 * The "Audio" section of project `project`. onProjectChange(project) runs after an upload changed the project.
 * Returns {section, upload(file), load(which), reloadWaveform(), setProject(project), reloadSources()}; `which` is
 * "original", "processed" or "transformation:<id>".
 */
export function audioSection({ project, canEdit, disposers, onProjectChange }) {
  const player = playerOf(project, disposers);
  const { wave, canvas, audio } = player;
  const zoom = zoomTools(player);
  const loop = loopRegion(player);
  let syncPlayhead = () => {};
  const sources = sourceChoice(player, { onLoaded: () => syncPlayhead() });
  syncPlayhead = followPlayback(player, { loop, zoom });
  disposers.push(() => {
    audio.pause();
    wave.destroy();
  });

  async function reloadWaveform() {
    zoom.forgetDetail();
    if (!player.project.has_original_audio) return;
    wave.setWaveform(await get(`/projects/${player.id}/waveform?samples_per_pixel=256&bits=8&channels=mono`));
    loop.clampMax(player.duration());
    if (loop.region() && loop.region().start >= player.duration()) loop.set(null);
    zoom.viewChanged();
  }

  function setProject(p) {
    player.project = p;
    sources.render();
  }

  const drop = dropzone(player.id, {
    afterUpload: async () => {
      player.project = await get(`/projects/${player.id}`);
      onProjectChange?.(player.project);
      loop.set(null);
      wave.setView(1, 0);
      sources.render();
      await reloadWaveform();
      await sources.load('original');
    },
  });

  const section = studioCard('audio', 'Audio',
    canEdit ? drop.el : null,
    canvas,
    zoom.el,
    h('small.hint', { id: 'waveform-hint', text: 'Click the waveform to seek, drag across it to mark a loop region. With the waveform focused: + and − zoom, arrows scroll; Ctrl + wheel zooms.' }),
    loop.el,
    sources.el,
    audio, player.message.el);

  sources.render();
  zoom.viewChanged();
  return { section, upload: drop.send, load: sources.load, reloadWaveform, setProject, reloadSources: sources.reload };
}
