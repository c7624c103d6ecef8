// nn.ModuleList and nn.ModuleDict (torch/nn/modules/container.py): hold submodules so that
// their parameters are registered (children named "0", "1", … and by key, as in PyTorch).
import { Module } from "./module.js";
import { describe } from "./check.js";

/** A list of modules: `new nn.ModuleList([a, b])`, `list.append(m)`, `list.at(i)`, `for (const m of list)`. */
export class ModuleList extends Module {
  [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as any)[Symbol.iterator] !== "function") {
      throw new TypeError(`ModuleList: modules must be an iterable of nn.Module, got ${describe(modules)}`);
    }
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return this.namedChildren().length;
  }

  append(m: Module): this {
    if (!(m instanceof Module)) throw new TypeError(`ModuleList.append: expected an nn.Module, got ${describe(m)}`);
    this[this.length] = m;
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** The module at index i (negative counts from the end). */
  at(i: number): Module {
    const n = this.length;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`ModuleList: index ${i} is out of range (length ${n})`);
    return this[i < 0 ? i + n : i];
  }

  *[Symbol.iterator](): IterableIterator<Module> {
    yield* this.children();
  }

  forward(): never {
    throw new Error("ModuleList is a container and has no forward(); call its modules");
  }
}

/** A map of named modules: `new nn.ModuleDict({ enc: a, dec: b })`, `dict.get("enc")`. */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    const entries = typeof (modules as any)?.[Symbol.iterator] === "function"
      ? [...(modules as Iterable<[string, Module]>)] : Object.entries(modules ?? {});
    for (const [k, m] of entries) this.set(k, m);
  }

  set(key: string, m: Module): this {
    if (typeof key !== "string" || key === "" || key.includes(".")) throw new TypeError(`ModuleDict: keys must be non-empty strings without ".", got ${describe(key)}`);
    if (key in Module.prototype || key in ModuleDict.prototype) throw new TypeError(`ModuleDict: key ${JSON.stringify(key)} is the name of a method`);
    if (!(m instanceof Module)) throw new TypeError(`ModuleDict: ${JSON.stringify(key)} must be an nn.Module, got ${describe(m)}`);
    (this as any)[key] = m;
    return this;
  }

  get(key: string): Module | undefined {
    const v = (this as any)[key];
    return v instanceof Module ? v : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): string[] {
    return this.namedChildren().map(([k]) => k);
  }

  values(): Module[] {
    return this.children();
  }

  entries(): [string, Module][] {
    return this.namedChildren();
  }

  get size(): number {
    return this.namedChildren().length;
  }

  forward(): never {
    throw new Error("ModuleDict is a container and has no forward(); call its modules");
  }
}
