import { Module } from "../../nn/module.js";
import { Tensor, tensor } from "../../tensor.js";
import { noGrad } from "../../scope.js";
import { checkKeys, describe } from "../lr_scheduler/check.js";

/** `(averaged, current, numAveraged) => new averaged value` for one parameter. */
export type AvgFn = (averagedParam: Tensor, currentParam: Tensor, numAveraged: number) => Tensor;
/** Updates the averaged parameters in place from the current ones. */
export type MultiAvgFn = (averagedParams: Tensor[], currentParams: Tensor[], numAveraged: number) => void;

function checkDecay(decay: unknown): number {
  if (typeof decay !== "number" || !(decay >= 0 && decay <= 1)) {
    throw new RangeError(`Invalid decay value ${describe(decay)} provided. Please provide a value in [0,1] range.`);
  }
  return decay;
}

/** PyTorch's lerp: `self + w (end - self)` for |w| < 0.5, else `end - (end - self)(1 - w)`. */
function lerpInPlace(self: Tensor, end: Tensor, weight: number): void {
  const diff = end.sub(self);
  if (Math.abs(weight) < 0.5) self.add_(diff.mul(weight));
  else self.copy_(end.sub(diff.mul(1 - weight)));
}

/** EMA over lists of parameters: `ema = decay * ema + (1 - decay) * current` (in place). */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  const d = checkDecay(decay);
  return (emaParams, currentParams) =>
    noGrad(() => emaParams.forEach((p, i) => lerpInPlace(p, currentParams[i], 1 - d)));
}

/** SWA (equal-weight running mean) over lists of parameters, in place. */
export function getSwaMultiAvgFn(): MultiAvgFn {
  return (avgParams, currentParams, n) =>
    noGrad(() => avgParams.forEach((p, i) => lerpInPlace(p, currentParams[i], 1 / (n + 1))));
}

/** EMA for one parameter: returns `decay * ema + (1 - decay) * current`. */
export function getEmaAvgFn(decay = 0.999): AvgFn {
  const d = checkDecay(decay);
  return (ema, current) => ema.mul(d).add(current.mul(1 - d));
}

/** SWA for one parameter: returns `averaged + (current - averaged) / (n + 1)`. */
export function getSwaAvgFn(): AvgFn {
  return (avg, current, n) => avg.add(current.sub(avg).div(n + 1));
}

/** Python's deepcopy for a module tree: new tensors (same values, requiresGrad), same classes. */
function deepCopy<T>(v: T, memo: Map<unknown, unknown>): T {
  if (v === null || typeof v !== "object") return v;
  if (memo.has(v)) return memo.get(v) as T;
  if (v instanceof Tensor) {
    const t = tensor(v.toArray(), { shape: [...v.shape], dtype: v.dtype, requiresGrad: v.requiresGrad });
    if (!v.requiresGrad) t.keep(); // buffers: never released automatically
    memo.set(v, t);
    return t as T;
  }
  if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): T }).slice();
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    memo.set(v, out);
    for (const x of v) out.push(deepCopy(x, memo));
    return out as T;
  }
  if (v instanceof Map) {
    const out = new Map();
    memo.set(v, out);
    for (const [k, x] of v) out.set(k, deepCopy(x, memo));
    return out as T;
  }
  const out = Object.create(Object.getPrototypeOf(v));
  memo.set(v, out);
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
    if ("value" in d) d.value = deepCopy(d.value, memo);
    Object.defineProperty(out, k, d);
  }
  return out;
}

export interface AveragedModelOptions {
  /** Per-parameter averaging; default: equal-weight average (SWA). */
  avgFn?: AvgFn;
  /** In-place averaging over all parameters at once, e.g. `getEmaMultiAvgFn(0.999)`. */
  multiAvgFn?: MultiAvgFn;
  /** Average the buffers too (else they are copied from the model). Default false. */
  useBuffers?: boolean;
}

/**
 * A copy of `model` whose parameters are a running average of the model's: Stochastic
 * Weight Averaging (https://arxiv.org/abs/1803.05407) by default, or an exponential moving
 * average with `multiAvgFn: getEmaMultiAvgFn(decay)`. The first `updateParameters(model)`
 * copies the model's parameters; later calls average them in.
 *
 * ```ts
 * const swaModel = new AveragedModel(model);
 * // … after each epoch past swaStart:
 * swaModel.updateParameters(model);
 * const y = swaModel.forward(x);
 * ```
 * `nAveraged` (a 0-d tensor, PyTorch's `n_averaged` buffer) counts the updates and is part
 * of `stateDict()`; `avgFn`/`multiAvgFn` are not.
 */
export class AveragedModel extends Module {
  module: Module;
  nAveraged: Tensor;
  avgFn: AvgFn | null;
  multiAvgFn: MultiAvgFn | null;
  useBuffers: boolean;

  constructor(model: Module, options: AveragedModelOptions = {}) {
    super();
    if (!(model instanceof Module)) throw new TypeError(`AveragedModel: model must be an nn.Module, got ${describe(model)}`);
    checkKeys("AveragedModel", options, ["avgFn", "multiAvgFn", "useBuffers"]);
    const { avgFn, multiAvgFn, useBuffers = false } = options ?? {};
    if (avgFn !== undefined && multiAvgFn !== undefined) {
      throw new TypeError("AveragedModel: Only one of avgFn and multiAvgFn should be provided");
    }
    for (const [name, f] of [["avgFn", avgFn], ["multiAvgFn", multiAvgFn]] as const) {
      if (f !== undefined && typeof f !== "function") {
        throw new TypeError(`AveragedModel: ${name} must be a function, got ${describe(f)}`);
      }
    }
    this.module = deepCopy(model, new Map());
    this.nAveraged = tensor(0).keep();
    this.avgFn = avgFn ?? null;
    this.multiAvgFn = multiAvgFn ?? null;
    this.useBuffers = Boolean(useBuffers);
  }

  forward(...args: unknown[]): unknown {
    return this.module.forward(...args);
  }

  /** Averages `model`'s current parameters (and buffers with `useBuffers`) into this copy. */
  updateParameters(model: Module): void {
    const own = this.useBuffers ? [...this.module.parameters(), ...this.module.buffers()] : this.parameters();
    const cur = this.useBuffers ? [...model.parameters(), ...model.buffers()] : model.parameters();
    if (own.length !== cur.length || own.some((p, i) => p.shape.join() !== cur[i].shape.join())) {
      throw new Error(
        `AveragedModel.updateParameters: the model's parameters (${cur.map((p) => `[${p.shape}]`).join(", ")}) ` +
          `do not match the averaged ones (${own.map((p) => `[${p.shape}]`).join(", ")})`,
      );
    }
    const n = this.nAveraged.item();
    noGrad(() => {
      if (n === 0) own.forEach((p, i) => p.copy_(cur[i]));
      else if (this.multiAvgFn) this.multiAvgFn(own, cur, n);
      else if (this.avgFn) own.forEach((p, i) => p.copy_(this.avgFn!(p, cur[i], n)));
      else {
        // PyTorch on CPU: averaged + (current - averaged) / (n + 1), per parameter
        const swa = getSwaAvgFn();
        own.forEach((p, i) => p.copy_(swa(p, cur[i], n)));
      }
      if (!this.useBuffers) {
        const mine = this.module.buffers();
        const theirs = model.buffers();
        mine.forEach((b, i) => b.copy_(theirs[i]));
      }
      this.nAveraged.copy_([n + 1]);
    });
  }
}
