// The arrangement as the page holds it: the document GET /arrangement answers (tracks in order, each with its clips
// in timeline order), kept up to date from the answers of every edit, plus what only this page knows (the selected
// clip). Views subscribe and draw from it; they never change it themselves.

const byStart = (a, b) => a.start_frame - b.start_frame;

export class ArrangementStore {
  constructor(doc) {
    this.listeners = new Set();
    this.selected = null; // clip id
    this.replace(doc);
  }

  /** listener(reason) runs after every change; returns the unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(reason) {
    for (const listener of this.listeners) listener(reason);
  }

  /** Takes a whole new document (a reload). */
  replace(doc) {
    this.doc = {
      ...doc,
      tracks: [...(doc.tracks || [])].sort((a, b) => a.position - b.position)
        .map((t) => ({ ...t, clips: [...(t.clips || [])].sort(byStart) })),
    };
    if (this.selected && !this.clip(this.selected)) this.selected = null;
    this.changed('replace');
  }

  get tracks() {
    return this.doc.tracks;
  }

  track(id) {
    return this.doc.tracks.find((t) => t.id === id) || null;
  }

  /** The clip and the track it is on, or null. */
  clip(id) {
    for (const track of this.doc.tracks) {
      const clip = track.clips.find((c) => c.id === id);
      if (clip) return { clip, track };
    }
    return null;
  }

  /** A track as the server answered it (clips included when the answer has them). */
  putTrack(answer) {
    const known = this.track(answer.id);
    const clips = answer.clips ? [...answer.clips].sort(byStart) : (known?.clips || []);
    const track = { ...answer, clips };
    if (known) this.doc.tracks[this.doc.tracks.indexOf(known)] = track;
    else this.doc.tracks.push(track);
    this.doc.tracks.sort((a, b) => a.position - b.position);
    this.changed('track');
    return track;
  }

  /** The master fader of the song in dB (null = −∞; 0 when the document has none). */
  get masterDb() {
    const db = this.doc.master?.volume_db;
    return db === undefined ? 0 : db;
  }

  /** The master bus as the server answered it ({effects_chain, volume_db}). */
  putMaster(answer) {
    this.doc.master = { ...this.doc.master, ...answer };
    this.changed('mix');
  }

  /** Sets the master fader here only, before the server has it (the fader being moved). */
  setMasterLocally(db) {
    this.doc.master = { ...this.doc.master, volume_db: db };
    this.changed('mix');
  }

  /** Changes a track's fields here only, before the server has them (a fader being moved). */
  setTrackLocally(id, fields) {
    const track = this.track(id);
    if (!track) return;
    Object.assign(track, fields);
    this.changed('mix');
  }

  removeTrack(id) {
    const gone = this.track(id);
    this.doc.tracks = this.doc.tracks.filter((t) => t.id !== id)
      .map((t) => (gone && t.position > gone.position ? { ...t, position: t.position - 1 } : t));
    if (this.selected && !this.clip(this.selected)) this.selected = null;
    this.changed('track');
  }

  /** The tracks in a new order (the answer of PUT tracks/order). */
  putOrder(tracks) {
    const clipsOf = new Map(this.doc.tracks.map((t) => [t.id, t.clips]));
    this.doc.tracks = tracks.map((t) => ({ ...t, clips: t.clips ? [...t.clips].sort(byStart) : (clipsOf.get(t.id) || []) }))
      .sort((a, b) => a.position - b.position);
    this.changed('track');
  }

  /** A clip as the server answered it: on its track (moved there if it changed tracks), in timeline order. */
  putClip(answer) {
    for (const track of this.doc.tracks) track.clips = track.clips.filter((c) => c.id !== answer.id);
    const track = this.track(answer.track_id);
    if (track) {
      track.clips.push({ ...answer });
      track.clips.sort(byStart);
    }
    this.changed('clip');
  }

  removeClip(id) {
    for (const track of this.doc.tracks) track.clips = track.clips.filter((c) => c.id !== id);
    if (this.selected === id) this.selected = null;
    this.changed('clip');
  }

  select(clipId) {
    if (this.selected === clipId) return;
    this.selected = clipId;
    this.changed('select');
  }
}

/** What a clip is, without its identity or times of change: what undo must bring back. */
export function clipFields(clip) {
  return {
    take: clip.take,
    start_frame: clip.start_frame,
    offset_frames: clip.offset_frames,
    length_frames: clip.length_frames,
    gain_db: clip.gain_db,
    fade_in_frames: clip.fade_in_frames,
    fade_out_frames: clip.fade_out_frames,
  };
}

/** A track's settings as POST /tracks takes them (to make a deleted track again). */
export function trackFields(track) {
  return {
    name: track.name,
    colour: track.colour,
    volume_db: track.volume_db,
    pan: track.pan,
    muted: track.muted,
    soloed: track.soloed,
    effects_chain: track.effects_chain || [],
  };
}
