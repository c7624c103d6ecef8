// Host side of the fused step kernels (every optimizer but LBFGS): find the params with a
// grad (checking, before anything changes, that nothing the step reads was released),
// create missing state, split a group where its params' state differs (step counts, say),
// and write the kernel's table of pointers (rows read by assembly/optim/table.ts).
import type { Tensor } from "../tensor.js";
import { assertLive, gradOf, kernelTable, ptr } from "../storage_access.js";
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
      const g = gradOf(p);
      if (g === null) continue;
      assertLive(p);
      assertLive(g);
      const st = state.get(p);
      if (st !== undefined) for (let k = 0; k < nKeys; k++) { const t = stateTensor(st, keys, k); if (t !== undefined) assertLive(t); }
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
 * Splits a batch into runs whose states share `key(state)`, by default the step count,
 * keeping their order. The usual case, one key for the whole group, returns `[batch]` as is.
 */
export function bucketBy(batch: Batch, key?: (st: ParamState) => number | string): Batch[] {
  const { params, states } = batch;
  const n = params.length;
  if (n === 0) return [];
  // The default key is read inline: a call of a key function per parameter cost about 5%
  // of a 100-tensor Adagrad step (bench/optim.mjs).
  let same = 1;
  if (key === undefined) {
    const first = states[0]!.step;
    while (same < n && states[same]!.step === first) same++;
  } else {
    const first = key(states[0]!);
    while (same < n && key(states[same]!) === first) same++;
  }
  if (same === n) return [batch];
  const keyOf = key ?? ((st: ParamState) => st.step);
  const buckets = new Map<number | string, Batch>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(states[i]!);
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
  // Every pointer first (a storage moved out of wasm memory comes back, which can grow
  // memory), then the table through a view taken after the last allocation.
  const rows = new Array<number>(params.length * width);
  let at = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i], st = states[i];
    rows[at] = p.numel();
    rows[at + 1] = ptr(p);
    rows[at + 2] = ptr(gradOf(p)!);
    for (let k = 0; k < keys.length; k++) {
      const t = st === undefined ? undefined : stateTensor(st, keys, k);
      rows[at + 3 + k] = t === undefined ? 0 : ptr(t);
    }
    if (extra !== undefined) rows[at + 3 + keys.length] = extra(i);
    at += width;
  }
  return kernelTable(rows);
}

/**
 * State tensor `keys[k]` (undefined if absent). One named load per state name: a
 * keyed load `st[key]` that sees several names (several optimizers in one process, or a
 * missing entry) goes megamorphic in V8 and costs tens of ns per parameter per step.
 */
function stateTensor(st: ParamState, keys: readonly string[], k: number): Tensor | undefined {
  let t: Tensor | undefined;
  switch (keys[k]) {
    case "expAvg": t = st.expAvg; break;
    case "expAvgSq": t = st.expAvgSq; break;
    case "maxExpAvgSq": t = st.maxExpAvgSq; break;
    case "expInf": t = st.expInf; break;
    case "momentumBuffer": t = st.momentumBuffer; break;
    case "squareAvg": t = st.squareAvg; break;
    case "gradAvg": t = st.gradAvg; break;
    case "accDelta": t = st.accDelta; break;
    case "sum": t = st.sum; break;
    case "ax": t = st.ax; break;
    case "prev": t = st.prev; break;
    case "stepSize": t = st.stepSize; break;
    default: t = st[keys[k]];
  }
  return t;
}
