// nn.ModuleList and nn.ModuleDict (torch/nn/modules/container.py): hold submodules so that
// their parameters are registered (children named "0", "1", … and by key, as in PyTorch).
import { Module } from "./module.js";
import { describe } from "./check.js";

/**
 * A list of modules whose parameters are registered (children "0", "1", …), as
 * `torch.nn.ModuleList`: `new nn.ModuleList([a, b])`, `list.append(m)`, `list.at(i)`,
 * `list[i]`, `for (const m of list)`. A container: it has no `forward`.
 *
 * ```ts
 * class Stack extends nn.Module {
 *   layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 *   forward(x: torch.Tensor) {
 *     for (const layer of this.layers) x = (layer as nn.Linear).forward(x).relu();
 *     return x;
 *   }
 * }
 * const net = new Stack();
 * net.parameters().length;                 // 4
 * net.forward(torch.ones([1, 4])).shape;   // [1, 4]
 * ```
 */
export class ModuleList extends Module {
  [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as any)[Symbol.iterator] !== "function") {
      throw new TypeError(`ModuleList: modules must be an iterable of nn.Module, got ${describe(modules)}`);
    }
    for (const m of modules) this.append(m);
  }

  /**
   * The number of modules.
   *
   * ```ts
   * new nn.ModuleList([new nn.ReLU()]).length; // 1
   * ```
   */
  get length(): number {
    return this.namedChildren().length;
  }

  /**
   * Adds a module at the end; returns the list (PyTorch's `append`).
   *
   * ```ts
   * const list = new nn.ModuleList();
   * list.append(new nn.Linear(2, 2)).append(new nn.ReLU());
   * list.length; // 2
   * ```
   */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new TypeError(`ModuleList.append: expected an nn.Module, got ${describe(m)}`);
    this[this.length] = m;
    return this;
  }

  /**
   * Appends every module of an iterable; returns the list (PyTorch's `extend`).
   *
   * ```ts
   * const list = new nn.ModuleList([new nn.ReLU()]);
   * list.extend([new nn.Tanh(), new nn.Sigmoid()]).length; // 3
   * ```
   */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /**
   * The module at index i (negative counts from the end), as PyTorch's `list[i]`.
   *
   * ```ts
   * const list = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
   * list.at(-1) instanceof nn.Tanh; // true
   * list.at(2);                     // throws: out of range
   * ```
   */
  at(i: number): Module {
    const n = this.length;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`ModuleList: index ${i} is out of range (length ${n})`);
    return this[i < 0 ? i + n : i];
  }

  /**
   * The modules in order (`for (const m of list)`).
   *
   * ```ts
   * const list = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
   * [...list].length; // 2
   * ```
   */
  *[Symbol.iterator](): IterableIterator<Module> {
    yield* this.children();
  }

  /**
   * Throws: a ModuleList is a container (call its modules), as in PyTorch.
   *
   * ```ts
   * new nn.ModuleList().forward(); // throws: has no forward()
   * ```
   */
  forward(): never {
    throw new Error("ModuleList is a container and has no forward(); call its modules");
  }
}

/**
 * A map of named modules whose parameters are registered under their keys, as
 * `torch.nn.ModuleDict`: `new nn.ModuleDict({ enc: a, dec: b })` (or from [key, module]
 * pairs), `dict.get("enc")`, `dict.set(key, m)`. A container: it has no `forward`.
 *
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 10), box: new nn.Linear(8, 4) });
 * heads.keys();                                    // ["cls", "box"]
 * Object.keys(heads.stateDict());                  // ["cls.weight", "cls.bias", "box.weight", "box.bias"]
 * (heads.get("box") as nn.Linear).outFeatures;     // 4
 * ```
 */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    const entries = typeof (modules as any)?.[Symbol.iterator] === "function"
      ? [...(modules as Iterable<[string, Module]>)] : Object.entries(modules ?? {});
    for (const [k, m] of entries) this.set(k, m);
  }

  /**
   * Adds or replaces the module under `key` (a non-empty string without ".", not a method's
   * name); returns the dict (PyTorch's `dict[key] = m`).
   *
   * ```ts
   * const d = new nn.ModuleDict();
   * d.set("act", new nn.ReLU()).size; // 1
   * ```
   */
  set(key: string, m: Module): this {
    if (typeof key !== "string" || key === "" || key.includes(".")) throw new TypeError(`ModuleDict: keys must be non-empty strings without ".", got ${describe(key)}`);
    if (key in Module.prototype || key in ModuleDict.prototype) throw new TypeError(`ModuleDict: key ${JSON.stringify(key)} is the name of a method`);
    if (!(m instanceof Module)) throw new TypeError(`ModuleDict: ${JSON.stringify(key)} must be an nn.Module, got ${describe(m)}`);
    (this as any)[key] = m;
    return this;
  }

  /**
   * The module under `key`, or undefined (PyTorch's `dict[key]`).
   *
   * ```ts
   * const d = new nn.ModuleDict({ act: new nn.ReLU() });
   * d.get("act") instanceof nn.ReLU; // true
   * d.get("other");                  // undefined
   * ```
   */
  get(key: string): Module | undefined {
    const v = (this as any)[key];
    return v instanceof Module ? v : undefined;
  }

  /**
   * Whether a module is stored under `key` (PyTorch's `key in dict`).
   *
   * ```ts
   * new nn.ModuleDict({ act: new nn.ReLU() }).has("act"); // true
   * ```
   */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * The keys, in insertion order.
   *
   * ```ts
   * new nn.ModuleDict([["b", new nn.ReLU()], ["a", new nn.Tanh()]]).keys(); // ["b", "a"]
   * ```
   */
  keys(): string[] {
    return this.namedChildren().map(([k]) => k);
  }

  /**
   * The modules, in insertion order.
   *
   * ```ts
   * new nn.ModuleDict({ act: new nn.ReLU() }).values().length; // 1
   * ```
   */
  values(): Module[] {
    return this.children();
  }

  /**
   * [key, module] pairs, in insertion order (PyTorch's `items()`).
   *
   * ```ts
   * new nn.ModuleDict({ act: new nn.ReLU() }).entries().map(([k]) => k); // ["act"]
   * ```
   */
  entries(): [string, Module][] {
    return this.namedChildren();
  }

  /**
   * The number of modules (PyTorch's `len(dict)`).
   *
   * ```ts
   * new nn.ModuleDict({ a: new nn.ReLU(), b: new nn.Tanh() }).size; // 2
   * ```
   */
  get size(): number {
    return this.namedChildren().length;
  }

  /**
   * Throws: a ModuleDict is a container (call its modules), as in PyTorch.
   *
   * ```ts
   * new nn.ModuleDict().forward(); // throws: has no forward()
   * ```
   */
  forward(): never {
    throw new Error("ModuleDict is a container and has no forward(); call its modules");
  }
}
