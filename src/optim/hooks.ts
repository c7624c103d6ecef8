// Ordered hook lists with removable handles, after torch.utils.hooks.RemovableHandle and the
// OrderedDicts torch/optim/optimizer.py keeps its hooks in (prepend moves one to the front).

/** What register*Hook returns: `remove()` unregisters the hook (again: no effect). */
export interface RemovableHandle {
  readonly id: number;
  remove(): void;
}

let nextId = 0;

export class HookList<F extends (...args: any[]) => any> {
  private entries: { id: number; hook: F }[] = [];

  add(hook: F, prepend: boolean, what: string): RemovableHandle {
    if (typeof hook !== "function") throw new TypeError(`${what}: hook must be a function, got ${hook === null ? "null" : typeof hook}`);
    if (typeof prepend !== "boolean") throw new TypeError(`${what}: prepend must be a boolean, got ${typeof prepend}`);
    const id = nextId++;
    const entry = { id, hook };
    this.entries = prepend ? [entry, ...this.entries] : [...this.entries, entry];
    return { id, remove: () => { this.entries = this.entries.filter((e) => e.id !== id); } };
  }

  /** The hooks in order, as a snapshot (a hook that adds or removes hooks does not change this run). */
  get hooks(): F[] {
    return this.entries.map((e) => e.hook);
  }

  get size(): number {
    return this.entries.length;
  }
}
