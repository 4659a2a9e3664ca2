// Undo and redo of arrangement edits. An edit is a command {label, redo(), undo()} whose steps call the API (through
// the edits of edits.js) and put the answers in the store; the history runs them one at a time, in order, so a
// quick series of keys or drags reaches the server as it was made.
//
// Ids: undoing a deletion makes the track or clip again, and the server gives it a new id. Commands keep the ids
// they were made with and look them up through `ids`, which follows each old id to the thing that replaced it.

/** Old id → the id of what replaced it (a deleted clip made again, a split's second part made again). */
export class IdMap {
  constructor() {
    this.next = new Map();
  }

  /** The id the server knows now for what was once called `id`. */
  live(id) {
    let current = id;
    for (let hops = 0; this.next.has(current) && hops < 1000; hops++) current = this.next.get(current);
    return current;
  }

  /** What was `oldId` is now `newId`. */
  replaced(oldId, newId) {
    if (oldId && newId && oldId !== newId) this.next.set(this.live(oldId), newId);
  }
}

export class History {
  /** onChange({canUndo, canRedo, undoLabel, redoLabel, busy}) runs after every change of the stacks. */
  constructor({ onChange = () => {}, limit = 200 } = {}) {
    this.done = [];
    this.undone = [];
    this.onChange = onChange;
    this.limit = limit;
    this.queue = Promise.resolve();
    this.pending = 0;
    this.ids = new IdMap();
  }

  state() {
    return {
      canUndo: this.done.length > 0,
      canRedo: this.undone.length > 0,
      undoLabel: this.done.at(-1)?.label || '',
      redoLabel: this.undone.at(-1)?.label || '',
      busy: this.pending > 0,
      size: this.done.length,
    };
  }

  /** Runs steps after every step queued before; resolves or rejects with the step's own outcome. */
  serial(step) {
    this.pending++;
    this.onChange(this.state());
    const run = this.queue.then(step);
    this.queue = run.catch(() => {}).finally(() => {
      this.pending--;
      this.onChange(this.state());
    });
    return run;
  }

  /** Makes an edit and remembers it; a new edit forgets what was undone. */
  run(command) {
    return this.serial(async () => {
      await command.redo();
      this.done.push(command);
      if (this.done.length > this.limit) this.done.shift();
      this.undone = [];
    });
  }

  /** Undoes the last edit; false when there was none. On failure the edit stays where it was. */
  undo() {
    return this.serial(async () => {
      const command = this.done.pop();
      if (!command) return false;
      try {
        await command.undo();
      } catch (e) {
        this.done.push(command);
        throw e;
      }
      this.undone.push(command);
      return true;
    });
  }

  redo() {
    return this.serial(async () => {
      const command = this.undone.pop();
      if (!command) return false;
      try {
        await command.redo();
      } catch (e) {
        this.undone.push(command);
        throw e;
      }
      this.done.push(command);
      return true;
    });
  }

  /** Forgets everything (after the arrangement was replaced from elsewhere: a restored version, a new upload). */
  clear() {
    this.done = [];
    this.undone = [];
    this.onChange(this.state());
  }
}

/** One command made of several, done in order and undone in reverse (e.g. splitting the clips of every track). */
export function group(label, commands) {
  return {
    label,
    async redo() {
      for (const c of commands) await c.redo();
    },
    async undo() {
      for (const c of [...commands].reverse()) await c.undo();
    },
  };
}
