// Replays the PyTorch golden fixtures (test/fixtures/core.json, written by
// test/golden/gen_core.py) through torchlet's public API. One test per fixture case and
// per extra variant ("name (variant)": the same expected numbers reached another way).
//
// Each case: inputs are built from the fixture, the expression runs, the output is read
// (before backward), then output.backward(upstream?) runs (unless the case does its own
// backward) and every requiresGrad input's .grad is compared; inputs without requiresGrad
// must keep grad === null.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/core.json" with { type: "json" };
import { assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
interface TensorRec {
  shape: number[];
  values: number[];
}
interface InputRec extends TensorRec {
  requiresGrad: boolean;
  dtype?: string;
}
interface Case {
  expr: string;
  inputs: Record<string, InputRec>;
  output: TensorRec;
  upstream: TensorRec | null;
  backward: string; // "auto" | "self" | "none"
  grads: Record<string, TensorRec | null>;
}
type In = Record<string, Tensor>;
/** An expression returns its output, or its output plus the tensors whose .grad holds the
 *  fixture's grads (a module's parameters, or leaves it built itself). */
type Result = Tensor | { out: Tensor; grads: Record<string, Tensor> };
type Expr = (x: In, c: Case) => Result;

const CASES = (fx as unknown as { cases: Record<string, Case> }).cases;
const F = torch.nn.functional;
const nn = torch.nn;

// ------------------------------------------------------------------ helpers

function fromRec(r: TensorRec, requiresGrad = false): Tensor {
  return torch.tensor(Float32Array.from(r.values), { shape: r.shape, requiresGrad });
}

/** Flat row-major values → nested number arrays of the given shape (shape [] → number). */
function nest(values: number[], shape: number[]): unknown {
  if (shape.length === 0) return values[0];
  const [n, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(nest(values.slice(i * size, (i + 1) * size), rest));
  return out;
}

function nested(c: Case, name: string): Tensor {
  const r = c.inputs[name];
  // deno-lint-ignore no-explicit-any
  return torch.tensor(nest(r.values, r.shape) as any, { requiresGrad: r.requiresGrad });
}

interface HasParams {
  namedParameters(): Iterable<[string, Tensor]>;
}

/** Copies the fixture's parameter values into a module (by PyTorch's dotted names) and
 *  returns the module's parameters keyed by name, for the grad comparison. Checks the
 *  module has exactly the fixture's parameter names, in order. */
function loadParams(m: HasParams, c: Case, dataNames: string[], fromArray = false): Record<string, Tensor> {
  const params: Record<string, Tensor> = {};
  const names: string[] = [];
  for (const [name, p] of m.namedParameters()) {
    names.push(name);
    params[name] = p;
  }
  const expected = Object.keys(c.inputs).filter((k) => !dataNames.includes(k));
  assertEqual(names, expected, "namedParameters() names");
  torch.noGrad(() => {
    for (const name of names) {
      const r = c.inputs[name];
      if (fromArray) params[name].copy_(Float32Array.from(r.values));
      else params[name].copy_(fromRec(r));
    }
  });
  return params;
}

function labels(c: Case, name: string): number[] {
  return c.inputs[name].values;
}

// ------------------------------------------------------------------ the expression table

const EXPRS: Record<string, Expr> = {
  // element-wise, broadcasting
  add_same: ({ a, b }) => a.add(b),
  "add_same (nested arrays)": (_x, c) => {
    const a = nested(c, "a");
    const b = nested(c, "b");
    return { out: torch.add(a, b), grads: { a, b } };
  },
  add_scalar0d: ({ a, s }) => a.add(s),
  "add_scalar0d (from a number)": ({ a }, c) => {
    const s = torch.tensor(c.inputs.s.values[0], { requiresGrad: true });
    return { out: a.add(s), grads: { a, s } };
  },
  add_scalar1: ({ s, a }) => s.add(a),
  sub_row: ({ a, r }) => a.sub(r),
  sub_row1d: ({ a, r }) => torch.sub(a, r),
  mul_col: ({ a, c }) => a.mul(c),
  div_col: ({ a, c }) => a.div(c),
  div_row_left: ({ r, a }) => r.div(a),
  mul_3d_col: ({ a, b }) => a.mul(b),
  add_3d_row: ({ a, b }) => torch.add(a, b),
  sub_3d_both: ({ a, b }) => a.sub(b),
  div_3d_batch: ({ a, b }) => torch.div(a, b),
  mul_scalar0d_3d: ({ s, a }) => torch.mul(s, a),
  add_nograd_operand: ({ a, b }) => a.add(b),
  scalar_ops_0d: ({ a, b }) => a.mul(b).add(a),
  "scalar_ops_0d (from numbers)": (_x, c) => {
    const a = torch.tensor(c.inputs.a.values[0], { requiresGrad: true });
    const b = torch.tensor(c.inputs.b.values[0], { requiresGrad: true });
    return { out: a.mul(b).add(a), grads: { a, b } };
  },
  add_number: ({ a }) => a.add(2.5),
  "add_number (torch.add)": ({ a }) => torch.add(a, 2.5),
  sub_number: ({ a }) => a.sub(1.5),
  mul_number: ({ a }) => torch.mul(a, -3),
  "mul_number (method)": ({ a }) => a.mul(-3),
  div_number: ({ a }) => torch.div(a, 4),
  "div_number (method)": ({ a }) => a.div(4),
  sub_number_first: ({ a }) => torch.sub(2, a),
  div_number_first: ({ a }) => torch.div(3, a),

  // unary
  neg: ({ a }) => a.neg(),
  "neg (torch.neg)": ({ a }) => torch.neg(a),
  pow_2: ({ a }) => a.pow(2),
  pow_3: ({ a }) => torch.pow(a, 3),
  pow_half: ({ a }) => a.pow(0.5),
  pow_neg_frac: ({ a }) => a.pow(-1.5),
  pow_neg_int: ({ a }) => a.pow(-2),
  exp: ({ a }) => a.exp(),
  "exp (torch.exp)": ({ a }) => torch.exp(a),
  log: ({ a }) => torch.log(a),
  sqrt: ({ a }) => a.sqrt(),
  "sqrt (torch.sqrt)": ({ a }) => torch.sqrt(a),
  abs: ({ a }) => a.abs(),
  "abs (torch.abs)": ({ a }) => torch.abs(a),
  relu: ({ a }) => a.relu(),
  relu_fn: ({ a }) => torch.relu(a),
  "relu_fn (F.relu)": ({ a }) => F.relu(a),
  "relu_fn (nn.ReLU)": ({ a }) => new nn.ReLU().forward(a),
  sigmoid: ({ a }) => a.sigmoid(),
  "sigmoid (torch.sigmoid)": ({ a }) => torch.sigmoid(a),
  "sigmoid (nn.Sigmoid)": ({ a }) => new nn.Sigmoid().forward(a),
  tanh: ({ a }) => torch.tanh(a),
  "tanh (method)": ({ a }) => a.tanh(),
  "tanh (nn.Tanh)": ({ a }) => new nn.Tanh().forward(a),
  unary_chain: ({ a }) => a.abs().add(1).log().sqrt().neg().exp().sigmoid().tanh(),

  // reductions
  sum_all: ({ a }) => a.sum(),
  "sum_all (torch.sum)": ({ a }) => torch.sum(a),
  mean_all: ({ a }) => torch.mean(a),
  "mean_all (method)": ({ a }) => a.mean(),
  sum_dim0: ({ a }) => a.sum(0),
  sum_dim1_keepdim: ({ a }) => a.sum(1, true),
  sum_neg1: ({ a }) => torch.sum(a, -1),
  sum_3d_dim1: ({ a }) => a.sum(1),
  sum_3d_neg3_keepdim: ({ a }) => a.sum(-3, true),
  mean_dim1: ({ a }) => a.mean(1),
  "mean_dim1 (keepdim false)": ({ a }) => a.mean(1, false),
  mean_neg1_keepdim: ({ a }) => a.mean(-1, true),
  mean_3d_dim0_keepdim: ({ a }) => torch.mean(a, 0, true),
  mean_neg2: ({ a }) => a.mean(-2),
  sum_1d_dim0: ({ a }) => a.sum(0),
  sum_1d_keepdim: ({ a }) => a.sum(0, true),
  keepdim_broadcast: ({ a }) => a.sub(a.mean(-1, true)).div(a.sum(0, true).abs().add(1)),
  softmax_composite: ({ a }) => a.exp().div(a.exp().sum(-1, true)),

  // matmul and shapes
  matmul_1d_1d: ({ a, b }) => a.matmul(b),
  matmul_2d_1d: ({ a, b }) => a.matmul(b),
  matmul_1d_2d: ({ a, b }) => torch.matmul(a, b),
  matmul_2d_2d: ({ a, b }) => a.matmul(b),
  matmul_2d_2d_large: ({ a, b }) => a.matmul(b),
  matmul_3d_3d: ({ a, b }) => a.matmul(b),
  "matmul_3d_3d (nested arrays)": (_x, c) => {
    const a = nested(c, "a");
    const b = nested(c, "b");
    return { out: torch.matmul(a, b), grads: { a, b } };
  },
  matmul_3d_2d: ({ a, b }) => a.matmul(b),
  matmul_t: ({ a, b }) => a.matmul(b.t()),
  matmul_tA: ({ a, b }) => a.t().matmul(b),
  "matmul_tA (transpose)": ({ a, b }) => a.transpose(0, 1).matmul(b),
  t: ({ a }) => a.t(),
  t_1d: ({ a }) => a.t(),
  transpose_3d: ({ a }) => a.transpose(0, 2),
  "transpose_3d (reversed args)": ({ a }) => a.transpose(2, 0),
  transpose_neg: ({ a, w }) => torch.transpose(a, -1, -2).mul(w),
  reshape: ({ a, w }) => a.reshape([6, 4]).mul(w),
  reshape_infer: ({ a }) => a.reshape([-1, 2]),
  reshape_of_transpose: ({ a, w }) => a.transpose(0, 1).reshape([6]).mul(w),
  reshape_scalar: ({ a, b }) => a.reshape([]).mul(b),

  // composites: reuse (grad accumulation within one graph), backward twice
  reuse_square: ({ a }) => a.mul(a).add(a),
  reuse_two_paths: ({ a, b }) => a.mul(b).add(a.div(b)).sum(),
  reuse_intermediate: ({ a, b }) => {
    const h = a.matmul(b).tanh();
    return h.mul(h.sigmoid()).mean();
  },
  reuse_matmul_self: ({ a }) => a.matmul(a.t()).sum(),
  backward_twice: ({ a, b }) => {
    a.mul(b).sum().backward();
    const out = a.pow(2).mul(b).sum();
    out.backward();
    return out;
  },
  backward_twice_upstream: ({ a }) => {
    a.tanh().backward(torch.tensor([[0.5, -1], [2, 0.25]]));
    const out = a.mul(3);
    out.backward(torch.ones([2, 2]));
    return out;
  },
  mixed_requires_grad: ({ a, x, c }) => a.matmul(x).add(c).relu().sum(),
  mlp_by_hand: ({ x, w1, b1, w2, b2, y }) =>
    x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).add(b2).sub(y).pow(2).mean(),

  // nn: Linear, Sequential
  linear: (x, c) => {
    const lin = new nn.Linear(4, 3);
    const grads = loadParams(lin, c, ["x"], true);
    return { out: lin.forward(x.x), grads: { ...grads, x: x.x } };
  },
  linear_nobias: (x, c) => {
    const lin = new nn.Linear(4, 2, { bias: false });
    const grads = loadParams(lin, c, ["x"]);
    return { out: lin.forward(x.x), grads: { ...grads, x: x.x } };
  },
  linear_1d_input: (x, c) => {
    const lin = new nn.Linear(3, 2);
    const grads = loadParams(lin, c, ["x"]);
    return { out: lin.forward(x.x), grads: { ...grads, x: x.x } };
  },
  linear_3d_input: (x, c) => {
    const lin = new nn.Linear(4, 3);
    const grads = loadParams(lin, c, ["x"]);
    return { out: lin.forward(x.x), grads: { ...grads, x: x.x } };
  },
  linear_functional: ({ x, w, b }) => F.linear(x, w, b),
  sequential_tanh_mse: (x, c) => {
    const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3), new nn.Tanh());
    const grads = loadParams(net, c, ["x", "y"]);
    return { out: new nn.MSELoss().forward(net.forward(x.x), x.y), grads: { ...grads, x: x.x } };
  },
  "sequential_tanh_mse (F.mseLoss)": (x, c) => {
    const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3), new nn.Tanh());
    const grads = loadParams(net, c, ["x", "y"], true);
    return { out: F.mseLoss(net.forward(x.x), x.y), grads: { ...grads, x: x.x } };
  },
  sequential_sigmoid: (x, c) => {
    const net = new nn.Sequential(new nn.Linear(3, 5), new nn.ReLU(), new nn.Linear(5, 2), new nn.Sigmoid());
    const grads = loadParams(net, c, ["x"]);
    return { out: net.forward(x.x), grads };
  },
  sequential_ce: (x, c) => {
    const net = new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Linear(6, 3));
    const grads = loadParams(net, c, ["x", "y"]);
    return { out: F.crossEntropy(net.forward(x.x), x.y), grads };
  },
  activations_functional: ({ x }) => F.relu(x).add(F.sigmoid(x)).mul(F.tanh(x)),

  // losses beyond the reduction grid
  loss_mse_both_grad: ({ x, y }) => F.mseLoss(x, y, { reduction: "sum" }),
  loss_bce_binary_1d: ({ x, y }) => F.binaryCrossEntropyWithLogits(x, y),
  loss_ce_large_logits: ({ x, y }) => F.crossEntropy(x, y),
  "loss_ce_large_logits (number[] target)": ({ x }, c) => F.crossEntropy(x, labels(c, "y")),

  // in-place (the returned tensor must be the receiver, as in PyTorch)
  inplace_copy_array: (_x, c) => {
    const a = torch.zeros([2, 3]);
    const r = a.copy_(Float32Array.from(c.inputs.src.values));
    assertEqual(r === a, true, "copy_ returns its receiver");
    return a;
  },
  "inplace_copy_array (number[])": (_x, c) => torch.zeros([2, 3]).copy_(c.inputs.src.values),
  inplace_copy_tensor: ({ a, src }) => {
    const r = a.copy_(src);
    assertEqual(r === a, true, "copy_ returns its receiver");
    return a;
  },
  inplace_zero: ({ a }) => {
    const r = a.zero_();
    assertEqual(r === a, true, "zero_ returns its receiver");
    return a;
  },
  inplace_add_tensor: ({ a, b }) => {
    const r = a.add_(b);
    assertEqual(r === a, true, "add_ returns its receiver");
    return a;
  },
  inplace_add_number: ({ a }) => a.add_(-0.75),
  inplace_mul_tensor: ({ a, b }) => {
    const r = a.mul_(b);
    assertEqual(r === a, true, "mul_ returns its receiver");
    return a;
  },
  inplace_mul_number: ({ a }) => a.mul_(1.5),
  inplace_sgd_update: ({ w, x }) => {
    w.mul(x).sum().pow(2).backward();
    torch.noGrad(() => {
      w.add_(w.grad!.mul(-0.1));
    });
    return w;
  },
  inplace_grad_zero: ({ w }) => {
    w.mul(w).sum().backward();
    w.grad!.zero_();
    w.mul(3).sum().backward();
    return w;
  },
  inplace_nonleaf_in_graph: ({ a }) => {
    const y = a.mul(2);
    y.add_(1);
    y.mul_(3);
    return y.pow(2);
  },
};

// the loss × reduction grid: module form, functional form, and other target forms
const LOSSES: Array<[string, string]> = [
  ["mse", "MSELoss"],
  ["l1", "L1Loss"],
  ["ce_index", "CrossEntropyLoss"],
  ["ce_prob", "CrossEntropyLoss"],
  ["bce", "BCEWithLogitsLoss"],
];
for (const reduction of ["mean", "sum", "none"] as const) {
  for (const [key, cls] of LOSSES) {
    const name = `loss_${key}_${reduction}`;
    const target = key === "ce_prob" ? "p" : "y";
    // deno-lint-ignore no-explicit-any
    const Loss = (nn as any)[cls] as new (o?: { reduction?: string }) => { forward(a: Tensor, b: unknown): Tensor };
    EXPRS[name] = (x) => new Loss({ reduction }).forward(x.x, x[target]);
    const fn = {
      mse: F.mseLoss,
      l1: F.l1Loss,
      ce_index: F.crossEntropy,
      ce_prob: F.crossEntropy,
      bce: F.binaryCrossEntropyWithLogits,
      // deno-lint-ignore no-explicit-any
    }[key] as (a: Tensor, b: any, o?: { reduction?: string }) => Tensor;
    EXPRS[`${name} (functional)`] = (x) => fn(x.x, x[target], { reduction });
    if (key === "ce_index") {
      EXPRS[`${name} (number[] target)`] = (x, c) => new Loss({ reduction }).forward(x.x, labels(c, "y"));
      EXPRS[`${name} (Int32Array target)`] = (x, c) =>
        fn(x.x, Int32Array.from(labels(c, "y")), { reduction });
    }
  }
}
EXPRS["loss_mse_mean (default reduction)"] = ({ x, y }) => new nn.MSELoss().forward(x, y);
EXPRS["loss_ce_index_mean (default reduction)"] = ({ x, y }) => new nn.CrossEntropyLoss().forward(x, y);

// ------------------------------------------------------------------ the runner

function run(caseName: string, label: string, expr: Expr): void {
  const c = CASES[caseName];
  const x: In = {};
  for (const [name, r] of Object.entries(c.inputs)) x[name] = fromRec(r, r.requiresGrad);

  const res = expr(x, c);
  const pair = "grads" in res ? (res as { out: Tensor; grads: Record<string, Tensor> }) : null;
  const out = pair ? pair.out : (res as Tensor);
  const holders: In = { ...x, ...(pair ? pair.grads : {}) };

  assertEqual([...out.shape], c.output.shape, `${label}: output shape`);
  assertClose(out.toArray(), c.output.values, `${label}: output`);

  if (c.backward === "auto") {
    if (c.upstream) out.backward(fromRec(c.upstream));
    else out.backward();
  }
  for (const [name, g] of Object.entries(c.grads)) {
    const grad = holders[name].grad;
    if (g === null) {
      assertEqual(grad, null, `${label}: grad of ${name} is null`);
      continue;
    }
    if (!grad) throw new Error(`${label}: grad of ${name} is ${grad}, expected shape [${g.shape.join(", ")}]`);
    assertEqual([...grad.shape], g.shape, `${label}: grad shape of ${name}`);
    assertClose(grad.toArray(), g.values, `${label}: grad of ${name}`);
  }
  for (const [name, r] of Object.entries(c.inputs)) {
    if (!r.requiresGrad) assertEqual(x[name].grad, null, `${label}: input ${name} without requiresGrad has no grad`);
  }
}

export const tests: Record<string, () => void | Promise<void>> = {};

tests["golden: every fixture case has a replay and every replay a fixture case"] = () => {
  const missing = Object.keys(CASES).filter((n) => !(n in EXPRS));
  const extra = Object.keys(EXPRS)
    .map((k) => k.split(" (")[0])
    .filter((n) => !(n in CASES));
  assertEqual(missing, [], "fixture cases without a replay");
  assertEqual(extra, [], "replays without a fixture case");
};

for (const [label, expr] of Object.entries(EXPRS)) {
  const caseName = label.split(" (")[0];
  tests[`golden: ${label}`] = () => {
    if (!(caseName in CASES)) throw new Error(`no fixture case ${caseName}`);
    run(caseName, label, expr);
  };
}
