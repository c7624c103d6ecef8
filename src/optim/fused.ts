// Host side of the fused step kernels used by SGD and the Adam family: find the params
// with a grad (checking, before anything changes, that nothing needed was released),
// split a group by step count when its params have been stepped unequally, and write the
// kernel's table of pointers.
import type { Tensor } from "../tensor.js";
import { I32, tableScratch } from "../runtime/memory.js";
import type { ParamGroup, ParamState } from "./optimizer.js";

/** Flag bits shared by assembly/optim/moments.ts. */
export const MAXIMIZE = 1;
export const WEIGHT_DECAY = 2;

/** Params of one group stepped together, with their state (same order). */
export interface Batch {
  params: Tensor[];
  states: (ParamState | undefined)[];
}

/**
 * The params with a grad, per group. Reads every pointer the step will use (param, grad,
 * the state tensors named in `keys`), so a released tensor throws here, before any group
 * is updated.
 */
export function paramsWithGrads(groups: readonly ParamGroup[], state: Map<Tensor, ParamState>,
  keys: readonly string[]): Batch[] {
  const out: Batch[] = [];
  const nKeys = keys.length;
  for (const group of groups) {
    const params: Tensor[] = [], states: (ParamState | undefined)[] = [];
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      p._ptr;
      g._ptr;
      const st = state.get(p);
      if (st !== undefined) for (let k = 0; k < nKeys; k++) stateTensorPtr(st, keys, k);
      params.push(p);
      states.push(st);
    }
    out.push({ params, states });
  }
  return out;
}

/** Fills in the state of params that have none yet (PyTorch's lazy initialisation). */
export function initStates(batch: Batch, state: Map<Tensor, ParamState>, init: (p: Tensor) => ParamState): ParamState[] {
  const { params, states } = batch;
  for (let i = 0; i < params.length; i++) {
    if (states[i] === undefined) state.set(params[i], (states[i] = init(params[i])));
  }
  return states as ParamState[];
}

/**
 * Splits a batch into runs whose states share `key(state)` (the step count, say), keeping
 * their order. The usual case, one key for the whole group, returns `[batch]` as is.
 */
export function bucketBy(batch: Batch, key: (st: ParamState) => number | string): Batch[] {
  const { params, states } = batch;
  if (params.length === 0) return [];
  const first = key(states[0]!);
  let same = true;
  for (let i = 1; i < params.length && same; i++) same = key(states[i]!) === first;
  if (same) return [batch];
  const buckets = new Map<number | string, Batch>();
  for (let i = 0; i < params.length; i++) {
    const k = key(states[i]!);
    let b = buckets.get(k);
    if (b === undefined) buckets.set(k, (b = { params: [], states: [] }));
    b.params.push(params[i]);
    b.states.push(states[i]);
  }
  return [...buckets.values()];
}

/**
 * Writes one i32 row per param — numel, param, grad, then each of `keys` from its state
 * (0 where absent), then `extra(i)` if given — into the table block; returns its pointer.
 */
export function writeRows(batch: Batch, keys: readonly string[], extra?: (i: number) => number): number {
  const { params, states } = batch;
  const width = 3 + keys.length + (extra === undefined ? 0 : 1);
  const ptr = tableScratch(Math.max(params.length, 1) * width * 4);
  const view = I32(); // after tableScratch, which can grow memory
  let at = ptr >>> 2;
  for (let i = 0; i < params.length; i++) {
    const p = params[i], st = states[i];
    view[at] = p._size;
    view[at + 1] = p._ptr;
    view[at + 2] = p.grad!._ptr;
    for (let k = 0; k < keys.length; k++) view[at + 3 + k] = st === undefined ? 0 : stateTensorPtr(st, keys, k);
    if (extra !== undefined) view[at + 3 + keys.length] = extra(i);
    at += width;
  }
  return ptr;
}

/**
 * The pointer of state tensor `keys[k]` (0 if absent). One load site per position, so that
 * each sees a single property name: a keyed load that sees several names (or misses) goes
 * megamorphic in V8 and costs tens of ns per parameter per step.
 */
function stateTensorPtr(st: ParamState, keys: readonly string[], k: number): number {
  let t: Tensor | undefined;
  if (k === 0) t = st[keys[0]];
  else if (k === 1) t = st[keys[1]];
  else if (k === 2) t = st[keys[2]];
  else t = st[keys[k]];
  return t === undefined ? 0 : t._ptr;
}

/** Options shared by the Adam family, checked with PyTorch's messages and order. */
export function checkAdamOptions(name: string, group: ParamGroup, defaults: Record<string, unknown>): void {
  checkOptionTypes(name, group, defaults);
  if (!(group.lr >= 0)) throw new Error(`Invalid learning rate: ${group.lr}`);
  if (!(group.eps >= 0)) throw new Error(`Invalid epsilon value: ${group.eps}`);
  const betas = group.betas as number[];
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new Error(`Invalid beta parameter at index 0: ${betas[0]}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new Error(`Invalid beta parameter at index 1: ${betas[1]}`);
  if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
}

/**
 * The constructor's options over PyTorch's defaults: `undefined` means the default; a name
 * the optimizer doesn't have is refused, as Python refuses an unexpected keyword argument.
 */
export function withOptions(name: string, options: unknown, defaults: Record<string, unknown>): Record<string, any> {
  if (options === undefined || options === null) return { ...defaults };
  if (typeof options !== "object" || Array.isArray(options)) throw new TypeError(`${name}: options must be an object, got ${show(options)}`);
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(options)) {
    if (!(key in defaults)) throw new TypeError(`${name}: unknown option "${key}" (options: ${Object.keys(defaults).join(", ")})`);
    if (v !== undefined) out[key] = Array.isArray(v) ? v.slice() : v;
  }
  return out;
}

/** Every option of a group has its default's type: number, boolean, or a pair of numbers. */
export function checkOptionTypes(name: string, group: ParamGroup, defaults: Record<string, unknown>): void {
  for (const [key, d] of Object.entries(defaults)) {
    const v = group[key];
    const ok = typeof d === "number" ? typeof v === "number"
      : typeof d === "boolean" ? typeof v === "boolean"
      : Array.isArray(d) ? Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number") : true;
    if (!ok) {
      const want = typeof d === "number" ? "a number" : typeof d === "boolean" ? "a boolean" : "a pair of numbers";
      throw new TypeError(`${name}: option ${key} must be ${want}, got ${show(v)}`);
    }
  }
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return v === null ? "null" : typeof v === "object" ? "an object" : String(v);
}
