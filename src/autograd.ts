// Reverse-mode autograd, micrograd-style: every op that records sets a GradNode on its
// output; backward() walks the graph in reverse topological order, accumulates into the
// leaves' .grad, then drops the graph (PyTorch's retain_graph=False).
import type { Tensor } from "./tensor.js";
import { iterationBoundary } from "./runtime/lifetime.js";

export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** Gradients for each input (null where the input needs none). Must not return `g` itself. */
  backward(g: Tensor): (Tensor | null)[];
  /** Internal tensors saved for backward, released with the graph. */
  readonly saved?: readonly Tensor[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(on: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = on;
  return prev;
}

/** Whether an op over these inputs records a node. */
export function needsGrad(a: Tensor, b?: Tensor): boolean {
  return gradEnabled && (a.requiresGrad || (b !== undefined && b.requiresGrad));
}

let visitStamp = 0;

export function runBackward(root: Tensor, seed: Tensor): void {
  // Topological order over tensors that require grad: an iterative DFS marking visits with
  // a per-call stamp on the tensor (no Set), children before parents in `order`.
  const stamp = ++visitStamp;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  root._visit = stamp;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const node = t._node;
    if (node === null && !t.isLeaf) {
      throw new Error("backward(): trying to backward through the graph a second time: its saved " +
        "values were freed by the first backward() (torchlet keeps no retain_graph); run the forward again");
    }
    if (node !== null && next[top] < node.inputs.length) {
      const input = node.inputs[next[top]++];
      if (input._requiresGrad && input._visit !== stamp) {
        input._visit = stamp;
        stack.push(input);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(t);
    }
  }
  // Pending grads live on the tensors themselves while the walk runs.
  root._pending = seed;
  const prev = setGradEnabled(false);
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = t._pending;
      if (g === null) continue;
      t._pending = null;
      const node = t._node;
      if (node === null) {
        t._accumulateGrad(g);
        continue;
      }
      const parentGrads = node.backward(g);
      g.dispose();
      const inputs = node.inputs;
      for (let k = 0; k < inputs.length; k++) {
        const pg = parentGrads[k];
        if (pg === null || pg === undefined) continue;
        const input = inputs[k];
        const existing = input._pending;
        input._pending = existing === null ? pg : existing._accumulateInto(pg);
      }
    }
  } finally {
    setGradEnabled(prev);
    for (const t of order) {
      if (t._pending !== null) { t._pending.dispose(); t._pending = null; }
      const node = t._node;
      if (node === null) continue;
      if (node.saved !== undefined) for (const s of node.saved) s.dispose();
      t._node = null;
    }
  }
  iterationBoundary();
}
