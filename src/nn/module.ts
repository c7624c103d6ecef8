// nn.Module: fields that hold tensors or modules are found by walking the instance's own
// properties in assignment order (no registration calls, no Proxy), as PyTorch's
// __setattr__ registers them.
//
// Parameters vs buffers: a tensor field is a parameter when it was registered as one
// (registerParameter, as Linear does; nn.Parameter(t) will mark the tensor the same way) or
// when it held a leaf that required grad the first time the module looked at it. The module
// then remembers that field as a parameter, so freezing it (`requiresGrad = false`) keeps it
// in parameters(), as PyTorch does. Every other tensor field is a buffer (in stateDict, not
// in parameters()); registerBuffer will record a field as "buffer" the same way.
import { Tensor } from "../tensor.js";
import { noGrad } from "../scope.js";
import { clearGrad, iterationBoundary } from "../storage_access.js";
import { checkOptions, describe, isPlainObject } from "./check.js";
import { stateValueFor, type StateDict } from "./state_dict.js";

export type { StateDict, StateValue, TensorJSON } from "./state_dict.js";

// "transient": a non-persistent buffer (in buffers(), not in the state dict)
type FieldKind = "parameter" | "buffer" | "transient";

/** Tensors created as parameters; the module-level registry nn.Parameter will use. */
const PARAMETERS = new WeakSet<Tensor>();

/** Marks `t` as a parameter (a leaf that requires grad). */
function parameter(t: Tensor): Tensor {
  t.requiresGrad = true;
  PARAMETERS.add(t);
  return t;
}

/**
 * `nn.Parameter(t, requiresGrad = true)`: a leaf tensor sharing t's storage, marked as a
 * parameter, so a module field holding it is in `parameters()` (frozen or not). Call it
 * without `new` (it returns a Tensor).
 *
 * ```ts
 * class Scale extends nn.Module {
 *   s = nn.Parameter(torch.ones([1]));
 *   forward(x: torch.Tensor) { return x.mul(this.s); }
 * }
 * const m = new Scale();
 * m.parameters().length;  // 1
 * m.s.requiresGrad;       // true
 * m.forward(torch.tensor([2, 3])); // tensor([2., 3.], gradFn=<MulBackward0>)
 * ```
 */
export function Parameter(data: Tensor, requiresGrad = true): Tensor {
  if (!(data instanceof Tensor)) throw new TypeError(`Parameter: data must be a Tensor, got ${describe(data)}`);
  if (data.dtype !== "float32") throw new TypeError(`Parameter: only float32 tensors can be parameters (got ${data.dtype})`);
  if (typeof requiresGrad !== "boolean") throw new TypeError(`Parameter: requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
  const p = data.detach();
  PARAMETERS.add(p);
  p.requiresGrad = requiresGrad;
  return p;
}

/**
 * The base class of every layer and model, as `torch.nn.Module`: subclass it, assign
 * parameters, buffers and submodules as fields (they are found in assignment order, as
 * PyTorch's `__setattr__` registers them), and write `forward`. A tensor field is a
 * parameter when it is a leaf that requires grad (or was made by `nn.Parameter` /
 * `registerParameter`), else a buffer. Call `model.forward(x)` (JavaScript has no `__call__`).
 *
 * ```ts
 * class MLP extends nn.Module {
 *   hidden = new nn.Linear(4, 8);
 *   out = new nn.Linear(8, 1);
 *   forward(x: torch.Tensor): torch.Tensor {
 *     return this.out.forward(this.hidden.forward(x).relu());
 *   }
 * }
 * const model = new MLP();
 * model.namedParameters().map(([name]) => name); // ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
 * model.forward(torch.ones([2, 4])).shape;       // [2, 1]
 * ```
 */
export abstract class Module {
  /**
   * Whether the module is in training mode (the default), as PyTorch's `training`: Dropout and
   * BatchNorm behave differently in `eval()` mode. Set it for a whole tree with `train()` /
   * `eval()`.
   *
   * ```ts
   * const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
   * net.training;       // true
   * net.eval();
   * net[1].training; // false
   * ```
   */
  training = true;
  // Field name → kind, for fields classified once (a plain object, so a deep copy of the
  // module keeps it); not enumerable, so the field walk never sees it.
  declare private _fieldKinds?: Record<string, FieldKind>;

  /**
   * The computation of the module, which subclasses define (PyTorch's `forward`); call it
   * directly: `model.forward(x)`.
   *
   * ```ts
   * class AddOne extends nn.Module {
   *   forward(x: torch.Tensor) { return x.add(1); }
   * }
   * new AddOne().forward(torch.tensor([1, 2])); // tensor([2., 3.])
   * ```
   */
  abstract forward(...args: any[]): any;

  private fieldKinds(): Record<string, FieldKind> {
    let kinds = this._fieldKinds;
    if (kinds === undefined) {
      kinds = Object.create(null) as Record<string, FieldKind>;
      Object.defineProperty(this, "_fieldKinds", { value: kinds, enumerable: false });
    }
    return kinds;
  }

  /**
   * Assigns field `name` and records it as a parameter (PyTorch's `register_parameter`): the
   * tensor becomes a leaf that requires grad, and the field stays a parameter when frozen or
   * when the module is copied. `null` records the name with no tensor (Linear's absent bias).
   *
   * ```ts
   * class Affine extends nn.Module {
   *   declare w: torch.Tensor;
   *   constructor() {
   *     super();
   *     this.registerParameter("w", torch.ones([3]));
   *   }
   *   forward(x: torch.Tensor) { return x.mul(this.w); }
   * }
   * const m = new Affine();
   * m.w.requiresGrad;                                 // true
   * m.requiresGrad_(false).parameters().length;       // 1
   * ```
   */
  registerParameter(name: string, t: Tensor | null): void {
    if (typeof name !== "string" || name === "" || name.includes(".")) {
      throw new TypeError(`registerParameter: name must be a non-empty string without ".", got ${describe(name)}`);
    }
    if (t !== null && !(t instanceof Tensor)) {
      throw new TypeError(`registerParameter: parameter ${JSON.stringify(name)} must be a Tensor or null, got ${describe(t)}`);
    }
    if (t !== null && !t.isLeaf) {
      throw new Error(`registerParameter: parameter ${JSON.stringify(name)} must be a leaf tensor (it was computed by an op); pass t.detach()`);
    }
    (this as any)[name] = t === null ? null : parameter(t);
    this.fieldKinds()[name] = "parameter";
  }

  /**
   * Assigns field `name` and records it as a buffer (PyTorch's `register_buffer`): state that
   * is not trained — BatchNorm's running statistics — in `stateDict()` and `buffers()`, not
   * in `parameters()`. A non-persistent buffer (`{ persistent: false }`) stays out of the
   * state dict. `null` records the name with no tensor.
   *
   * ```ts
   * class Counter extends nn.Module {
   *   declare count: torch.Tensor;
   *   declare scratch: torch.Tensor;
   *   constructor() {
   *     super();
   *     this.registerBuffer("count", torch.zeros([1]));
   *     this.registerBuffer("scratch", torch.zeros([4]), { persistent: false });
   *   }
   *   forward(x: torch.Tensor) { this.count.add_(1); return x; }
   * }
   * const m = new Counter();
   * Object.keys(m.stateDict());                 // ["count"]
   * m.namedBuffers().map(([name]) => name);     // ["count", "scratch"]
   * ```
   */
  registerBuffer(name: string, t: Tensor | null, options: { persistent?: boolean } = {}): void {
    if (typeof name !== "string" || name === "" || name.includes(".")) {
      throw new TypeError(`registerBuffer: name must be a non-empty string without ".", got ${describe(name)}`);
    }
    if (t !== null && !(t instanceof Tensor)) {
      throw new TypeError(`registerBuffer: buffer ${JSON.stringify(name)} must be a Tensor or null, got ${describe(t)}`);
    }
    const { persistent = true } = checkOptions("registerBuffer", options, ["persistent"]);
    if (typeof persistent !== "boolean") throw new TypeError(`registerBuffer: persistent must be a boolean, got ${describe(persistent)}`);
    (this as any)[name] = t;
    this.fieldKinds()[name] = persistent ? "buffer" : "transient";
  }

  /** Whether own field `key` (holding tensor `t`) is a parameter; remembers it if so. */
  private fieldKind(key: string, t: Tensor): FieldKind {
    const kinds = this.fieldKinds();
    const known = kinds[key];
    if (known !== undefined) return known;
    if (PARAMETERS.has(t) || (t.isLeaf && t.requiresGrad)) {
      PARAMETERS.add(t);
      kinds[key] = "parameter";
      return "parameter";
    }
    return "buffer";
  }

  /** This module's own tensor fields of some kinds, in assignment order. */
  private ownTensors(...kinds: FieldKind[]): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as any)[key];
      if (v instanceof Tensor && kinds.includes(this.fieldKind(key, v))) out.push([key, v]);
    }
    return out;
  }

  /**
   * The direct submodules with their field names, in assignment order (PyTorch's
   * `named_children`).
   *
   * ```ts
   * const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
   * net.namedChildren().map(([name, m]) => `${name}: ${m.constructor.name}`); // ["0: Linear", "1: ReLU"]
   * ```
   */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as any)[key];
      if (v instanceof Module) out.push([key, v]);
    }
    return out;
  }

  /**
   * The direct submodules, in assignment order (PyTorch's `children`).
   *
   * ```ts
   * new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()).children().length; // 2
   * ```
   */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * This module and every submodule, depth first, with dotted names (`""` for this one, or
   * `prefix`); a shared submodule once (PyTorch's `named_modules`).
   *
   * ```ts
   * const net = new nn.Sequential(new nn.Linear(2, 3), new nn.Sequential(new nn.ReLU()));
   * net.namedModules().map(([name]) => name); // ["", "0", "1", "1.0"]
   * ```
   */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (m: Module, pre: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([pre, m]);
      for (const [name, child] of m.namedChildren()) walk(child, pre ? `${pre}.${name}` : name);
    };
    walk(this, prefix);
    return out;
  }

  /**
   * This module and every submodule, depth first, each once (PyTorch's `modules`).
   *
   * ```ts
   * const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
   * net.modules().length; // 3
   * ```
   */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** PyTorch's order: each module's own tensors, module by module (namedModules order); a shared tensor once. */
  private namedTensors(...kinds: FieldKind[]): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [pre, m] of this.namedModules()) {
      for (const [key, t] of m.ownTensors(...kinds)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([pre ? `${pre}.${key}` : key, t]);
      }
    }
    return out;
  }

  /**
   * [name, parameter] pairs with PyTorch's dotted names, e.g. `"0.weight"`, in PyTorch's order;
   * frozen ones too, a shared tensor once (PyTorch's `named_parameters`).
   *
   * ```ts
   * const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
   * net.namedParameters().map(([name, p]) => `${name} ${p.shape}`); // ["0.weight 3,2", "0.bias 3", "2.weight 1,3", "2.bias 1"]
   * ```
   */
  namedParameters(): [string, Tensor][] {
    return this.namedTensors("parameter");
  }

  /**
   * Every parameter of this module and its submodules (frozen ones too, as PyTorch), what an
   * optimizer takes.
   *
   * ```ts
   * const model = new nn.Linear(3, 2);
   * model.parameters().map((p) => p.numel()); // [6, 2]
   * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
   * ```
   */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * [name, buffer] pairs with dotted names, non-persistent buffers included (PyTorch's
   * `named_buffers`). Buffer names keep PyTorch's spelling where a layer's state dict must
   * match PyTorch's (BatchNorm's `running_mean`).
   *
   * ```ts
   * new nn.BatchNorm1d(4).namedBuffers().map(([name]) => name); // ["running_mean", "running_var", "num_batches_tracked"]
   * ```
   */
  namedBuffers(): [string, Tensor][] {
    return this.namedTensors("buffer", "transient");
  }

  /**
   * Every buffer of this module and its submodules (PyTorch's `buffers`).
   *
   * ```ts
   * new nn.BatchNorm1d(4).buffers().length; // 3
   * ```
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * Calls `fn` on every submodule (children first) and then this module, as PyTorch's
   * `apply`; returns this. The usual way to re-initialise weights.
   *
   * ```ts
   * const first = new nn.Linear(2, 3);
   * const net = new nn.Sequential(first, new nn.ReLU(), new nn.Linear(3, 1));
   * net.apply((m) => {
   *   if (m instanceof nn.Linear) nn.init.zeros_(m.weight);
   * });
   * first.weight.abs().sum().item(); // 0
   * ```
   */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== "function") throw new TypeError(`apply: fn must be a function, got ${describe(fn)}`);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Sets `requiresGrad` on every parameter (freeze with false); returns this (PyTorch's
   * `requires_grad_`). Frozen parameters stay in `parameters()`.
   *
   * ```ts
   * const encoder = new nn.Linear(4, 4).requiresGrad_(false);
   * encoder.weight.requiresGrad;   // false
   * encoder.parameters().length;   // 2
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== "boolean") throw new TypeError(`requiresGrad_: requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Sets training mode (`mode = true`) or evaluation mode on this module and every submodule;
   * returns this (PyTorch's `train`).
   *
   * ```ts
   * const drop = new nn.Dropout(0.5);
   * drop.train(false).training; // false
   * drop.train().training;      // true
   * ```
   */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError(`train: mode must be a boolean, got ${describe(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * `train(false)`: evaluation mode (Dropout off, BatchNorm on running statistics); returns
   * this (PyTorch's `eval`).
   *
   * ```ts
   * const bn = new nn.BatchNorm1d(2).eval();
   * bn.training; // false
   * bn.forward(torch.tensor([[1, 2]])); // running stats: tensor([[1.0000, 2.0000]], gradFn=<NativeBatchNormBackward0>)
   * ```
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Resets the grads of every parameter: to null by default (as PyTorch 2.x), or to zeros
   * with `setToNone = false` (PyTorch's `zero_grad`).
   *
   * ```ts
   * const model = new nn.Linear(2, 1);
   * model.forward(torch.ones([1, 2])).sum().backward();
   * model.weight.grad;   // tensor([[1., 1.]])
   * model.zeroGrad();
   * model.weight.grad;   // null
   * ```
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      clearGrad(p, setToNone);
    }
    iterationBoundary();
  }

  /**
   * PyTorch's state_dict keys in its order: own parameters, own buffers, then each child's
   * entries under its name (a tensor shared by two fields appears under both names).
   */
  private stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const path = new Set<Module>(); // a module that contains itself is walked once
    const walk = (m: Module, pre: string): void => {
      path.add(m);
      for (const [key, t] of [...m.ownTensors("parameter"), ...m.ownTensors("buffer")]) out.push([pre + key, t]);
      for (const [name, child] of m.namedChildren()) if (!path.has(child)) walk(child, `${pre}${name}.`);
      path.delete(m);
    };
    walk(this, "");
    return out;
  }

  /**
   * Parameters then buffers by dotted name, as detached tensors sharing their storage (as
   * PyTorch's `state_dict`: no copy; take one with `clone()` to keep a snapshot).
   * `torch.save(sd)` writes PyTorch's .pt, `JSON.stringify(sd)` a JSON form both load from.
   *
   * ```ts
   * const model = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
   * Object.keys(model.stateDict()); // ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"]
   * ```
   */
  stateDict(): Record<string, Tensor> {
    const sd: Record<string, Tensor> = {};
    for (const [name, t] of this.stateEntries()) sd[name] = t.detach();
    return sd;
  }

  /**
   * Copies values into parameters and buffers (PyTorch's `load_state_dict`). Each value is a
   * Tensor, a typed array or number[] of the values, or a tensor's JSON form
   * `{ dtype?, shape, values }` (so `JSON.parse(JSON.stringify(model.stateDict()))` loads).
   * Every key, type, shape, length and value is checked before anything is written, and a
   * refused dict changes nothing (PyTorch copies the valid entries before it raises); with
   * `strict` (the default) missing and unexpected keys are errors. As PyTorch: a size
   * mismatch is an error even with `strict: false`, NaN and ±Infinity load, another dtype
   * is cast (into an integer buffer only values it holds exactly), and a [1]-shaped value
   * loads into a 0-d buffer. Returns PyTorch's `{ missingKeys, unexpectedKeys }`; PyTorch's
   * positional `strict` (a boolean) also works.
   *
   * ```ts
   * const a = new nn.Linear(2, 1), b = new nn.Linear(2, 1);
   * b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
   * b.weight.eq(a.weight).sum().item();                               // 2
   * b.loadStateDict({ weight: [1, 2] }, { strict: false });           // { missingKeys: ["bias"], unexpectedKeys: [] }
   * b.loadStateDict({ weight: [1, 2, 3], bias: [0] });                // throws: size mismatch
   * ```
   */
  loadStateDict(stateDict: StateDict, options: { strict?: boolean } | boolean = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    const owner = `loadStateDict for ${this.constructor.name}`;
    const { strict = true } = typeof options === "boolean" ? { strict: options } : checkOptions(owner, options, ["strict"]);
    if (typeof strict !== "boolean") throw new TypeError(`${owner}: strict must be a boolean, got ${describe(strict)}`);
    if (!isPlainObject(stateDict)) {
      throw new TypeError(`${owner}: stateDict must be an object mapping names to tensors (as stateDict() returns), got ${describe(stateDict)}`);
    }
    const own = new Map(this.stateEntries());
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(stateDict, k);
    const missingKeys = [...own.keys()].filter((k) => !has(k));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !own.has(k));
    const errors: string[] = [];
    if (strict && missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}.`);
    if (strict && unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}.`);
    // every value read once, into its own array: the copies below read nothing they write
    const copies: [Tensor, ArrayLike<number>][] = [];
    for (const [name, t] of own) {
      if (!has(name)) continue;
      const checked = stateValueFor(name, stateDict[name], t);
      if ("problem" in checked) errors.push(checked.problem);
      else copies.push([t, checked.values]);
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    }
    noGrad(() => {
      for (const [t, values] of copies) t.copy_(values);
    });
    return { missingKeys, unexpectedKeys };
  }
}
