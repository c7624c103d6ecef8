// The Optimizer base, after torch/optim/optimizer.py: param groups filled from defaults,
// lazily created per-parameter state, zeroGrad, step hooks, and state dicts keyed by
// parameter index. Subclasses validate options, declare their state, and step each group
// with one fused wasm call (see stepGroups, and fused.ts for the host side of those calls).
import { Tensor } from "../tensor.js";
import { empty } from "../ops/elementwise.js";
import { enableGrad, noGrad } from "../scope.js";
import { bumpVersion, clearGrad, discard, gradOf, iterationBoundary, owned } from "../storage_access.js";
import { fmt } from "../shape.js";

export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [option: string]: any;
}

export type ParamGroupInput = { params: Iterable<Tensor> | Tensor; [option: string]: any };
export type Params = Iterable<Tensor> | Iterable<ParamGroupInput>;
export type ParamState = Record<string, any>;
export type StepHook = (optimizer: Optimizer) => void;

/**
 * What one entry of the per-parameter state holds: "count" a whole number (a step count),
 * "float" a float32 scalar kept as a number (PyTorch: a 0-d tensor), a buffer of the
 * parameter's size (for fused optimizers, with its kernel column: fused.ts), or LBFGS's
 * flat vectors of all the parameters' values ("vector", a list of them "vectors"), and
 * lists of scalars ("floats"; "floatsOrNull" may hold nulls).
 */
export type StateKind = "count" | "float" | "vector" | "vectors" | "floats" | "floatsOrNull" |
  { readonly kind: "buffer"; readonly when?: string };
export type StateSchema = Readonly<Record<string, StateKind>>;

export interface OptimizerStateDict {
  state: Record<number, Record<string, number | number[] | Float32Array>>;
  paramGroups: Record<string, any>[];
}

/** A value that makes an option required (PyTorch's `required`). */
export const required: unique symbol = Symbol("required");

export abstract class Optimizer {
  readonly defaults: Record<string, any>;
  paramGroups: ParamGroup[] = [];
  state = new Map<Tensor, ParamState>();
  private preHooks = new Map<number, StepHook>();
  private postHooks = new Map<number, StepHook>();
  private nextHookId = 0;

  /** This optimizer's per-parameter state, in PyTorch's order (camelCase names). */
  protected abstract stateSchema(): StateSchema;

  constructor(params: Params, defaults: Record<string, any>) {
    this.defaults = defaults;
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
    if (group === null || typeof group !== "object" || group instanceof Tensor || !("params" in group)) {
      throw new Error("param group must be an object with a params field");
    }
    const raw = group.params instanceof Tensor ? [group.params] : [...(group.params as Iterable<Tensor>)];
    for (const p of raw) {
      if (!(p instanceof Tensor)) throw new Error(`optimizer can only optimize Tensors, but one of the params is ${p === null ? "null" : typeof p}`);
      if (!p.isLeaf) throw new Error(`can't optimize a non-leaf Tensor (shape ${fmt(p.shape)})`);
      if (p.isDisposed) throw new Error(`can't optimize a released Tensor (shape ${fmt(p.shape)})`);
    }
    const full: ParamGroup = { ...group, params: raw } as ParamGroup;
    for (const [key, value] of Object.entries(this.defaults)) {
      if (!(key in full) || full[key] === undefined) {
        if (value === required) throw new Error(`parameter group didn't specify a value of required optimization parameter ${key}`);
        full[key] = Array.isArray(value) ? value.slice() : value;
      }
    }
    this.validateGroup(full);
    const seen = new Set<Tensor>();
    for (const other of [...this.paramGroups, ...others]) for (const p of other.params) seen.add(p);
    for (const p of raw) if (seen.has(p)) throw new Error("some parameters appear in more than one parameter group");
    return full;
  }

  /** Throws PyTorch's message for an invalid hyperparameter (called for every group). */
  protected abstract validateGroup(group: ParamGroup): void;

  addParamGroup(group: ParamGroupInput): void {
    this.paramGroups.push(this.prepareGroup(group, []));
  }

  /** Sets grads to null (default) or to zero; an iteration boundary for automatic release. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        clearGrad(p, setToNone);
      }
    }
    iterationBoundary(this);
  }

  /** Runs the closure (with grad enabled) if given, the pre-hooks, one update, the post-hooks. */
  step(closure?: () => Tensor | number): Tensor | number | undefined {
    let loss: Tensor | number | undefined;
    if (closure !== undefined) {
      if (typeof closure !== "function") throw new Error("step(closure): closure must be a function");
      loss = enableGrad(closure);
    }
    for (const hook of this.preHooks.values()) hook(this);
    noGrad(() => this.stepGroups());
    this.bumpStepped();
    for (const hook of this.postHooks.values()) hook(this);
    return loss;
  }

  /** The params a step wrote in place (those with a grad) have a new version, as in PyTorch. */
  protected bumpStepped(): void {
    for (const group of this.paramGroups) for (const p of group.params) if (gradOf(p) !== null) bumpVersion(p);
  }

  /** Updates every group in place. */
  protected abstract stepGroups(): void;

  registerStepPreHook(hook: StepHook): { remove(): void } {
    return this.addHook(this.preHooks, hook);
  }

  registerStepPostHook(hook: StepHook): { remove(): void } {
    return this.addHook(this.postHooks, hook);
  }

  private addHook(map: Map<number, StepHook>, hook: StepHook): { remove(): void } {
    if (typeof hook !== "function") throw new Error("hook must be a function");
    const id = this.nextHookId++;
    map.set(id, hook);
    return { remove: () => { map.delete(id); } };
  }

  // ---- helpers for subclasses ---------------------------------------------------------

  /** Runs the step pre- or post-hooks: for a subclass that overrides step() (LBFGS). */
  protected runStepHooks(which: "pre" | "post"): void {
    for (const hook of (which === "pre" ? this.preHooks : this.postHooks).values()) hook(this);
  }

  /** A kept state tensor of p's shape filled with `value`. */
  protected stateTensor(p: Tensor, value = 0): Tensor {
    const t = empty(p.shape);
    t.fill_(value);
    return owned(t);
  }

  /** Expected number of values of a tensor state entry (default: the parameter's numel). */
  protected stateLength(_key: string, param: Tensor): number {
    return param.numel();
  }

  // ---- state dicts ----------------------------------------------------------------------

  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, any> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") packed[k] = copyValue(v);
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
      for (const [k, v] of Object.entries(st)) entry[k] = v instanceof Tensor ? v.toArray() : copyValue(v);
      state[i] = entry;
    }
    return { state, paramGroups };
  }

  /**
   * Restores a state dict from stateDict(). Checks all of it first (group count, params per
   * group, option names, state names and sizes) and changes nothing if any check fails.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (stateDict === null || typeof stateDict !== "object" || !Array.isArray(stateDict.paramGroups) ||
        stateDict.state === null || typeof stateDict.state !== "object") {
      throw new Error(`${name}.loadStateDict: expected { state, paramGroups } as returned by stateDict()`);
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new Error(`loaded state dict has a different number of parameter groups (${saved.length}; this ${name} has ${this.paramGroups.length})`);
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((sg, gi) => {
      const own = this.paramGroups[gi];
      if (!Array.isArray(sg.params) || sg.params.length !== own.params.length) {
        throw new Error(`loaded state dict contains a parameter group that doesn't match the size of optimizer's group: ` +
          `group ${gi} has ${Array.isArray(sg.params) ? sg.params.length : "no"} params, this ${name}'s has ${own.params.length}`);
      }
      for (const key of Object.keys(this.defaults)) {
        if (!(key in sg)) throw new Error(`loaded state dict's parameter group ${gi} has no option "${key}": was it saved from another optimizer than ${name}?`);
      }
      sg.params.forEach((idx: number, k: number) => byIndex.set(idx, own.params[k]));
    });
    const newState = new Map<Tensor, Record<string, [string, unknown]>>();
    for (const [key, entry] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw new Error(`loaded state dict has state for parameter ${key}, which no parameter group lists`);
      const plan: Record<string, [string, unknown]> = {};
      for (const [k, v] of Object.entries(entry)) {
        const known = Object.keys(this.stateSchema());
        if (!known.includes(k)) {
          throw new Error(`loaded state dict's state for parameter ${key} has "${k}", which ${name} does not use ` +
            `(its state: ${known.join(", ")}): was it saved from another optimizer?`);
        }
        if (v instanceof Float32Array || (Array.isArray(v) && this.isTensorKey(k))) {
          const want = this.stateLength(k, p);
          if ((v as ArrayLike<number>).length !== want) {
            throw new Error(`loaded state dict's "${k}" for parameter ${key} has ${(v as ArrayLike<number>).length} values, ` +
              `but the parameter (shape ${fmt(p.shape)}) needs ${want}`);
          }
          plan[k] = ["tensor", v];
        } else plan[k] = ["value", v];
      }
      newState.set(p, plan);
    }
    // All checked: apply.
    saved.forEach((sg, gi) => {
      const own = this.paramGroups[gi];
      for (const [k, v] of Object.entries(sg)) if (k !== "params") own[k] = copyValue(v);
    });
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof Tensor) discard(v);
    this.state = new Map();
    for (const [p, plan] of newState) {
      const st: ParamState = {};
      for (const [k, [kind, v]] of Object.entries(plan)) {
        if (kind === "tensor") {
          const values = v as ArrayLike<number>;
          const t = empty(values.length === p.numel() ? p.shape : [values.length]);
          t.copy_(values);
          st[k] = owned(t);
        } else st[k] = copyValue(v);
      }
      this.state.set(p, st);
    }
  }

  /** Whether a state entry is a tensor (so a plain array in a loaded dict counts as values). */
  protected isTensorKey(key: string): boolean {
    const kind = this.stateSchema()[key];
    return typeof kind === "object" || kind === "vector";
  }
}

function copyValue(v: any): any {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v instanceof Float32Array) return v.slice();
  if (v instanceof Tensor) return v.toArray();
  return v;
}

