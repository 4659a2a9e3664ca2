// Every change of the arrangement, as an undoable command: each step calls the API (api.js) and puts the server's
// answer in the store, so what the page shows is what the server holds. Commands keep the ids they were made with
// and reach the live ones through history.ids (see history.js).
//
// Each write sends the version of what it changes as the store holds it. When a collaborator changed that clip,
// track or fader since, the server refuses (412) with how it is now: the store shows their change, the edit fails
// with a sentence saying so, and nothing of ours is applied over theirs unseen.
import {
  createClip, createTrack, deleteClip, deleteTrack, isStale, reorderTracks, splitClip, trackTag, updateClip,
  updateMaster, updateTrack, versionTag,
} from '../../api.js';
import { clipFields, trackFields } from './arrangement.js';

const TRIM_FIELDS = ['start_frame', 'offset_frames', 'length_frames', 'fade_in_frames', 'fade_out_frames'];

/** The helpers every command uses: the API call, then the answer into the store, with ids followed. */
function editingKit({ projectId, store, history }) {
  const ids = history.ids;
  const live = (id) => ids.live(id);

  /** The live track a clip is on now (commands know the track only as it was). */
  const trackOf = (clipId) => store.clip(live(clipId))?.track.id;
  const clipTag = (id) => versionTag(store.clip(id)?.clip);

  /**
   * Runs write; when someone else changed `what` since the store read it, puts their version in the store (so it
   * shows) and fails with a sentence a musician reads instead of applying ours over theirs.
   */
  async function unlessChanged(what, write, showCurrent) {
    try {
      return await write();
    } catch (e) {
      if (!isStale(e)) throw e;
      if (e.problem.current) showCurrent(e.problem.current);
      const conflict = new Error(`Someone else changed ${what} since you saw it: their change is shown now and yours `
        + 'was not applied. Make your change again to put it over theirs.');
      conflict.code = 'stale_version';
      throw conflict;
    }
  }
  const showClip = (current) => store.putClip(current);
  const showTrack = (current) => store.putTrack(current);

  async function patchClip(clipId, changes) {
    const id = live(clipId);
    const answer = await unlessChanged('this clip', () => updateClip(projectId, trackOf(id), id, changes, clipTag(id)),
      showClip);
    store.putClip(answer);
    return answer;
  }

  async function makeClip(trackId, fields, oldId) {
    const answer = await createClip(projectId, live(trackId), fields);
    ids.replaced(oldId, answer.id);
    store.putClip(answer);
    return answer;
  }

  async function removeClip(clipId) {
    const id = live(clipId);
    await unlessChanged('this clip', () => deleteClip(projectId, trackOf(id), id, clipTag(id)), showClip);
    store.removeClip(id);
  }

  const trackName = (id) => `the track “${store.track(id)?.name || 'track'}”`;

  async function patchTrack(trackId, changes) {
    const id = live(trackId);
    const answer = await unlessChanged(trackName(id),
      () => updateTrack(projectId, id, changes, trackTag(store.track(id))), showTrack);
    store.putTrack(answer);
  }

  async function removeTrack(trackId) {
    const id = live(trackId);
    await unlessChanged(trackName(id), () => deleteTrack(projectId, id, trackTag(store.track(id))), showTrack);
    store.removeTrack(id);
  }

  async function putMaster(db) {
    const answer = await unlessChanged('the master fader', () => updateMaster(projectId, db, versionTag(store.doc.master)),
      (current) => store.putMaster(current));
    store.putMaster(answer);
  }

  /** Puts the tracks in `order` (old or live ids), as far as they still exist. */
  async function putOrder(order) {
    const wanted = order.map(live).filter((id) => store.track(id));
    const rest = store.tracks.map((t) => t.id).filter((id) => !wanted.includes(id));
    const answer = await reorderTracks(projectId, [...wanted, ...rest]);
    store.putOrder(answer.items || []);
  }

  return {
    projectId, store, history, ids, live, trackOf, clipTag, unlessChanged, showClip, patchClip, makeClip, removeClip,
    patchTrack, removeTrack, putMaster, putOrder,
  };
}

/** Commands on clips: move, trim, gain and fades, split, delete, place. */
function clipEdits({
  store, history, ids, live, trackOf, clipTag, unlessChanged, showClip, patchClip, makeClip, removeClip, projectId,
}) {
  return {
    /** Moves a clip to startFrame, on another track when toTrack differs. */
    moveClip(clipId, { toTrack, startFrame }) {
      const found = store.clip(clipId);
      const before = { track: found.track.id, start: found.clip.start_frame };
      const after = { track: toTrack || before.track, start: startFrame };
      const to = (where) => patchClip(clipId, {
        ...(live(where.track) !== trackOf(clipId) ? { track_id: live(where.track) } : {}),
        start_frame: where.start,
      });
      return history.run({
        label: after.track === before.track ? 'move clip' : 'move clip to another track',
        redo: () => to(after),
        undo: () => to(before),
      });
    },

    /** Trims a clip: changes of start_frame, offset_frames, length_frames (and fades, to fit). */
    trimClip(clipId, changes) {
      const { clip } = store.clip(clipId);
      const before = Object.fromEntries(TRIM_FIELDS.map((f) => [f, clip[f]]));
      const after = { ...before, ...changes };
      // fades belong to the clip and must fit in it: shorten them with it
      const room = after.length_frames;
      after.fade_in_frames = Math.min(after.fade_in_frames, room);
      after.fade_out_frames = Math.min(after.fade_out_frames, room - after.fade_in_frames);
      return history.run({
        label: 'trim clip',
        redo: () => patchClip(clipId, after),
        undo: () => patchClip(clipId, before),
      });
    },

    /** Changes a clip's gain or fades. */
    changeClip(clipId, changes, label = 'change clip') {
      const { clip } = store.clip(clipId);
      const before = Object.fromEntries(Object.keys(changes).map((f) => [f, clip[f]]));
      return history.run({ label, redo: () => patchClip(clipId, changes), undo: () => patchClip(clipId, before) });
    },

    /** The command that splits a clip at a timeline frame (for group()); run it with history.run. */
    splitCommand(clipId, atFrame) {
      const { clip } = store.clip(clipId);
      const before = { length_frames: clip.length_frames, fade_in_frames: clip.fade_in_frames, fade_out_frames: clip.fade_out_frames };
      let right = null; // the second part's first id; made again on redo
      return {
        label: 'split clip',
        async redo() {
          const id = live(clipId);
          const answer = await unlessChanged('this clip',
            () => splitClip(projectId, trackOf(id), id, atFrame, clipTag(id)), showClip);
          if (right) ids.replaced(right, answer.right.id);
          else right = answer.right.id;
          store.putClip(answer.left);
          store.putClip(answer.right);
        },
        async undo() {
          await removeClip(right);
          await patchClip(clipId, before);
        },
      };
    },

    deleteCommand(clipId) {
      const { clip, track } = store.clip(clipId);
      const fields = clipFields(clip);
      return {
        label: 'delete clip',
        redo: () => removeClip(clipId),
        undo: () => makeClip(track.id, fields, clipId),
      };
    },

    /** Places a take on a track (take null: the project's current take). */
    addClip(trackId, fields) {
      let made = null;
      return history.run({
        label: 'add clip',
        async redo() {
          const answer = await makeClip(trackId, fields, made);
          made = made || answer.id;
        },
        undo: () => removeClip(made),
      });
    },

  };
}

/** Commands on tracks: place a take on a new one, add, change, delete (and make again on undo), reorder. */
function trackEdits({
  store, history, ids, live, makeClip, removeClip, patchTrack, removeTrack, putMaster, putOrder, projectId,
}) {
  return {
    /**
     * Places a take at startFrame: on track `trackId`, or on a new track (with `newTrack` fields) when trackId is
     * null. One step to undo either way.
     */
    placeTake(fields, { trackId = null, newTrack = {} } = {}) {
      let track = trackId;
      let madeTrack = null;
      let clip = null;
      return history.run({
        label: trackId ? 'place take' : 'place take on a new track',
        async redo() {
          if (!trackId) {
            const answer = await createTrack(projectId, newTrack);
            ids.replaced(madeTrack, answer.id);
            madeTrack = madeTrack || answer.id;
            track = madeTrack;
            store.putTrack(answer);
          }
          const answer = await makeClip(track, fields, clip);
          clip = clip || answer.id;
        },
        async undo() {
          if (madeTrack) {
            await removeTrack(madeTrack);
          } else {
            await removeClip(clip);
          }
        },
      });
    },

    /** A new track at the bottom. Resolves to it. */
    async addTrack(fields) {
      let made = null;
      await history.run({
        label: 'add track',
        async redo() {
          const answer = await createTrack(projectId, fields);
          ids.replaced(made, answer.id);
          made = made || answer.id;
          store.putTrack(answer);
        },
        undo: () => removeTrack(made),
      });
      return store.track(live(made));
    },

    /**
     * Changes a track's settings (name, colour, volume_db, pan, muted, soloed). `before` is what they were when the
     * change began (a fader gesture's start) when the store already shows the new values.
     */
    changeTrack(trackId, changes, { before, label = 'change track' } = {}) {
      const track = store.track(trackId);
      const was = before || Object.fromEntries(Object.keys(changes).map((f) => [f, track[f]]));
      return history.run({ label, redo: () => patchTrack(trackId, changes), undo: () => patchTrack(trackId, was) });
    },

    /** Deletes a track with its clips; undo makes it again, with its clips, in its place. */
    deleteTrack(trackId) {
      const track = store.track(trackId);
      const fields = trackFields(track);
      const clips = track.clips.map((c) => ({ id: c.id, fields: clipFields(c) }));
      const order = store.tracks.map((t) => t.id);
      return history.run({
        label: 'delete track',
        redo: () => removeTrack(trackId),
        async undo() {
          const answer = await createTrack(projectId, fields);
          ids.replaced(trackId, answer.id);
          store.putTrack(answer);
          for (const clip of clips) await makeClip(answer.id, clip.fields, clip.id);
          if (order.at(-1) !== trackId) await putOrder(order);
        },
      });
    },

    /**
     * Sets the song's master fader to `db` (null = −∞). `before` is where it was when the gesture began (the store
     * already shows the new level while the fader moves).
     */
    changeMaster(db, { before = store.masterDb, label = 'master volume' } = {}) {
      return history.run({ label, redo: () => putMaster(db), undo: () => putMaster(before) });
    },

    /** Moves a track one place up (-1) or down (+1). */
    moveTrack(trackId, by) {
      const before = store.tracks.map((t) => t.id);
      const from = before.indexOf(trackId);
      const to = from + by;
      if (from < 0 || to < 0 || to >= before.length) return Promise.resolve();
      const after = [...before];
      after.splice(to, 0, ...after.splice(from, 1));
      return history.run({ label: 'move track', redo: () => putOrder(after), undo: () => putOrder(before) });
    },

  };
}

/** The edits of project `projectId`'s arrangement held in `store`, recorded in `history`. */
export function arrangementEdits(context) {
  const kit = editingKit(context);
  return { ...clipEdits(kit), ...trackEdits(kit), run: (command) => context.history.run(command) };
}
