// The studio's desk: transport, timeline and mixer of the project's arrangement, on one screen. Loads the
// arrangement (GET /arrangement), keeps it in a store that every view draws from, makes every edit through
// edits.js (API + undo history), plays it with Web Audio (playback.js) and answers the studio's keys.
import { h, messageBox } from '../../shared/dom.js';
import { ApiError, getArrangement } from '../../api.js';
import { ArrangementStore } from './arrangement.js';
import { History, group } from './history.js';
import { arrangementEdits } from './edits.js';
import { takeMedia } from './media.js';
import { Playback } from './playback.js';
import { tracksView } from './tracks-view.js';
import { transport } from './transport.js';
import { mixer } from './mixer.js';
import { studioKeys } from './keyboard.js';
import { takesPanel } from './takes.js';
import { clipInspector } from './clip-inspector.js';

const PALETTE = ['#4f8cff', '#f2b35e', '#7ee787', '#ff7b72', '#d2a8ff', '#5ec8f2', '#ffa657', '#e3b341'];
const masterKey = (id) => `studio-nexus.master-db.${id}`;

function readMasterDb(projectId) {
  try {
    const stored = localStorage.getItem(masterKey(projectId));
    if (stored === 'null') return null;
    const n = Number(stored);
    return stored !== null && Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * The desk of project `project`. Returns {section, reload(project)}: reload after the project's audio changed
 * elsewhere on the page (an upload, a restored version, a kept AI result).
 */
export async function timelineSection({ project, canEdit, disposers }) {
  const projectId = project.id;
  const store = new ArrangementStore(await getArrangement(projectId));
  const message = messageBox();
  const media = takeMedia(projectId);
  await media.reload();
  let tools = null;
  const history = new History({ onChange: (state) => tools?.history(state) });
  const edits = arrangementEdits({ projectId, store, history });
  let masterDb = readMasterDb(projectId);
  let loopRegion = null;
  let looping = false;
  let frameRequest = 0;
  let playFrom = 0;

  const playback = new Playback({
    media,
    onEnded: () => {
      tools.playing(false);
      showPosition();
    },
  });
  playback.masterDb = masterDb;

  function report(error, box = message) {
    box.show(error?.message || String(error));
    // someone else changed the arrangement meanwhile: show what the server holds now
    if (error instanceof ApiError && [404, 409, 422].includes(error.status)) resync();
  }

  async function resync() {
    try {
      store.replace(await getArrangement(projectId));
    } catch (e) {
      message.show(e.message);
    }
  }

  const setTrack = (id, changes, label) => edits.changeTrack(id, changes, { label });

  const view = tracksView({
    store, edits, media, canEdit, report, setTrack,
    takeLength: (take) => media.frames(take, store.doc.sample_rate),
    onSeek: seek,
    onLoop(region, { final }) {
      loopRegion = region.to - region.from > 0 ? region : null;
      if (final) {
        looping = Boolean(loopRegion);
        playback.setLoop(looping ? loopRegion : null);
        tools.looping(looping, Boolean(loopRegion));
      }
      view.drawOverlays();
    },
    playhead: () => playback.position(),
    loop: () => loopRegion,
    looping: () => looping,
    onZoom: showSnap,
  });

  const desk = h('section.desk#studio-desk', { 'aria-labelledby': 'h-studio' });

  const mix = mixer({
    store, canEdit, report, setTrack,
    setTrackLive: (id, fields) => store.setTrackLocally(id, fields),
    commitTrack: (id, changes, before, label) => edits.changeTrack(id, changes, { before, label }),
    masterDb: () => masterDb,
    setMasterDb(db) {
      masterDb = db;
      playback.setMaster(db);
      try {
        localStorage.setItem(masterKey(projectId), String(db));
      } catch {
        // private mode: the level lasts for this visit
      }
    },
    meters: () => playback.meters(),
  });

  /** The snap button says the grid step at this zoom; the desk carries it in frames (for tests). */
  function showSnap() {
    const step = view.view.step();
    tools.snap(view.view.snap, step.name);
    desk.dataset.snap = String(view.view.snap);
    desk.dataset.snapFrames = String(step.frames);
  }

  function showPosition() {
    const frame = playback.position();
    tools.position(frame, store.doc);
    view.follow(frame);
    desk.dataset.playheadFrame = String(frame);
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

  function seek(frame) {
    playback.seek(frame);
    showPosition();
  }

  /** The clips the playhead is strictly inside: the selected clip if it is one of them, else all of them. */
  function clipsAtPlayhead() {
    const at = playback.position();
    const inside = [];
    for (const track of store.tracks) {
      for (const clip of track.clips) {
        if (at > clip.start_frame && at < clip.start_frame + clip.length_frames) inside.push(clip);
      }
    }
    const selected = inside.find((c) => c.id === store.selected);
    return { at, clips: selected ? [selected] : inside };
  }

  const actions = {
    home: () => seek(0),
    async playPause() {
      message.clear();
      if (playback.playing) {
        playback.pause();
        tools.playing(false);
        showPosition();
        return;
      }
      try {
        playFrom = playback.position();
        tools.playing(true);
        await playback.play(store.doc);
        animate();
      } catch (e) {
        tools.playing(false);
        report(e);
      }
    },
    stop() {
      const wasPlaying = playback.playing;
      playback.stop(wasPlaying ? playFrom : 0);
      tools.playing(false);
      showPosition();
    },
    toggleLoop() {
      if (!loopRegion) {
        tools.say('Drag across the ruler to mark the region to loop.');
        return;
      }
      looping = !looping;
      playback.setLoop(looping ? loopRegion : null);
      tools.looping(looping, true);
      view.drawOverlays();
    },
    toggleSnap() {
      view.setSnap(!view.view.snap);
      showSnap();
    },
    zoomIn: () => view.zoomBy(1.5),
    zoomOut: () => view.zoomBy(1 / 1.5),
    undo: () => history.undo().then((done) => tools.say(done ? 'Undone.' : 'Nothing to undo.')).catch(report),
    redo: () => history.redo().then((done) => tools.say(done ? 'Redone.' : 'Nothing to redo.')).catch(report),
    split() {
      if (!canEdit) return;
      const { at, clips } = clipsAtPlayhead();
      if (!clips.length) {
        tools.say('Put the playhead inside a clip to split it.');
        return;
      }
      const commands = clips.map((c) => edits.splitCommand(c.id, at));
      edits.run(commands.length === 1 ? commands[0] : group('split clips', commands))
        .then(() => tools.say(clips.length === 1 ? 'Clip split.' : `${clips.length} clips split.`))
        .catch(report);
    },
    remove() {
      if (!canEdit || !store.selected || !store.clip(store.selected)) return;
      const next = neighbour(store.selected);
      edits.run(edits.deleteCommand(store.selected)).then(() => {
        tools.say('Clip deleted.');
        if (next) store.select(next);
      }).catch(report);
    },
    async addTrack() {
      if (!canEdit) return;
      try {
        const colour = PALETTE[store.tracks.length % PALETTE.length];
        const track = await edits.addTrack({ colour });
        tools.say(`${track?.name || 'A track'} added.`);
      } catch (e) {
        report(e);
      }
    },
    deselect: () => store.select(null),
  };

  /** The clip to select after deleting one: the next on its track, else the one before. */
  function neighbour(clipId) {
    const found = store.clip(clipId);
    if (!found) return null;
    const clips = found.track.clips;
    const i = clips.indexOf(found.clip);
    return (clips[i + 1] || clips[i - 1])?.id || null;
  }

  tools = transport(actions, { canEdit });
  const inspector = clipInspector({ store, edits, canEdit, report });
  tools.history(history.state());
  tools.tempo(store.doc);
  tools.looping(false, false);

  store.subscribe((reason) => {
    view.render(reason);
    if (reason !== 'select') {
      mix.render();
      playback.update(store.doc, reason).catch(report);
      tools.tempo(store.doc);
      desk.dataset.clips = String(store.tracks.reduce((n, t) => n + t.clips.length, 0));
    }
    tools.selection(Boolean(store.selected));
    inspector.render();
  });

  desk.append(
    h('h2#h-studio.visually-hidden', { text: 'Tracks and mixer' }),
    tools.el, inspector.el, view.el, mix.el, message.el);

  const takes = takesPanel({
    projectId, canEdit, store, media, edits, report,
    playhead: () => playback.position(),
    newTrackFields: () => ({ colour: PALETTE[store.tracks.length % PALETTE.length] }),
  });

  const stopKeys = studioKeys(desk, actions);
  disposers.push(() => {
    stopKeys();
    cancelAnimationFrame(frameRequest);
    view.dispose();
    playback.dispose();
  });

  // the first drawing once the desk is on the page and has its size (the page mounts it after its other sections)
  const firstLayout = new ResizeObserver(() => {
    if (!desk.isConnected || desk.clientWidth === 0) return;
    firstLayout.disconnect();
    view.render('replace');
    mix.render();
    showSnap();
    showPosition();
    mix.tick();
    desk.dataset.ready = 'true';
  });
  firstLayout.observe(desk);
  disposers.push(() => firstLayout.disconnect());
  desk.dataset.clips = String(store.tracks.reduce((n, t) => n + t.clips.length, 0));

  return {
    section: desk,
    /** The "Takes" panel (the project's pool), for the panels under the desk. */
    takesSection: takes.section,
    /** The project's audio changed elsewhere: read the arrangement again (the history no longer applies). */
    async reload() {
      history.clear();
      await media.reload();
      await resync();
    },
    /** Reads the arrangement again keeping the history (the tempo changed: ids and clips did not). */
    refresh: resync,
  };
}
