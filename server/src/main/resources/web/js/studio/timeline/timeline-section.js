// The studio's desk: transport, timeline and mixer of the project's arrangement, on one screen. Loads the
// arrangement (GET /arrangement), keeps it in a store that every view draws from, makes every edit through
// edits.js (API + undo history), plays it with Web Audio (playback.js) and answers the studio's keys.
import { h, messageBox } from '../../shared/dom.js';
import { ApiError, getArrangement } from '../../api.js';
import { ArrangementStore } from './arrangement.js';
import { History } from './history.js';
import { arrangementEdits } from './edits.js';
import { takeMedia } from './media.js';
import { Playback } from './playback.js';
import { tracksView } from './tracks-view.js';
import { transport } from './transport.js';
import { mixer } from './mixer.js';
import { studioKeys } from './keyboard.js';
import { takesPanel } from './takes.js';
import { clipInspector } from './clip-inspector.js';
import { deskActions, nextColour } from './desk-actions.js';
import { bounce } from './bounce.js';
import { keepCountInBars, readCountInBars, trackRecorder } from './track-recorder.js';
import { chainEditor } from '../effects/chain-editor.js';

const clipCount = (store) => String(store.tracks.reduce((n, t) => n + t.clips.length, 0));

/**
 * The desk of project `project`; recordOptions() gives {clickAlong, volume} for recording a new track; trackEffects.show(opener)
 * shows `trackEffects` (a track's chain) where the page keeps its panels. Returns {section, takesSection, trackEffects,
 * reload(), refresh()}: reload after the project's
 * audio changed elsewhere on the page (an upload, a restored version, a kept AI result); refresh after the tempo did.
 */
export async function timelineSection({
  project, canEdit, disposers, onMixed, recordOptions = () => ({}), trackEffects = { show() {} },
}) {
  const projectId = project.id;
  const store = new ArrangementStore(await getArrangement(projectId));
  const media = takeMedia(projectId);
  await media.reload();
  const message = messageBox();
  const section = h('section.desk#studio-desk', { 'aria-labelledby': 'h-studio' });
  let tools = null;
  const history = new History({ onChange: (state) => tools?.history(state) });
  const edits = arrangementEdits({ projectId, store, history });
  const loop = { region: null, on: false };
  let frameRequest = 0;

  async function resync() {
    try {
      store.replace(await getArrangement(projectId));
    } catch (e) {
      message.show(e.message);
    }
  }
  function report(error, box = message) {
    box.show(error?.message || String(error));
    // someone else changed the arrangement meanwhile, or the server refused: show what it holds now
    if (error instanceof ApiError && [404, 409, 422].includes(error.status)) resync();
  }
  const setTrack = (id, changes, label) => edits.changeTrack(id, changes, { label });

  const playback = new Playback({ media, onEnded: () => {
    tools.playing(false);
    showPosition();
  } });
  // the master fader is the song's (arrangement master.volume_db): playback follows the store
  playback.masterDb = store.masterDb;

  const view = tracksView({
    store, edits, media, canEdit, report, setTrack,
    takeLength: (take) => media.frames(take, store.doc.sample_rate),
    onSeek(frame) {
      playback.seek(frame);
      showPosition();
    },
    onLoop(region, { final }) {
      loop.region = region.to - region.from > 0 ? region : null;
      if (final) {
        loop.on = Boolean(loop.region);
        playback.setLoop(loop.on ? loop.region : null);
        tools.looping(loop.on, Boolean(loop.region));
      }
      view.drawOverlays();
    },
    playhead: () => playback.position(),
    loop: () => loop.region,
    looping: () => loop.on,
    onZoom: () => showSnap(),
  });

  // a track's effects chain, in the page's panel dock (trackEffects.show(opener)): saved as one undoable change of the track
  const effectsPanel = h('section.card.track-effects#track-effects', { role: 'region', 'aria-labelledby': 'h-track-effects' });
  async function openEffects(trackId) {
    const track = store.track(trackId);
    if (!track) return;
    const opener = document.activeElement;
    try {
      const editor = await chainEditor({
        chain: track.effects_chain,
        canEdit,
        idPrefix: 'track-',
        emptyText: 'No effects on this track.',
        store: (body) => edits.changeTrack(trackId, { effects_chain: body }, { label: `effects of ${track.name}` }),
      });
      effectsPanel.replaceChildren(h('h2#h-track-effects', { text: `Effects of ${track.name}` }), editor.el);
      effectsPanel.dataset.trackId = trackId;
      trackEffects.show(opener instanceof HTMLElement && opener !== document.body ? opener : null);
    } catch (e) {
      report(e);
    }
  }

  const mixdown = bounce({ projectId, canEdit, disposers, onMixed, report });
  const mix = mixer({
    store, canEdit, report, setTrack, beforeMaster: mixdown.el,
    setTrackLive: (id, fields) => store.setTrackLocally(id, fields),
    commitTrack: (id, changes, before, label) => edits.changeTrack(id, changes, { before, label }),
    masterDb: () => store.masterDb,
    setMasterLive: (db) => store.setMasterLocally(db),
    commitMaster: (db, before) => edits.changeMaster(db, { before }),
    meters: () => playback.meters(),
    openEffects,
  });

  /** The snap button says the grid step at this zoom; the desk carries it in frames (for tests). */
  function showSnap() {
    const step = view.view.step();
    tools.snap(view.view.snap, step.name);
    section.dataset.snap = String(view.view.snap);
    section.dataset.snapFrames = String(step.frames);
  }

  function showPosition() {
    const frame = playback.position();
    tools.position(frame, store.doc);
    view.follow(frame);
    section.dataset.playheadFrame = String(frame);
  }

  /** While playing: the playhead follows and the meters move on every frame; after, the meters fall. */
  function animate() {
    cancelAnimationFrame(frameRequest);
    let quiet = 0;
    const step = () => {
      if (playback.playing) showPosition();
      mix.tick();
      quiet = playback.playing ? 0 : quiet + 1;
      if (quiet < 60) frameRequest = requestAnimationFrame(step); // the peak hold falls away after 45
    };
    frameRequest = requestAnimationFrame(step);
  }

  const actions = deskActions({
    store, edits, history, playback, view, loop, canEdit, report, showPosition, showSnap, animate,
    tools: () => tools,
    clearMessage: () => message.clear(),
  });
  const recorder = trackRecorder({
    projectId, store, edits, media, playback, report, showPosition, animate,
    options: recordOptions,
    newTrackFields: () => ({ colour: nextColour(store) }),
    say: (text) => tools.say(text),
    onState(state) {
      tools.recording(state);
      tools.playing(playback.playing);
      section.dataset.recording = state;
    },
  });
  // recording a new track: the record button (or R) starts and finishes it; Stop and Space finish it too
  const { stop: stopPlaying, playPause } = actions;
  Object.assign(actions, {
    record: () => (canEdit ? recorder.toggle() : undefined),
    stop: () => (recorder.recording() ? recorder.stop() : stopPlaying()),
    playPause: () => (recorder.recording() ? recorder.stop() : playPause()),
  });
  tools = transport(actions, { canEdit, countIn: readCountInBars(), onCountIn: keepCountInBars });
  tools.recording('idle');
  tools.history(history.state());
  tools.tempo(store.doc);
  tools.looping(false, false);
  const inspector = clipInspector({ store, edits, canEdit, report });
  const takes = takesPanel({
    projectId, canEdit, store, media, edits, report,
    playhead: () => playback.position(),
    newTrackFields: () => ({ colour: nextColour(store) }),
  });

  store.subscribe((reason) => {
    view.render(reason);
    if (reason !== 'select') {
      if (playback.masterDb !== store.masterDb) playback.setMaster(store.masterDb);
      mix.render();
      playback.update(store.doc, reason).catch(report);
      tools.tempo(store.doc);
      section.dataset.clips = clipCount(store);
    }
    tools.selection(Boolean(store.selected));
    inspector.render();
  });

  section.append(h('h2#h-studio.visually-hidden', { text: 'Tracks and mixer' }),
    tools.el, inspector.el, view.el, mix.el, message.el);
  section.dataset.clips = clipCount(store);

  // the first drawing once the desk is on the page and has its size (the page mounts it after its other sections)
  const firstLayout = new ResizeObserver(() => {
    if (!section.isConnected || section.clientWidth === 0) return;
    firstLayout.disconnect();
    view.render('replace');
    mix.render();
    showSnap();
    showPosition();
    mix.tick();
    section.dataset.ready = 'true';
  });
  firstLayout.observe(section);
  const stopKeys = studioKeys(section, actions);
  disposers.push(() => {
    recorder.cancel();
    stopKeys();
    firstLayout.disconnect();
    cancelAnimationFrame(frameRequest);
    view.dispose();
    playback.dispose();
  });

  return {
    section,
    /** The "Takes" panel (the project's pool), for the page's panels. */
    takesSection: takes.section,
    /** A track's effects chain (its strip's "Effects" button fills it and asks trackEffects.show()). */
    trackEffects: effectsPanel,
    /** The project's audio changed elsewhere: read the pool and the arrangement again (the history no longer applies). */
    async reload() {
      history.clear();
      await media.reload();
      await resync();
    },
    /** Reads the arrangement again keeping the history (the tempo changed: ids and clips did not). */
    refresh: resync,
  };
}
