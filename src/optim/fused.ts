// The base of every optimizer stepped by a fused wasm kernel (all but LBFGS). A subclass
// gives its state (names, kinds, and the kernel's table column of each buffer), its state
// initialisation and one kernel launch; this file does the rest of a step: find the params
// with a grad (checking, before anything changes, that every tensor the step reads is live
// and of the right size, and writing the kernel's table of pointers on the way), create
// missing state, split a group where its params' state differs (step counts, say), and
// write the table again where the first one cannot be used (see Gathered).
//
// The per-parameter work is what a step of many small tensors costs (bench/workloads/
// optim.mjs, Adam over 100 tensors), so each tensor is read once per step: its pointer read
// is its liveness check, its version is bumped while its storage is at hand, and each
// param's state object is kept from the last step while opt.state has not changed (StateMap).
//
// The table's layout is the kernel's: the fixed columns (numel, param, grad), each state
// column, the row width and the flag bits are constants exported by the wasm module
// (assembly/optim/table.ts and each kernel file) and read here from the instance, typed by
// the declarations asc generates, so they are written once, in AssemblyScript.
//
// Two optimizers need more than element-wise state, and the layout says so declaratively:
// a buffer may have its own shape, a function of the parameter's (Adafactor's row and column
// moments, which a vector does not have at all); a row may carry whole numbers besides its
// pointers (a matrix's rows and columns); and a kernel may need working memory (Muon's
// Newton–Schulz matrices, Adafactor's column sums), one block per optimizer, grown to the
// largest parameter and reserved before any pointer of the call is read.
import type { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { bumpVersion, discard, gradOf, kernelTable, owned, ptr, shapeOf, sweepCount, unbumpVersion } from "../storage_access.js";
import { empty } from "../ops/elementwise.js";
import { Optimizer, type ParamGroup, type ParamState, type StateSchema } from "./optimizer.js";
import { holdLr } from "./options.js";
import { StateMap } from "./state_map.js";

/** An i32 constant exported by the wasm module. */
type Exported = { readonly value: number };

/** A shape as a function of the parameter's (null: a parameter of that shape has no such buffer). */
export type ShapeOf = (paramShape: readonly number[]) => readonly number[] | null;

/** The flag bits every fused kernel takes; each kernel defines its own from 4 up. */
export const MAXIMIZE = K.MAXIMIZE.value;
export const WEIGHT_DECAY = K.WEIGHT_DECAY.value;
const NUMEL = K.ROW_NUMEL.value, PARAM = K.ROW_PARAM.value, GRAD = K.ROW_GRAD.value;

/** A state buffer held in a kernel's table column (a StateSchema entry). */
export interface Column {
  readonly kind: "buffer";
  readonly column: number;
  /** The group option that makes the kernel read this column (absent: always read). */
  readonly when?: string;
  /** Created by the step when missing (SGD's momentum buffer), not an error. */
  readonly createdOnUse?: boolean;
  /** Never negative (it accumulates squares or magnitudes): a loaded value below 0 is refused. */
  readonly nonNegative?: boolean;
  /** The buffer's shape, when it is not the parameter's (every step of a param that has it reads it). */
  readonly shape?: ShapeOf;
}

/** A kernel column for a state buffer, from the constant the kernel file exports. */
export function column(exported: Exported,
  options: { when?: string; createdOnUse?: boolean; nonNegative?: boolean; shape?: ShapeOf } = {}): Column {
  return Object.freeze({ kind: "buffer", column: exported.value, ...options });
}

/** What a kernel reads besides its state columns (fusedLayout's third argument). */
export interface LayoutExtras {
  /** Whole-number columns of a row, each a function of the parameter's shape (a matrix's rows, columns). */
  sizes?: readonly (readonly [Exported, (paramShape: readonly number[]) => number])[];
  /** f32 elements of working memory the kernel needs for a parameter of this shape. */
  scratch?: (paramShape: readonly number[]) => number;
}

/**
 * A fused optimizer's per-parameter state and its kernel's row width, with the buffers'
 * names, columns and conditions as parallel arrays (what the per-parameter loops read).
 */
export interface FusedLayout {
  readonly schema: StateSchema;
  readonly width: number;
  readonly names: readonly string[];
  readonly columns: readonly number[];
  readonly when: readonly (string | undefined)[];
  readonly createdOnUse: readonly boolean[];
  /** Each buffer's shape function (undefined: the parameter's shape). */
  readonly shapes: readonly (ShapeOf | undefined)[];
  readonly sizes: readonly (readonly [number, (paramShape: readonly number[]) => number])[];
  readonly scratch: ((paramShape: readonly number[]) => number) | null;
}

export function fusedLayout(width: Exported, schema: StateSchema, extras: LayoutExtras = {}): FusedLayout {
  const buffers = Object.entries(schema).filter((e): e is [string, Column] => typeof e[1] === "object");
  return Object.freeze({
    schema: Object.freeze({ ...schema }),
    width: width.value,
    names: buffers.map(([name]) => name),
    columns: buffers.map(([, c]) => c.column),
    when: buffers.map(([, c]) => c.when),
    createdOnUse: buffers.map(([, c]) => c.createdOnUse === true),
    shapes: buffers.map(([, c]) => c.shape),
    sizes: (extras.sizes ?? []).map(([c, f]) => [c.value, f] as const),
    scratch: extras.scratch ?? null,
  });
}

/** The number of values of buffer k of a parameter of shape `shape`, or −1 if it has none. */
function bufferNumel(layout: FusedLayout, k: number, shape: readonly number[], numel: number): number {
  const shapeOf = layout.shapes[k];
  if (shapeOf === undefined) return numel;
  const s = shapeOf(shape);
  return s === null ? -1 : s.reduce((a, b) => a * b, 1);
}

/** Which of the layout's buffers the kernel reads under `group`'s options: bit k for buffer k. */
function readBits(layout: FusedLayout, group: ParamGroup): number {
  const when = layout.when;
  let bits = 0;
  for (let k = 0; k < when.length; k++) {
    const option = when[k];
    if (option === undefined || !!group[option]) bits |= 1 << k;
  }
  return bits;
}

/** The rows of the table being written (copied into wasm memory by kernelTable). */
let rowScratch = new Int32Array(64);

/** Params of one group stepped together, with their state (same order). */
export interface Batch {
  params: Tensor[];
  states: ParamState[];
}

/**
 * A group's params with a grad, as gather() found them, with the kernel's table rows it
 * wrote while checking them: reused by the launch when the whole batch is one kernel call,
 * every param had all the state the kernel reads, and no sweep ran since (a sweep is the
 * only thing that moves storage out of wasm memory and frees its block).
 */
interface Gathered extends Batch {
  /** Room for a row per param of the group. */
  rows: Int32Array;
  /** The rows of `params` (a view of `rows`, made again only when their number changes). */
  table: Int32Array;
  /** Every row has each buffer the kernel reads (false: some state was missing, so initStates adds it). */
  complete: boolean;
  /** sweepCount() when the rows' pointers were read. */
  sweeps: number;
  /** The state the last gather() found for each of the group's params (keys[i] the param found[i] is of). */
  keys: (Tensor | undefined)[];
  found: (ParamState | undefined)[];
  /** Every param had its state (initStates has nothing to add). */
  allFound: boolean;
  /** ... and all share one step count (or the optimizer has no bucket key): one kernel call, `alone`. */
  oneBucket: boolean;
  alone: Batch[];
}

/** How a group's params split into kernel calls: by step count, by a key of their state, or not at all. */
export type BucketKey = "step" | ((st: ParamState) => number | string) | null;

export abstract class FusedOptimizer extends Optimizer {
  protected abstract readonly layout: FusedLayout;
  /** Which params one kernel call can step together (default: those with the same step count). */
  protected readonly bucketKey: BucketKey = "step";
  /** The kernel's working memory (layouts with `scratch`), kept and grown as needed. */
  private scratchBlock: Tensor | null = null;
  /** gather()'s batches, one per group, refilled by every step. */
  private readonly gathered: Gathered[] = [];
  /** The state map the last gather() read, and its count of changes then (StateMap). */
  private seenState: Map<Tensor, ParamState> | null = null;
  private seenChanges = 0;

  /** A parameter's state before its first step (PyTorch's lazy initialisation). */
  protected abstract initState(p: Tensor, group: ParamGroup): ParamState;

  /**
   * One kernel call over `table` (a row per param of `batch`, all sharing their
   * step-dependent state): the scalars, computed in f64 in PyTorch's order, then the call,
   * then the per-parameter scalar state (step counts).
   */
  protected abstract launch(group: ParamGroup, batch: Batch, table: number): void;

  protected override stateSchema(): StateSchema {
    return this.layout.schema;
  }

  protected override stepGroups(): void {
    const groups = this.paramGroups;
    const live = this.gather();
    for (let gi = 0; gi < groups.length; gi++) {
      const batch = live[gi];
      if (batch.params.length === 0) continue;
      const group = groups[gi];
      this.initStates(group, batch);
      const buckets = this.buckets(group, batch);
      for (let b = 0; b < buckets.length; b++) {
        const bucket = buckets[b];
        if (this.layout.scratch !== null) this.reserveScratch(bucket);
        this.launch(group, bucket, bucket === batch && batch.complete && batch.sweeps === sweepCount()
          ? kernelTable(batch.table as ArrayLike<number> as readonly number[])
          : this.table(group, bucket));
      }
    }
  }

  /**
   * Makes the scratch block large enough for `batch` (before the table's pointers are read:
   * allocating may move unused storage out of wasm memory).
   */
  private reserveScratch(batch: Batch): void {
    const scratch = this.layout.scratch!;
    let need = 1;
    for (const p of batch.params) need = Math.max(need, scratch(p.shape));
    if (this.scratchBlock !== null && this.scratchBlock.numel() >= need) return;
    if (this.scratchBlock !== null) discard(this.scratchBlock);
    this.scratchBlock = owned(empty([need]));
  }

  /** The scratch block's pointer, read inside the kernel call's argument list (layouts with `scratch`). */
  protected scratchPointer(): number {
    return ptr(this.scratchBlock!);
  }

  /**
   * The params with a grad, per group. Reads every tensor the step will use (param, grad,
   * the state buffers), so a released one, a buffer of another size, or a buffer the
   * group's options need but the state lacks throws here, before any group is updated.
   * The pointers it reads on the way (ptr() is also the liveness check) make each group's
   * table rows, which the launch uses if nothing could have moved them since (Gathered).
   * Each param's version is bumped once its checks pass, while its storage is at hand
   * (bumpStepped does nothing here); a refused step takes the bumps back.
   */
  private gather(): Gathered[] {
    const groups = this.paramGroups, out = this.gathered;
    // The batches are reused from step to step: no garbage per step.
    while (out.length < groups.length) {
      const batch: Gathered = { params: [], states: [], rows: new Int32Array(0), table: new Int32Array(0), complete: false, sweeps: 0,
        keys: [], found: [], allFound: false, oneBucket: false, alone: [] };
      batch.alone.push(batch);
      out.push(batch);
    }
    if (out.length !== groups.length) out.length = groups.length;
    const sweeps = sweepCount();
    // Each param's state as the last step found it, if the map has not changed since.
    const stateMap = this.state;
    const unchanged = stateMap === this.seenState && stateMap instanceof StateMap && stateMap.changes === this.seenChanges;
    let gi = 0;
    try {
      for (; gi < groups.length; gi++) this.gatherGroup(groups[gi], out[gi], stateMap, unchanged, sweeps);
    } catch (e) {
      for (let j = 0; j < gi; j++) for (const p of out[j].params) unbumpVersion(p);
      throw e;
    }
    this.seenState = stateMap;
    this.seenChanges = stateMap instanceof StateMap ? stateMap.changes : 0;
    return out;
  }

  /** gather() for one group: fills `batch` (and takes back its own bumps if a check fails). */
  private gatherGroup(group: ParamGroup, batch: Gathered, stateMap: Map<Tensor, ParamState>, unchanged: boolean, sweeps: number): void {
    const layout = this.layout, width = layout.width, names = layout.names, nBuffers = names.length;
    const columns = layout.columns, shapes = layout.shapes, sizes = layout.sizes;
    holdLr(group);
    const { params, states, keys, found } = batch;
    const read = readBits(layout, group);
    const candidates = group.params;
    let rows = batch.rows;
    if (rows.length < candidates.length * width) {
      rows = batch.rows = new Int32Array(candidates.length * width);
      batch.table = rows.subarray(0, 0);
    }
    while (keys.length < candidates.length) { keys.push(undefined); found.push(undefined); } // packed, never holey
    if (keys.length > candidates.length) keys.length = found.length = candidates.length; // holds no param the group dropped
    // The default bucket key, the step count, is compared here, where each state is at hand.
    const byStep = this.bucketKey === "step";
    let count = 0, complete = true, allFound = true, oneBucket = byStep || this.bucketKey === null, step = 0;
    try {
      for (let i = 0; i < candidates.length; i++) {
        const p = candidates[i];
        const g = gradOf(p);
        if (g === null) continue;
        const at = count * width, n = p.numel();
        rows[at + NUMEL] = n;
        rows[at + PARAM] = ptr(p);
        rows[at + GRAD] = ptr(g);
        for (let j = 0; j < sizes.length; j++) rows[at + sizes[j][0]] = sizes[j][1](p.shape);
        let st: ParamState | undefined;
        if (unchanged && keys[i] === p) st = found[i];
        else {
          st = stateMap.get(p);
          keys[i] = p;
          found[i] = st;
        }
        if (st === undefined) complete = allFound = false;
        else {
          if (byStep) {
            if (count === 0) step = st.step as number;
            else if (st.step !== step) oneBucket = false;
          }
          for (let k = 0; k < nBuffers; k++) {
            let pointer = 0;
            // A buffer the kernel does not read under these options (amsgrad's, with amsgrad
            // off) is not checked: this step never uses it.
            if ((read & (1 << k)) !== 0) {
              const want = shapes[k] === undefined ? n : bufferNumel(layout, k, p.shape, n);
              if (want >= 0) { // else a buffer this parameter's shape does not have: never read
                const t = stateTensor(st, names[k]);
                if (t === undefined) {
                  if (!layout.createdOnUse[k]) this.missingState(p, k);
                  complete = false;
                } else {
                  pointer = ptr(t);
                  if (t.numel() !== want) {
                    throw new Error(`${this.constructor.name}.step: the state ${names[k]} of a parameter of shape ` +
                      `${shapeOf(p)} has ${t.numel()} values, not ${want}`);
                  }
                }
              }
            }
            rows[at + columns[k]] = pointer;
          }
        }
        bumpVersion(p);
        // overwritten in place (emptying an array frees its backing store in V8)
        if (params[count] !== p) params[count] = p;
        if (states[count] !== st || count >= states.length) states[count] = st as ParamState;
        count++;
      }
    } catch (e) {
      for (let j = 0; j < count; j++) unbumpVersion(params[j]);
      throw e;
    }
    if (params.length !== count || states.length !== count) {
      params.length = count;
      states.length = count;
    }
    if (batch.table.length !== count * width) batch.table = rows.subarray(0, count * width);
    batch.complete = complete;
    batch.allFound = allFound;
    batch.oneBucket = allFound && oneBucket;
    batch.sweeps = sweeps;
  }

  /** The step's version bumps were made by gather(). */
  protected override bumpStepped(): void {}

  /** Throws for a parameter's state without buffer k, which the step reads. */
  private missingState(p: Tensor, k: number): never {
    const name = this.layout.names[k], option = this.layout.when[k];
    throw new Error(option === undefined
      ? `${this.constructor.name}.step: the state of a parameter of shape ${shapeOf(p)} has no ${name}, which every step reads`
      : `${this.constructor.name}: a parameter's state has no ${name}: ${option} was turned on after its ` +
        `state was created (PyTorch raises KeyError here)`);
  }

  /**
   * Fills in the state of params that have none yet. An override may add state where gather()
   * found none, and must not replace state it found (gather's rows point at it).
   */
  protected initStates(group: ParamGroup, batch: Batch): void {
    if ((batch as Partial<Gathered>).allFound === true) return;
    const { params, states } = batch;
    for (let i = 0; i < params.length; i++) {
      if (states[i] === undefined) this.state.set(params[i], (states[i] = this.initState(params[i], group)));
    }
  }

  protected buckets(_group: ParamGroup, batch: Batch): Batch[] {
    const gathered = batch as Partial<Gathered>;
    return gathered.oneBucket === true ? gathered.alone! : bucketBy(batch, this.bucketKey);
  }

  /**
   * Writes one row per param (numel, param, grad, then each state column the kernel reads
   * under the group's options; 0 in the others, which it does not read) into the table
   * block; returns its pointer. Never hands the kernel pointer 0 for a column it reads.
   * (The path for a batch whose gathered rows cannot be used: see stepGroups.)
   */
  private table(group: ParamGroup, batch: Batch): number {
    const layout = this.layout, width = layout.width, names = layout.names, columns = layout.columns;
    const read = readBits(layout, group);
    const { params, states } = batch;
    // Every pointer first (a storage moved out of wasm memory comes back, which can grow
    // memory), then the table through a view taken after the last allocation.
    const size = params.length * width;
    if (rowScratch.length < size) rowScratch = new Int32Array(Math.max(size, 2 * rowScratch.length));
    const rows = rowScratch.subarray(0, size);
    rows.fill(0);
    for (let i = 0, at = 0; i < params.length; i++, at += width) {
      const p = params[i], st = states[i];
      rows[at + NUMEL] = p.numel();
      rows[at + PARAM] = ptr(p);
      rows[at + GRAD] = ptr(gradOf(p)!);
      for (const [c, size] of layout.sizes) rows[at + c] = size(p.shape);
      for (let k = 0; k < names.length; k++) {
        if ((read & (1 << k)) === 0 || (layout.shapes[k] !== undefined && bufferNumel(layout, k, p.shape, 0) < 0)) continue;
        const t = st === undefined ? undefined : stateTensor(st, names[k]);
        const pointer = t === undefined ? 0 : ptr(t);
        if (pointer === 0) {
          throw new Error(`internal error: ${this.constructor.name} would pass pointer 0 for the ${names[k]} of a ` +
            `parameter of shape ${shapeOf(p)}; the kernel was not called`);
        }
        rows[at + columns[k]] = pointer;
      }
    }
    // kernelTable copies any array-like (typed: one memcpy)
    return kernelTable(rows as ArrayLike<number> as readonly number[]);
  }
}

/**
 * Splits a batch into runs whose states share a key (by default the step count), keeping
 * their order. The usual case, one key for the whole group, returns `[batch]` as is.
 */
export function bucketBy(batch: Batch, key: BucketKey): Batch[] {
  const { params, states } = batch;
  const n = params.length;
  if (n === 0) return [];
  if (key === null) return [batch];
  // The default key is read inline: a call of a key function per parameter cost about 5%
  // of a 100-tensor Adagrad step (bench/optim.mjs).
  let same = 1;
  if (key === "step") {
    const first = states[0].step;
    while (same < n && states[same].step === first) same++;
  } else {
    const first = key(states[0]);
    while (same < n && key(states[same]) === first) same++;
  }
  if (same === n) return [batch];
  const keyOf = key === "step" ? (st: ParamState) => st.step as number : key;
  const buckets = new Map<number | string, Batch>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(states[i]);
    let b = buckets.get(k);
    if (b === undefined) buckets.set(k, (b = { params: [], states: [] }));
    b.params.push(params[i]);
    b.states.push(states[i]);
  }
  return [...buckets.values()];
}

/**
 * State buffer `name` (undefined if absent). One named load per state name: a keyed load
 * `st[name]` that sees several names (several optimizers in one process, or a missing
 * entry) goes megamorphic in V8 and costs tens of ns per parameter per step. A name not
 * listed here still works, through the keyed load.
 */
function stateTensor(st: ParamState, name: string): Tensor | undefined {
  switch (name) {
    case "expAvg": return st.expAvg;
    case "expAvgSq": return st.expAvgSq;
    case "maxExpAvgSq": return st.maxExpAvgSq;
    case "expInf": return st.expInf;
    case "momentumBuffer": return st.momentumBuffer;
    case "squareAvg": return st.squareAvg;
    case "gradAvg": return st.gradAvg;
    case "accDelta": return st.accDelta;
    case "sum": return st.sum;
    case "ax": return st.ax;
    case "prev": return st.prev;
    case "stepSize": return st.stepSize;
    default: return st[name];
  }
}
