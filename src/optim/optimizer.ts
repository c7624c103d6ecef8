// The Optimizer base, after torch/optim/optimizer.py: param groups filled from defaults,
// lazily created per-parameter state, zeroGrad, the step, state-dict and load-state-dict
// hooks, and state dicts keyed by parameter index (checked completely before they load:
// load_state_dict.ts). Subclasses validate options, declare their state, and update the
// groups (fused.ts for the optimizers stepped by one wasm call per group).
import { Tensor, full } from "../tensor.js";
import { empty } from "../ops/elementwise.js";
import { enableGrad, noGrad } from "../scope.js";
import { bumpVersion, clearGrad, discard, gradOf, iterationBoundary, owned } from "../storage_access.js";
import { fmt } from "../shape.js";
import { refuseUnknownOptions } from "../unknown_option.js";
import { HookList, type RemovableHandle } from "./hooks.js";
import { holdLr } from "./options.js";
import { type LoadPlan, type TensorOption, planLoad } from "./load_state_dict.js";
import { StateBuffer, StateDictError, describe, isPlainObject, stateBuffer } from "./state_values.js";
import { StateMap } from "./state_map.js";

/**
 * One parameter group as the optimizer keeps it (PyTorch's `param_groups` entry): `params`,
 * and every option (`lr`, `momentum`, `betas`, …, camelCase), filled from the constructor's
 * options and then PyTorch's defaults. Changing a field takes effect at the next `step()`.
 *
 * ```ts
 * const w = torch.zeros([2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1 });
 * const group: optim.ParamGroup = opt.paramGroups[0];
 * group.lr = 0.01; // the next step uses 0.01
 * [group.params.length, group.momentum]; // [1, 0]
 * ```
 */
export interface ParamGroup {
  /** The parameters this group's options apply to. */
  params: Tensor[];
  /** The learning rate: a number, or the 1-element Tensor it was given as (options.ts's lrValue reads both). */
  lr: number;
  [option: string]: any;
}

/**
 * A parameter group given to an optimizer's constructor or `addParamGroup`: `params` (an
 * iterable of tensors, or one tensor) and any options that differ from the constructor's.
 *
 * ```ts
 * const body = new nn.Linear(4, 4), head = new nn.Linear(4, 1);
 * const groups: optim.ParamGroupInput[] = [{ params: body.parameters() }, { params: head.parameters(), lr: 0.1 }];
 * const opt = new optim.SGD(groups, { lr: 0.01 });
 * opt.paramGroups.map((g) => g.lr); // [0.01, 0.1]
 * ```
 */
export type ParamGroupInput = { params: Iterable<Tensor> | Tensor; [option: string]: any };
/**
 * What an optimizer's constructor takes first (PyTorch's `params`): an iterable of tensors
 * (one group), or of parameter groups.
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const params: optim.Params = model.parameters();
 * new optim.Adam(params).paramGroups.length;                        // 1
 * new optim.Adam([{ params: [model.weight] }, { params: [model.bias!], weightDecay: 0 }]).paramGroups.length; // 2
 * ```
 */
export type Params = Iterable<Tensor> | Iterable<ParamGroupInput>;
export type ParamState = Record<string, any>;
export type Closure = () => Tensor | number;

/**
 * A step hook: `hook(optimizer, args, kwargs)`, with `args` the arguments step() was called
 * with (`[closure]` or `[]`) and `kwargs` `{}` (JavaScript has no keyword arguments). A
 * pre-hook may return `[newArgs, newKwargs]` to call step with instead (PyTorch's
 * `(new_args, new_kwargs)`); undefined leaves them.
 *
 * ```ts
 * let steps = 0;
 * const hook: optim.StepHook = () => { steps++; };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * opt.registerStepPostHook(hook);
 * opt.step();
 * steps; // 1
 * ```
 */
export type StepHook = (optimizer: Optimizer, args: unknown[], kwargs: Record<string, unknown>) =>
  void | [unknown[], Record<string, unknown>];

/**
 * What one entry of the per-parameter state holds: "count" a whole number (a step count),
 * "float" a float32 scalar kept as a number (PyTorch: a 0-d tensor), a buffer of the
 * parameter's size or of a shape made from the parameter's (for fused optimizers, with its
 * kernel column: fused.ts; `when` names the option that makes the step use it, the others are
 * used by every step; `nonNegative` for buffers that accumulate squares or magnitudes;
 * `shape` for Adafactor's factored moments), or LBFGS's flat
 * vectors of all the parameters' values ("vector", a list of them "vectors"), and lists of
 * scalars ("floats"; "floatsOrNull" may hold nulls).
 */
export type StateKind = "count" | "float" | "vector" | "vectors" | "floats" | "floatsOrNull" | {
  readonly kind: "buffer"; readonly when?: string; readonly nonNegative?: boolean;
  /** The buffer's shape for a parameter's shape, when not the parameter's; null: such a parameter has none. */
  readonly shape?: (paramShape: readonly number[]) => readonly number[] | null;
};
export type StateSchema = Readonly<Record<string, StateKind>>;

/**
 * What `stateDict()` returns: plain data (numbers, arrays, Float32Arrays, `{ tensor, shape }`
 * for a tensor lr) that structuredClone and JSON.stringify/JSON.parse both carry exactly.
 * `torch.save` writes it in PyTorch's layout (snake_case, integer param ids, `step` as a 0-d
 * tensor), which Python's `torch.load` reads.
 *
 * ```ts
 * const w = torch.tensor([1, 2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.pow(2).sum().backward();
 * opt.step();
 * const sd: optim.OptimizerStateDict = JSON.parse(JSON.stringify(opt.stateDict()));
 * sd.state[0].momentumBuffer; // [2, 4]
 * sd.paramGroups[0].params;   // [0]
 * ```
 */
export interface OptimizerStateDict {
  /**
   * Per-parameter state by parameter index (its position over all the groups), with PyTorch's
   * names in camelCase (`step`, `expAvg`, `momentumBuffer`, …).
   */
  state: Record<number, Record<string, number | (number | null)[] | Float32Array | Float32Array[]>>;
  /** Each group's options, with `params` as the parameters' indices. */
  paramGroups: Record<string, any>[];
}

/**
 * Group entries the lr schedulers add (PyTorch's initial_lr, max_lr, min_lr, max_momentum,
 * base_momentum, swa_lr): known names in a group and in a loaded state dict, besides the
 * optimizer's options.
 */
export const SCHEDULER_OPTIONS: readonly string[] = ["initialLr", "maxLr", "minLr", "maxMomentum", "baseMomentum", "swaLr"];

/** A value that makes an option required (PyTorch's `required`). */
export const required: unique symbol = Symbol("required");

/**
 * The base class of every optimizer, as `torch.optim.Optimizer`: parameter groups filled
 * from the constructor's options and PyTorch's defaults, lazily created per-parameter state,
 * `zeroGrad()`, `step(closure?)`, hooks, and a state dict that round-trips exactly (a run
 * saved after k steps and resumed continues bit for bit). A training step:
 *
 * ```ts
 * const model = new nn.Linear(3, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const x = torch.ones([4, 3]), y = torch.zeros([4, 1]);
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   const loss = F.mseLoss(model.forward(x), y);
 *   loss.backward();
 *   opt.step();
 * }
 * opt instanceof optim.Optimizer; // true
 * ```
 */
export abstract class Optimizer {
  /**
   * The constructor's options filled with PyTorch's defaults: what a group (or a group added
   * later) gets for an option it does not set.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * opt.defaults; // { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }
   * ```
   */
  readonly defaults: Record<string, any>;
  /**
   * The parameter groups (PyTorch's `param_groups`): `params` and every option. Mutating a
   * field (`opt.paramGroups[0].lr = 0.01`) takes effect at the next `step()`; lr schedulers
   * work this way.
   *
   * ```ts
   * const opt = new optim.Adam([torch.zeros([1], { requiresGrad: true })], { lr: 0.01 });
   * opt.paramGroups[0].betas;  // [0.9, 0.999]
   * opt.paramGroups[0].lr = 0.001;
   * ```
   */
  paramGroups: ParamGroup[] = [];
  /**
   * Per-parameter state (PyTorch's `state`), keyed by the parameter tensor, created at its
   * first step: PyTorch's entries in camelCase (`step`, `expAvg`, `expAvgSq`,
   * `momentumBuffer`, …).
   *
   * ```ts
   * const w = torch.tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.Adam([w]);
   * w.sum().backward();
   * opt.step();
   * opt.state.get(w)!.step;             // 1
   * opt.state.get(w)!.expAvg;           // tensor([0.1000, 0.1000])
   * ```
   */
  state: Map<Tensor, ParamState> = new StateMap();
  private readonly stepPreHooks = new HookList<StepHook>();
  private readonly stepPostHooks = new HookList<StepHook>();
  private readonly stateDictPreHooks = new HookList<(optimizer: Optimizer) => void>();
  private readonly stateDictPostHooks = new HookList<(optimizer: Optimizer, sd: OptimizerStateDict) => OptimizerStateDict | void>();
  private readonly loadPreHooks = new HookList<(optimizer: Optimizer, sd: OptimizerStateDict) => OptimizerStateDict | void>();
  private readonly loadPostHooks = new HookList<(optimizer: Optimizer) => void>();

  /** This optimizer's per-parameter state, in PyTorch's order (camelCase names). */
  protected abstract stateSchema(): StateSchema;

  /** Throws PyTorch's message for an invalid hyperparameter (called for the defaults and every group). */
  protected abstract validateGroup(group: ParamGroup): void;

  /** Updates every group in place (without a graph; the closure, if any, has run). */
  protected abstract stepGroups(): void;

  constructor(params: Params, defaults: Record<string, any>) {
    this.defaults = defaults;
    // PyTorch checks the constructor's options first, whatever the groups override
    this.validateGroup({ ...defaults, params: [] } as unknown as ParamGroup);
    if (params instanceof Tensor) {
      throw new Error("params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor");
    }
    if (params === null || params === undefined || typeof (params as any)[Symbol.iterator] !== "function") {
      throw new Error(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params === null ? "null" : typeof params}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput>)];
    if (list.length === 0) throw new Error("optimizer got an empty parameter list");
    const groups: ParamGroupInput[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as ParamGroupInput[]);
    // Validate every group before keeping any, so a bad group leaves nothing half-built.
    const staged: ParamGroup[] = [];
    for (const g of groups) staged.push(this.prepareGroup(g, staged));
    this.paramGroups = staged;
  }

  /** Checks a group and fills it from the defaults (PyTorch's add_param_group). */
  private prepareGroup(group: ParamGroupInput, others: ParamGroup[]): ParamGroup {
    const name = this.constructor.name;
    if (!isPlainObject(group) || !("params" in group)) {
      throw new TypeError(`${name}: a param group must be an object with a params field, got ${describe(group)}`);
    }
    refuseUnknownOptions(`${name} param group ${this.paramGroups.length + others.length}`, group,
      ["params", ...Object.keys(this.defaults), ...SCHEDULER_OPTIONS]);
    const raw = group.params instanceof Tensor ? [group.params] : [...(group.params as Iterable<Tensor>)];
    for (const p of raw) {
      if (!(p instanceof Tensor)) throw new Error(`optimizer can only optimize Tensors, but one of the params is ${p === null ? "null" : typeof p}`);
      if (!p.isLeaf) throw new Error(`can't optimize a non-leaf Tensor (shape ${fmt(p.shape)})`);
      if (p.isDisposed) throw new Error(`can't optimize a released Tensor (shape ${fmt(p.shape)})`);
    }
    const filled: ParamGroup = { ...group, params: raw } as ParamGroup;
    for (const [key, value] of Object.entries(this.defaults)) {
      if (!(key in filled) || filled[key] === undefined) {
        if (value === required) throw new Error(`parameter group didn't specify a value of required optimization parameter ${key}`);
        filled[key] = Array.isArray(value) ? value.slice() : value;
      } else if (Array.isArray(filled[key])) filled[key] = filled[key].slice();
    }
    this.validateGroup(filled);
    holdLr(filled);
    const seen = new Set<Tensor>();
    for (const other of [...this.paramGroups, ...others]) for (const p of other.params) seen.add(p);
    for (const p of raw) if (seen.has(p)) throw new Error("some parameters appear in more than one parameter group");
    return filled;
  }

  /**
   * Adds a parameter group (PyTorch's `add_param_group`), filled from the defaults; a
   * parameter may belong to one group only. Schedulers already attached do not see it unless
   * they support it (see each scheduler).
   *
   * ```ts
   * const body = new nn.Linear(2, 2), head = new nn.Linear(2, 1);
   * const opt = new optim.SGD(body.parameters(), { lr: 0.01 });
   * opt.addParamGroup({ params: head.parameters(), lr: 0.1 });
   * opt.paramGroups.map((g) => g.lr); // [0.01, 0.1]
   * opt.addParamGroup({ params: [head.weight] }); // throws: some parameters appear in more than one parameter group
   * ```
   */
  addParamGroup(group: ParamGroupInput): void {
    this.paramGroups.push(this.prepareGroup(group, []));
  }

  /**
   * Resets the grads of every parameter: to null (the default, as PyTorch 2.x) or to zero
   * (`setToNone = false`). Call it before each `backward()`: grads add up otherwise.
   *
   * ```ts
   * const w = torch.ones([2], { requiresGrad: true });
   * const opt = new optim.SGD([w], { lr: 0.1 });
   * w.sum().backward();
   * opt.zeroGrad(false);
   * w.grad;          // tensor([0., 0.])
   * opt.zeroGrad();
   * w.grad;          // null
   * ```
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        clearGrad(p, setToNone);
      }
    }
    iterationBoundary();
  }

  /**
   * One optimization step: the pre-hooks (which may replace the arguments), the update (the
   * closure first, if given, with grad enabled), the post-hooks. Returns the closure's loss.
   * The closure re-evaluates the model (zeroGrad, forward, backward) and returns the loss;
   * LBFGS requires one, the others accept one.
   *
   * ```ts
   * const w = torch.tensor([3], { requiresGrad: true });
   * const opt = new optim.SGD([w], { lr: 0.25 });
   * w.pow(2).sum().backward();   // dL/dw = 6
   * opt.step();
   * w;                           // tensor([1.5000], requiresGrad=true)
   * const loss = opt.step(() => {
   *   opt.zeroGrad();
   *   const l = w.pow(2).sum();
   *   l.backward();
   *   return l;
   * });
   * loss;                        // tensor(2.2500, gradFn=<SumBackward0>)
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    if (this.stepPreHooks.size === 0 && this.stepPostHooks.size === 0) return this.update(closure);
    let args: unknown[] = arguments.length === 0 ? [] : [closure];
    let kwargs: Record<string, unknown> = {};
    for (const hook of this.stepPreHooks.hooks) {
      const result = hook(this, args, kwargs);
      if (result === undefined || result === null) continue;
      if (!Array.isArray(result) || result.length !== 2 || !Array.isArray(result[0]) || !isPlainObject(result[1])) {
        throw new Error(`${this.constructor.name}.step: a step pre-hook must return undefined or [newArgs, newKwargs], ` +
          `but got ${describe(result)}`);
      }
      [args, kwargs] = result;
    }
    const loss = this.update((args.length > 0 ? args[0] : kwargs.closure) as Closure | undefined);
    for (const hook of this.stepPostHooks.hooks) hook(this, args, kwargs);
    return loss;
  }

  /** The step itself: the closure with grad enabled if given, then every group, in place. */
  protected update(closure: Closure | undefined): Tensor | number | undefined {
    let loss: Tensor | number | undefined;
    if (closure !== undefined) {
      if (typeof closure !== "function") throw new TypeError(`${this.constructor.name}.step: closure must be a function, got ${describe(closure)}`);
      loss = enableGrad(closure);
    }
    noGrad(() => this.stepGroups());
    this.bumpStepped();
    return loss;
  }

  /** The params a step wrote in place (those with a grad) have a new version, as in PyTorch. */
  protected bumpStepped(): void {
    for (const group of this.paramGroups) for (const p of group.params) if (gradOf(p) !== null) bumpVersion(p);
  }

  /**
   * Registers `hook(optimizer, args, kwargs)` to run before each `step()` (PyTorch's
   * `register_step_pre_hook`); it may return `[newArgs, newKwargs]` to replace step's
   * arguments. Returns a handle whose `remove()` unregisters it.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const seen: number[] = [];
   * const handle = opt.registerStepPreHook((o) => { seen.push(o.paramGroups[0].lr); });
   * opt.step();
   * handle.remove();
   * opt.step();
   * seen; // [0.1]
   * ```
   */
  registerStepPreHook(hook: StepHook): RemovableHandle {
    return this.stepPreHooks.add(hook, false, "registerStepPreHook");
  }

  /**
   * Registers `hook(optimizer, args, kwargs)` to run after each `step()` (PyTorch's
   * `register_step_post_hook`). Returns a removable handle.
   *
   * ```ts
   * const w = torch.ones([1], { requiresGrad: true });
   * const opt = new optim.SGD([w], { lr: 0.5 });
   * opt.registerStepPostHook(() => { w.grad = null; }); // e.g. clear grads after each step
   * w.sum().backward();
   * opt.step();
   * [w.item(), w.grad]; // [0.5, null]
   * ```
   */
  registerStepPostHook(hook: StepHook): RemovableHandle {
    return this.stepPostHooks.add(hook, false, "registerStepPostHook");
  }

  /**
   * Registers `hook(optimizer)` to run before `stateDict()` builds the dict (PyTorch's
   * `register_state_dict_pre_hook`; `prepend` puts it first). Returns a removable handle.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * let calls = 0;
   * opt.registerStateDictPreHook(() => { calls++; });
   * opt.stateDict();
   * calls; // 1
   * ```
   */
  registerStateDictPreHook(hook: (optimizer: Optimizer) => void, prepend = false): RemovableHandle {
    return this.stateDictPreHooks.add(hook, prepend, "registerStateDictPreHook");
  }

  /**
   * Registers `hook(optimizer, sd)` to run on the dict `stateDict()` built; what it returns (if
   * anything) replaces it (PyTorch's `register_state_dict_post_hook`). Returns a removable
   * handle.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * opt.registerStateDictPostHook((_, sd) => ({ ...sd, paramGroups: sd.paramGroups.map((g) => ({ ...g, note: "x" })) }));
   * opt.stateDict().paramGroups[0].note; // "x"
   * ```
   */
  registerStateDictPostHook(hook: (optimizer: Optimizer, sd: OptimizerStateDict) => OptimizerStateDict | void,
    prepend = false): RemovableHandle {
    return this.stateDictPostHooks.add(hook, prepend, "registerStateDictPostHook");
  }

  /**
   * Registers `hook(optimizer, sd)` to run before `loadStateDict()` checks the dict, on a
   * shallow copy of it; what it returns (if anything) is loaded instead (PyTorch's
   * `register_load_state_dict_pre_hook`). Returns a removable handle.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sd = opt.stateDict();
   * opt.registerLoadStateDictPreHook((_, d) => ({ ...d, paramGroups: d.paramGroups.map((g) => ({ ...g, lr: 0.5 })) }));
   * opt.loadStateDict(sd);
   * opt.paramGroups[0].lr; // 0.5
   * ```
   */
  registerLoadStateDictPreHook(hook: (optimizer: Optimizer, sd: OptimizerStateDict) => OptimizerStateDict | void,
    prepend = false): RemovableHandle {
    return this.loadPreHooks.add(hook, prepend, "registerLoadStateDictPreHook");
  }

  /**
   * Registers `hook(optimizer)` to run after `loadStateDict()` has loaded the dict (PyTorch's
   * `register_load_state_dict_post_hook`). Returns a removable handle.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * let loaded = false;
   * opt.registerLoadStateDictPostHook(() => { loaded = true; });
   * opt.loadStateDict(opt.stateDict());
   * loaded; // true
   * ```
   */
  registerLoadStateDictPostHook(hook: (optimizer: Optimizer) => void, prepend = false): RemovableHandle {
    return this.loadPostHooks.add(hook, prepend, "registerLoadStateDictPostHook");
  }

  // ---- helpers for subclasses ---------------------------------------------------------

  /** A kept state tensor of p's shape (or of `shape`) filled with `value`. */
  protected stateTensor(p: Tensor, value = 0, shape: readonly number[] = p.shape): Tensor {
    const t = empty(shape);
    t.fill_(value);
    return owned(t);
  }

  /** The number of values of a "vector" state entry: every parameter's, flattened. */
  protected vectorLength(): number {
    let n = 0;
    for (const g of this.paramGroups) for (const p of g.params) n += p.numel();
    return n;
  }

  /**
   * The state entries every loaded entry must have: by default every scalar and every buffer
   * the step always uses (a buffer only some options use is checked by the step instead; one
   * only some shapes have, by the load for each parameter).
   */
  protected requiredState(): string[] {
    const schema = this.stateSchema();
    return Object.keys(schema).filter((k) => {
      const kind = schema[k];
      return kind === "count" || kind === "float" || (typeof kind === "object" && kind.when === undefined && kind.shape === undefined);
    });
  }

  /**
   * Entries the optimizer writes into its param groups besides their options, by kind: absent
   * until it writes them, allowed (and checked by kind) in a loaded group, refused in a group
   * a user passes. pytorch_optimizer's LAMB counts its steps per group, in the group.
   */
  protected groupState(): Readonly<Record<string, "count" | "float">> {
    return {};
  }

  /** Checks between a loaded entry's values (LBFGS's history lists), after each value was read. */
  protected checkLoadedEntry(_values: Record<string, unknown>, _param: Tensor, _group: Record<string, unknown>,
    _where: string): void {}

  // ---- state dicts ----------------------------------------------------------------------

  /**
   * The state and the groups' options, with params replaced by their index (PyTorch's
   * `state_dict`), as plain data: buffers are copied into Float32Arrays (whose JSON form is an
   * array of numbers), a tensor lr becomes `{ tensor, shape }`. `torch.save(opt.stateDict())`
   * writes PyTorch's layout.
   *
   * ```ts
   * const w = torch.tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.Adam([w], { lr: 0.01 });
   * w.sum().backward();
   * opt.step();
   * const sd = opt.stateDict();
   * Object.keys(sd.state[0]);     // ["step", "expAvg", "expAvgSq"]
   * Array.from(sd.state[0].expAvg as Float32Array); // [0.1, 0.1]
   * sd.paramGroups[0].lr;         // 0.01
   * ```
   */
  stateDict(): OptimizerStateDict {
    for (const hook of this.stateDictPreHooks.hooks) hook(this);
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, any> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") packed[k] = packOption(v);
      packed.params = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return packed;
    });
    const state: OptimizerStateDict["state"] = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const entry: Record<string, any> = {};
      for (const [k, v] of Object.entries(st)) {
        entry[k] = v instanceof Tensor ? stateBuffer(v)
          : Array.isArray(v) ? v.map((x) => (x instanceof Tensor ? stateBuffer(x) : x)) : v;
      }
      state[i] = entry;
    }
    let sd: OptimizerStateDict = { state, paramGroups };
    for (const hook of this.stateDictPostHooks.hooks) sd = hook(this, sd) ?? sd;
    return sd;
  }

  /**
   * Restores a state dict from `stateDict()` (or its structuredClone, or its JSON text parsed,
   * or `torch.load` of PyTorch's file): PyTorch's `load_state_dict`. Checks all of it first and
   * changes nothing if any check fails; a resumed run continues bit for bit.
   *
   * ```ts
   * const w = torch.tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.Adam([w]);
   * w.sum().backward();
   * opt.step();
   * const saved = JSON.stringify(opt.stateDict());
   * const resumed = new optim.Adam([w]);
   * resumed.loadStateDict(JSON.parse(saved));
   * resumed.state.get(w)!.step; // 1
   * resumed.loadStateDict({ state: {}, paramGroups: [] }); // throws: loaded state dict has a different number of parameter groups
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (!isPlainObject(stateDict)) {
      throw new TypeError(`${name}.loadStateDict: the state dict must be an object { state, paramGroups } as ` +
        `stateDict() returns; got ${describe(stateDict)}`);
    }
    let sd = { ...stateDict } as OptimizerStateDict; // PyTorch's shallow copy, for the hooks
    for (const hook of this.loadPreHooks.hooks) sd = hook(this, sd) ?? sd;
    if (!isPlainObject(sd)) throw new TypeError(`${name}.loadStateDict: a load-state-dict pre-hook returned ${describe(sd)}, not a state dict`);
    let plan: LoadPlan;
    try {
      plan = planLoad({
        name, defaults: this.defaults, groupState: this.groupState(), groups: this.paramGroups, schema: this.stateSchema(),
        required: this.requiredState(),
        vectorLength: this.vectorLength(),
        validateGroup: (g) => this.validateGroup(g),
        checkEntry: (values, param, group, where) => this.checkLoadedEntry(values, param, group, where),
      }, sd as unknown as Record<string, unknown>);
    } catch (e) {
      if (e instanceof StateDictError) e.message = `${name}.loadStateDict: ${e.message}`;
      throw e;
    }
    this.applyLoad(plan);
    for (const hook of this.loadPostHooks.hooks) hook(this);
  }

  /** Replaces the groups' options and the state with a checked plan (nothing here can fail). */
  private applyLoad(plan: LoadPlan): void {
    plan.groups.forEach((options, gi) => {
      // PyTorch replaces the group with the loaded one (keeping its params)
      const own = this.paramGroups[gi];
      for (const k of Object.keys(own)) if (k !== "params" && !(k in options)) delete own[k];
      for (const [k, v] of Object.entries(options)) own[k] = unpackOption(v);
    });
    for (const st of this.state.values()) {
      for (const v of Object.values(st)) {
        if (v instanceof Tensor) discard(v);
        else if (Array.isArray(v)) for (const x of v) if (x instanceof Tensor) discard(x);
      }
    }
    const vector = [this.vectorLength()], schema = this.stateSchema();
    this.state = new StateMap();
    for (const [p, values] of plan.state) {
      const st: ParamState = {};
      for (const [k, v] of Object.entries(values)) {
        st[k] = v instanceof Float32Array ? restore(v, schema[k] === "vector" ? vector : bufferShape(schema[k], p.shape))
          : Array.isArray(v) ? v.map((x) => (x instanceof Float32Array ? restore(x, vector) : x)) : v;
      }
      this.state.set(p, st);
    }
  }
}

/** The shape of a buffer of kind `kind` for a parameter of shape `shape` (planLoad checked it has one). */
function bufferShape(kind: StateKind, shape: readonly number[]): readonly number[] {
  return (typeof kind === "object" ? kind.shape?.(shape) : null) ?? shape;
}

/** A state tensor holding `values`. */
function restore(values: Float32Array, shape: readonly number[]): Tensor {
  const t = empty(shape);
  t.copy_(values);
  return owned(t);
}

function packOption(v: any): any {
  if (Array.isArray(v)) return v.map(packOption);
  if (v instanceof Tensor) return { tensor: v.item(), shape: [...v.shape] } satisfies TensorOption;
  if (v instanceof StateBuffer || v instanceof Float32Array) return v.slice();
  return v;
}

function unpackOption(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unpackOption);
  if (isPlainObject(v)) {
    const { tensor, shape } = v as unknown as TensorOption;
    return owned(full(shape, tensor));
  }
  return v;
}
