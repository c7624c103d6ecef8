// Reverse-mode autograd, micrograd-style: every op that records gives its output a
// GradNode (PyTorch's grad_fn) with one edge per input — the input's own node, the leaf
// itself (whose .grad accumulates), or null. backward() walks the nodes in reverse
// topological order, then frees the graph (PyTorch's retain_graph=False).
//
// Edges are taken when the op runs, so an in-place op that later gives a tensor a new
// node does not reroute the graphs already built from it (as in PyTorch). A node lists
// the tensors its backward reads with their versions then; backward() refuses to run if
// an in-place op changed one since (PyTorch's version counters).
import type { Tensor } from "./tensor.js";
import { iterationBoundary } from "./runtime/storage.js";
import { K } from "./runtime/wasm.js";
import { fmt } from "./shape.js";

export type Edge = GradNode | Tensor | null;

export interface GradNode {
  readonly name: string;
  /** One per input: its node, the leaf tensor itself, or null (no grad needed). */
  next: Edge[];
  /** Gradients for each input (null where none is needed); null once the graph is freed. */
  backward: ((g: Tensor) => (Tensor | null)[]) | null;
  /** Tensors the backward reads, their versions when the op ran, and which one is the op's own output. */
  reads: readonly Tensor[];
  versions: number[];
  output: Tensor | null;
  /** Engine-only tensors saved for backward, freed with the graph. */
  saved: readonly Tensor[] | undefined;
  visit: number;
  pending: Tensor | null;
}

let gradEnabled = true;
let detectAnomaly = false;

/**
 * `torch.autograd.setDetectAnomaly(true)` (PyTorch's `torch.autograd.set_detect_anomaly`):
 * backward() checks every gradient an op returns and throws, naming the op, at the first NaN
 * (PyTorch's anomaly mode, check_nan=True); nothing is written to any .grad then. Off by
 * default: it reads every gradient once more.
 *
 * ```ts
 * torch.autograd.setDetectAnomaly(true);
 * const x = torch.tensor([0], { requiresGrad: true });
 * x.sqrt().mul(0).sum().backward(); // throws: Function 'SqrtBackward0' returned nan values
 * x.grad;                           // null
 * torch.autograd.setDetectAnomaly(false);
 * ```
 */
export function setDetectAnomaly(on: boolean): void {
  if (typeof on !== "boolean") throw new TypeError(`setDetectAnomaly: expected true or false, got ${String(on)}`);
  detectAnomaly = on;
}

/**
 * Whether anomaly detection is on (PyTorch's `torch.autograd.is_anomaly_enabled`).
 *
 * ```ts
 * torch.autograd.isAnomalyEnabled(); // false
 * ```
 */
export function isAnomalyEnabled(): boolean {
  return detectAnomaly;
}

const anyNaN = (K as unknown as { anyNaN(x: number, n: number): number }).anyNaN;

function checkNaN(node: GradNode, grads: (Tensor | null)[]): void {
  for (let k = 0; k < grads.length; k++) {
    const g = grads[k];
    if (g === null || g === undefined || g._size === 0 || !g._contiguous) continue;
    if (anyNaN(g._ptr, g._size)) {
      // PyTorch's message, with its numbering ("0th")
      throw new Error(`Function '${node.name}' returned nan values in its ${k}th output (anomaly detection is on: ` +
        "torch.autograd.setDetectAnomaly(true)); no grad was written.");
    }
  }
}

/**
 * Whether ops record a graph now: false inside `noGrad` (PyTorch's `torch.is_grad_enabled`).
 *
 * ```ts
 * torch.isGradEnabled();                          // true
 * torch.noGrad(() => torch.isGradEnabled());      // false
 * ```
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(on: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = on;
  return prev;
}

/** Whether an op over these inputs records a node. */
export function needsGrad(a: Tensor, b?: Tensor | null, c?: Tensor | null): boolean {
  return gradEnabled && (a._requiresGrad || (b != null && b._requiresGrad) || (c != null && c._requiresGrad));
}

function edgeOf(t: Tensor): Edge {
  const b = t._base;
  // a view whose storage was written since its node was made (through the base or another
  // view) reads the base's current graph, as PyTorch regenerates a view's grad_fn
  if (b !== null && b._requiresGrad && t._storage !== null && t._storage.version !== t._nodeVersion) regenerateView(t, b);
  return t._node !== null ? t._node : t._requiresGrad ? t : null;
}

/** Where view t sits inside its (contiguous) base, for writing a gradient region. */
function regionOf(t: Tensor, base: Tensor, into: Tensor): Tensor {
  if (!base._contiguous) {
    throw new Error("torchlet: an in-place write through a view of a non-contiguous tensor cannot be differentiated; " +
      "call .contiguous() on the base first");
  }
  return hooks.viewOf(into, t.shape, t._strides, into._offset + t._offset - base._offset);
}

function regenerateView(t: Tensor, base: Tensor): void {
  const next = [edgeOf(base)];
  t._node = {
    name: "AsStridedBackward0", next, reads: [], versions: [], output: null, saved: undefined, visit: 0, pending: null,
    backward: (g) => {
      const gx = hooks.zeros(base.shape);
      const region = regionOf(t, base, gx);
      hooks.copyInto(region, g);
      region.dispose();
      return [gx];
    },
  };
  t._requiresGrad = true;
  t._leaf = false;
  t._nodeVersion = t._storage!.version;
}

/**
 * After an in-place op recorded on view t: its base's graph gets PyTorch's CopySlices —
 * the base's gradient passes unchanged outside the view's region and through the op's
 * backward inside it.
 */
function copySlices(t: Tensor): void {
  const base = t._base, fn = t._node;
  if (base === null || fn === null || !gradEnabled) return;
  const fnBackward = fn.backward!;
  const next = [edgeOf(base), ...fn.next.slice(1)];
  base._node = {
    name: "CopySlices", next, reads: fn.reads, versions: fn.versions.slice(), output: null, saved: undefined, visit: 0, pending: null,
    backward: (g) => {
      const res = hooks.clone(g);
      const region = regionOf(t, base, res);
      const inner = hooks.clone(region);
      const gs = fnBackward(inner);
      inner.dispose();
      if (gs[0] !== null && gs[0] !== undefined) { hooks.copyInto(region, gs[0]); gs[0].dispose(); }
      else hooks.fillZero(region);
      region.dispose();
      return [res, ...gs.slice(1)];
    },
  };
  base._requiresGrad = true;
  base._leaf = false;
  base._nodeVersion = base._storage!.version;
}

/**
 * Refuses an in-place op (in grad mode) on a leaf that requires grad, or on a view of one,
 * with PyTorch's messages. Call before writing.
 */
export function checkInPlaceTarget(t: Tensor, op: string): void {
  if (!gradEnabled) return;
  if (t._requiresGrad && t._leaf) {
    throw new Error(`${op}: a leaf Variable that requires grad is being used in an in-place operation ` +
      "(do it inside torch.noGrad(() => …))");
  }
  const b = t._base;
  if (b !== null && b._requiresGrad && b._leaf) {
    throw new Error(`${op}: a view of a leaf Variable that requires grad is being used in an in-place operation ` +
      "(do it inside torch.noGrad(() => …))");
  }
}

/** Storage-level helpers autograd needs (set by ops/layout.ts, which imports this module). */
export const hooks = {} as {
  viewOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor;
  zeros(shape: readonly number[]): Tensor;
  clone(t: Tensor): Tensor;
  copyInto(dst: Tensor, src: Tensor): void;
  fillZero(t: Tensor): void;
};

/**
 * Gives `out` a node: `backward(g)` returns one gradient (or null) per input; `reads` are
 * the tensors (inputs or `out` itself) whose values backward uses; `saved` are engine-only
 * tensors it owns, freed with the graph.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[],
  backward: (g: Tensor) => (Tensor | null)[], reads: readonly Tensor[] = [], saved?: readonly Tensor[]): void {
  const next = new Array<Edge>(inputs.length);
  for (let i = 0; i < inputs.length; i++) next[i] = edgeOf(inputs[i]);
  const versions = new Array<number>(reads.length);
  for (let i = 0; i < reads.length; i++) versions[i] = reads[i]._storage!.version;
  out._requiresGrad = true;
  out._leaf = false;
  const inPlace = inputs.length > 0 && inputs[0] === out; // an op that rewrote its first input
  out._node = { name, next, backward, reads, versions, output: inPlace ? null : out, saved, visit: 0, pending: null };
  out._nodeVersion = out._storage!.version;
  if (inPlace) copySlices(out);
}

/**
 * An in-place op on `t` (already applied): t's node becomes one whose single edge is t's
 * previous node, as PyTorch rebases the grad_fn of a modified tensor.
 */
export function recordInPlace(t: Tensor, name: string, backward: (g: Tensor) => Tensor | null,
  reads: readonly Tensor[] = []): void {
  const prev = edgeOf(t);
  const versions = reads.map((r) => r._storage!.version);
  t._node = { name, next: [prev], backward: (g) => [backward(g)], reads, versions, output: null, saved: undefined, visit: 0, pending: null };
  t._requiresGrad = true;
  t._nodeVersion = t._storage!.version;
  copySlices(t);
}

let visitStamp = 0;

function isNode(e: Edge): e is GradNode {
  return e !== null && (e as GradNode).next !== undefined;
}

/** PyTorch's message; an op's own output is named by that op, an input by its current grad_fn. */
function versionError(t: Tensor, want: number, node: GradNode): Error {
  const s = t._storage!;
  const producer = t === node.output ? node : t._node;
  const owner = producer !== null ? `, which is output 0 of ${producer.name.replace(/Backward\d*$/, "")},` : "";
  return new Error("one of the variables needed for gradient computation has been modified by an inplace operation: " +
    `[torch.FloatTensor ${fmt(t.shape)}]${owner} is at version ${s.version}; expected version ${want} instead. ` +
    "Hint: the in-place op ran after this tensor was used by an op that needs its value for backward(); " +
    "use the out-of-place form (add instead of add_), or clone() before modifying.");
}

export function runBackward(root: Tensor, seed: Tensor): void {
  const rootNode = root._node;
  if (rootNode === null) {
    root._accumulateGrad(seed);
    iterationBoundary();
    return;
  }
  // Topological order of the nodes (iterative DFS, visits stamped on the nodes).
  const stamp = ++visitStamp;
  const order: GradNode[] = [];
  const stack: GradNode[] = [rootNode];
  const nextIdx: number[] = [0];
  rootNode.visit = stamp;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top];
    if (node.backward === null) {
      throw new Error("backward(): trying to backward through the graph a second time: its saved values were " +
        "freed by the first backward() (torchlet keeps no retain_graph); run the forward again");
    }
    if (nextIdx[top] < node.next.length) {
      const e = node.next[nextIdx[top]++];
      if (isNode(e) && e.visit !== stamp) {
        e.visit = stamp;
        stack.push(e);
        nextIdx.push(0);
      }
    } else {
      stack.pop();
      nextIdx.pop();
      order.push(node);
    }
  }
  // Every check before any grad is written: a refused backward changes nothing.
  for (const node of order) {
    const { reads, versions } = node;
    for (let i = 0; i < reads.length; i++) {
      const r = reads[i];
      if (r._storage === null) r._ptr; // throws the "disposed" error
      if (r._storage!.version !== versions[i]) throw versionError(r, versions[i], node);
    }
  }
  const leaves: Tensor[] = [];
  rootNode.pending = seed;
  const prev = setGradEnabled(false);
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      const g = node.pending;
      if (g === null) continue;
      node.pending = null;
      const grads = node.backward!(g);
      g.dispose();
      if (detectAnomaly) {
        try { checkNaN(node, grads); } catch (e) { for (const pg of grads) pg?.dispose(); throw e; }
      }
      const next = node.next;
      for (let k = 0; k < next.length; k++) {
        const pg = grads[k];
        if (pg === null || pg === undefined) continue;
        const e = next[k];
        if (e === null) { pg.dispose(); continue; }
        if (isNode(e)) {
          e.pending = e.pending === null ? pg : e.pending._accumulateInto(pg);
        } else {
          if (e._visit !== stamp) { e._visit = stamp; e._pending = null; leaves.push(e); }
          e._pending = e._pending === null ? pg : e._pending._accumulateInto(pg);
        }
      }
    }
    for (const leaf of leaves) {
      const g = leaf._pending!;
      leaf._pending = null;
      leaf._accumulateGrad(g);
    }
  } finally {
    setGradEnabled(prev);
    for (const leaf of leaves) if (leaf._pending !== null) { leaf._pending.dispose(); leaf._pending = null; }
    for (const node of order) {
      if (node.pending !== null) { node.pending.dispose(); node.pending = null; }
      if (node.saved !== undefined) for (const s of node.saved) s.dispose();
      node.backward = null; // frees the closure and what it captured
      node.next = [];
      node.reads = [];
      node.versions = [];
      node.output = null;
      node.saved = undefined;
    }
  }
  iterationBoundary();
}
