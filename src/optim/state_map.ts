// An optimizer's `state`: a Map that counts the calls that change it, so a step can keep
// each parameter's state object from one step to the next and look it up again only when
// the map changed (a Map lookup per parameter is a measurable part of a 100-tensor step).
// Changes through Map.prototype's methods called on it directly are not seen; nothing in
// the library or in PyTorch-style code does that.

export class StateMap<K, V> extends Map<K, V> {
  /** Calls of set, delete and clear so far. */
  changes = 0;

  override set(key: K, value: V): this {
    this.changes++;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.changes++;
    return super.delete(key);
  }

  override clear(): void {
    this.changes++;
    super.clear();
  }
}
