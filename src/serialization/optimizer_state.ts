// Optimizer state dicts between torchlet's layout (`opt.stateDict()`: camelCase names,
// numbers and Float32Arrays, state keyed by "0", "1", …) and PyTorch's
// (`optimizer.state_dict()`: snake_case names, tensors of the parameter's shape, `step` a
// 0-d float32 tensor, state keyed by integer param ids in group order, pair options as
// tuples, plus the implementation switches torchlet has no use for). The tables below are
// the whole difference; the layout of each side is read, not assumed, so a change to
// torchlet's stateDict() touches this file's tables, not the zip or pickle code.
import { Tensor } from "../tensor.js";
import { Optimizer, type OptimizerStateDict } from "../optim/optimizer.js";
import { ASGD, Adadelta, Adafactor, Adagrad, Adam, AdamW, Adamax, LBFGS, Muon, NAdam, RAdam, RMSprop, Rprop, SGD } from "../optim/index.js";
import { HostTensor, scalarTensor } from "./host_tensor.js";
import { Tuple } from "./pickle_write.js";
import { camelCase, define, isPlainObject, snakeCase } from "./names.js";
import { isTensorRef, type TensorRef } from "./tensor_ref.js";

/** Per-parameter state PyTorch keeps as 0-d float32 tensors and torchlet as numbers. */
const SCALAR_STATE = new Set(["step", "eta", "mu", "mu_product", "H_diag"]);
/** LBFGS's lists of 0-d tensors (torchlet: numbers; `al` has None where unset). */
const SCALAR_LISTS = new Set(["ro", "al"]);
/** LBFGS's flat vectors over all parameters: 1-D whatever the parameter's shape. */
const FLAT_STATE = new Set(["d", "prev_flat_grad", "old_dirs", "old_stps"]);
/** Options PyTorch holds as tuples (Adafactor's eps is a pair; the others' eps a number). */
const TUPLE_OPTIONS = new Set(["betas", "etas", "step_sizes", "eps", "ns_coefficients"]);

/**
 * Group options PyTorch has and torchlet doesn't: implementation switches (multi-tensor,
 * CUDA graphs, autograd through the step, fused kernels) that change no result. Dropped on
 * load; written with PyTorch's defaults on save, so the dict is the one PyTorch would write.
 */
const SWITCHES = ["foreach", "capturable", "differentiable", "fused"];
const PYTORCH_ONLY_OPTIONS: [abstract new (...args: any[]) => Optimizer, Record<string, null | boolean>][] = [
  [SGD, { foreach: null, differentiable: false, fused: null }],
  [AdamW, { foreach: null, capturable: false, differentiable: false, fused: null }],
  [Adam, { foreach: null, capturable: false, differentiable: false, fused: null }],
  [Adagrad, { foreach: null, differentiable: false, fused: null }],
  [Adadelta, { capturable: false, foreach: null, differentiable: false }],
  [Adamax, { foreach: null, differentiable: false, capturable: false }],
  [ASGD, { foreach: null, differentiable: false, capturable: false }],
  [NAdam, { foreach: null, capturable: false, differentiable: false }],
  [RAdam, { foreach: null, capturable: false, differentiable: false }],
  [RMSprop, { capturable: false, foreach: null, differentiable: false }],
  [Rprop, { foreach: null, differentiable: false, capturable: false }],
  [LBFGS, {}],
  [Adafactor, { foreach: null }],
  [Muon, {}],
];

/** A PyTorch-layout state dict, ready for torch.save: int-keyed state, tensors with shapes. */
export interface PyTorchOptimizerStateDict {
  state: Map<number, Record<string, unknown>>;
  param_groups: Record<string, unknown>[];
}

/**
 * `opt.stateDict()` in PyTorch's layout; each state tensor takes the shape of the buffer it
 * copies (the parameter's, or its own: Adafactor's factored moments).
 */
export function optimizerStateToPyTorch(opt: Optimizer): PyTorchOptimizerStateDict {
  const sd = opt.stateDict();
  const params: Tensor[] = [];
  const ids = new Map<Tensor, number>();
  for (const g of opt.paramGroups) {
    for (const p of g.params) {
      if (!ids.has(p)) { ids.set(p, ids.size); params.push(p); }
    }
  }
  const state = new Map<number, Record<string, unknown>>();
  for (const [key, entry] of Object.entries(sd.state)) {
    const param = params[Number(key)];
    const own = opt.state.get(param) ?? {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry)) {
      const name = snakeCase(k);
      define(out, name, stateToPyTorch(name, v, own[k] instanceof Tensor ? own[k].shape : param.shape));
    }
    state.set(Number(key), out);
  }
  const extra = PYTORCH_ONLY_OPTIONS.find(([cls]) => opt instanceof cls)?.[1] ?? {};
  const groups = sd.paramGroups.map((g) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(g)) {
      if (k === "params") continue;
      const name = snakeCase(k);
      define(out, name, TUPLE_OPTIONS.has(name) && Array.isArray(v) ? new Tuple(v) : v);
    }
    for (const [k, v] of Object.entries(extra)) if (!(k in out)) define(out, k, v);
    out.params = g.params.slice();
    return out;
  });
  return { state, param_groups: groups };
}

function stateToPyTorch(name: string, v: unknown, shape: readonly number[]): unknown {
  if (typeof v === "number") return SCALAR_STATE.has(name) ? scalarTensor(v) : v;
  if (v instanceof Float32Array) {
    const numel = shape.reduce((a, b) => a * b, 1);
    return new HostTensor("float32", !FLAT_STATE.has(name) && v.length === numel ? shape : [v.length], v);
  }
  if (Array.isArray(v)) {
    return v.map((x) => (typeof x === "number" && SCALAR_LISTS.has(name) ? scalarTensor(x)
      : x instanceof Float32Array ? new HostTensor("float32", [x.length], x) : x));
  }
  return v; // a Tensor (kept with its shape), a boolean, null
}

/**
 * Whether `v` is an optimizer state dict in PyTorch's layout: exactly `state` and
 * `param_groups`, each group a dict with a `params` list.
 */
export function isPyTorchOptimizerStateDict(v: unknown): v is { state: unknown; param_groups: Record<string, unknown>[] } {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && "state" in v && Array.isArray(v.param_groups) &&
    v.param_groups.every((g) => isPlainObject(g) && Array.isArray(g.params));
}

/** Values of a tensor (any dtype) as float32, for state held in Float32Arrays. */
export type TensorValues = (t: TensorRef, name: string) => Float32Array;

/** A PyTorch-layout optimizer state dict (as torch.load reads it) in torchlet's layout. */
export function optimizerStateFromPyTorch(sd: { state: unknown; param_groups: Record<string, unknown>[] }, values: TensorValues): OptimizerStateDict {
  const entries = sd.state instanceof Map ? [...sd.state.entries()] : isPlainObject(sd.state) ? Object.entries(sd.state) : null;
  if (entries === null) throw new Error(`torch.load: an optimizer state dict's "state" must be a dict, got ${typeof sd.state}`);
  const state: OptimizerStateDict["state"] = {};
  for (const [id, entry] of entries) {
    const index = Number(id);
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`torch.load: optimizer state keyed by ${String(id)}; PyTorch keys it by param ids 0, 1, …`);
    if (!isPlainObject(entry)) throw new Error(`torch.load: the optimizer state of param ${index} must be a dict of names to values`);
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(entry)) {
      if (v === null) continue; // SGD's momentum_buffer before any momentum: torchlet keeps no entry
      define(out, camelCase(k), stateFromPyTorch(k, v, `state[${index}].${k}`, values));
    }
    state[index] = out;
  }
  const paramGroups = sd.param_groups.map((g, gi) => {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(g)) {
      if (SWITCHES.includes(k)) continue;
      define(out, camelCase(k), isTensorRef(v) ? scalar(v, `param_groups[${gi}].${k}`, values) : v);
    }
    return out;
  });
  return { state, paramGroups } as OptimizerStateDict;
}

function scalar(t: TensorRef, name: string, values: TensorValues): number {
  const x = values(t, name);
  if (x.length !== 1) throw new Error(`torch.load: ${name} must be a number or a one-element tensor, got ${x.length} values`);
  return x[0];
}

function stateFromPyTorch(key: string, v: unknown, name: string, values: TensorValues): unknown {
  if (isTensorRef(v)) return SCALAR_STATE.has(key) ? scalar(v, name, values) : values(v, name);
  if (Array.isArray(v)) {
    return v.map((x, i) => (isTensorRef(x) ? (SCALAR_LISTS.has(key) ? scalar(x, `${name}[${i}]`, values) : values(x, `${name}[${i}]`)) : x));
  }
  return v;
}
