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

export function runBackward(root: Tensor, seed: Tensor): void {
  // Topological order over nodes that require grad.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const node = top[0]._node;
    if (node === null && !top[0].isLeaf) {
      throw new Error("backward(): trying to backward through the graph a second time: its saved " +
        "values were freed by the first backward() (torchlet keeps no retain_graph); run the forward again");
    }
    if (node !== null && top[1] < node.inputs.length) {
      const next = node.inputs[top[1]++];
      if (next.requiresGrad && !seen.has(next)) { seen.add(next); stack.push([next, 0]); }
    } else {
      stack.pop();
      order.push(top[0]);
    }
  }
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, seed);
  const prev = setGradEnabled(false);
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      const node = t._node;
      if (node === null) {
        t._accumulateGrad(g);
        continue;
      }
      const parentGrads = node.backward(g);
      g.dispose();
      for (let k = 0; k < node.inputs.length; k++) {
        const pg = parentGrads[k];
        if (pg === null || pg === undefined) continue;
        const input = node.inputs[k];
        const existing = grads.get(input);
        if (existing === undefined) grads.set(input, pg);
        else grads.set(input, existing._accumulateInto(pg));
      }
    }
  } finally {
    setGradEnabled(prev);
    for (const g of grads.values()) g.dispose();
    for (const t of order) {
      const node = t._node;
      if (node === null) continue;
      if (node.saved !== undefined) for (const s of node.saved) s.dispose();
      t._node = null;
    }
  }
  iterationBoundary();
}
