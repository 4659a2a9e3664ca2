// What the transport's buttons and the studio's keys do: play, pause, stop, loop, snap, zoom, undo, redo, split at
// the playhead, delete the selected clip, add a track. One object shared by transport.js and keyboard.js.
import { group } from './history.js';

export const PALETTE = ['#4f8cff', '#f2b35e', '#7ee787', '#ff7b72', '#d2a8ff', '#5ec8f2', '#ffa657', '#e3b341'];

/** The colour of the next track: the palette in turn. */
export const nextColour = (store) => PALETTE[store.tracks.length % PALETTE.length];

/** The clips the playhead is strictly inside: the selected clip if it is one of them, else all of them. */
function clipsAt(store, at) {
  const inside = store.tracks.flatMap((t) => t.clips)
    .filter((clip) => at > clip.start_frame && at < clip.start_frame + clip.length_frames);
  const selected = inside.find((c) => c.id === store.selected);
  return selected ? [selected] : inside;
}

/** The clip to select after deleting one: the next on its track, else the one before. */
function neighbour(store, clipId) {
  const found = store.clip(clipId);
  if (!found) return null;
  const clips = found.track.clips;
  const i = clips.indexOf(found.clip);
  return (clips[i + 1] || clips[i - 1])?.id || null;
}

/**
 * desk: {store, edits, history, playback, view (tracks-view.js), tools() (transport.js), loop ({region, on}),
 * canEdit, report(error), clearMessage(), showPosition(), showSnap(), animate()}.
 */
export function deskActions(desk) {
  const { store, edits, history, playback, view, loop, canEdit, report } = desk;
  const say = (text) => desk.tools().say(text);
  let playFrom = 0;

  return {
    home() {
      playback.seek(0);
      desk.showPosition();
    },
    async playPause() {
      desk.clearMessage();
      const tools = desk.tools();
      if (playback.playing) {
        playback.pause();
        tools.playing(false);
        desk.showPosition();
        return;
      }
      try {
        playFrom = playback.position();
        tools.playing(true);
        await playback.play(store.doc);
        desk.animate();
      } catch (e) {
        tools.playing(false);
        report(e);
      }
    },
    /** Stops; the playhead goes back to where playing began (or to the start when already stopped). */
    stop() {
      playback.stop(playback.playing ? playFrom : 0);
      desk.tools().playing(false);
      desk.showPosition();
    },
    toggleLoop() {
      if (!loop.region) {
        say('Drag across the ruler to mark the region to loop.');
        return;
      }
      loop.on = !loop.on;
      playback.setLoop(loop.on ? loop.region : null);
      desk.tools().looping(loop.on, true);
      view.drawOverlays();
    },
    toggleSnap() {
      view.setSnap(!view.view.snap);
      desk.showSnap();
    },
    zoomIn: () => view.zoomBy(1.5),
    zoomOut: () => view.zoomBy(1 / 1.5),
    undo: () => history.undo().then((done) => say(done ? 'Undone.' : 'Nothing to undo.')).catch(report),
    redo: () => history.redo().then((done) => say(done ? 'Redone.' : 'Nothing to redo.')).catch(report),
    split() {
      if (!canEdit) return;
      const at = playback.position();
      const clips = clipsAt(store, at);
      if (!clips.length) {
        say('Put the playhead inside a clip to split it.');
        return;
      }
      const commands = clips.map((c) => edits.splitCommand(c.id, at));
      edits.run(commands.length === 1 ? commands[0] : group('split clips', commands))
        .then(() => say(clips.length === 1 ? 'Clip split.' : `${clips.length} clips split.`))
        .catch(report);
    },
    remove() {
      if (!canEdit || !store.selected || !store.clip(store.selected)) return;
      const next = neighbour(store, store.selected);
      edits.run(edits.deleteCommand(store.selected)).then(() => {
        say('Clip deleted.');
        if (next) store.select(next);
      }).catch(report);
    },
    async addTrack() {
      if (!canEdit) return;
      try {
        const track = await edits.addTrack({ colour: nextColour(store) });
        say(`${track?.name || 'A track'} added.`);
      } catch (e) {
        report(e);
      }
    },
    deselect: () => store.select(null),
  };
}
