import { Module } from "../../nn/module.js";
import { Tensor, full, tensor } from "../../tensor.js";
import { noGrad } from "../../scope.js";
import { checkKeys, describe } from "../lr_scheduler/check.js";

/**
 * An averaging rule for one parameter, as PyTorch's `avg_fn`: `(averaged, current,
 * numAveraged) => new averaged value` (a new tensor; `AveragedModel` copies it in).
 *
 * ```ts
 * const halfway: optim.swaUtils.AvgFn = (avg, cur) => avg.add(cur).div(2);
 * const model = new nn.Linear(1, 1, false);
 * const avg = new optim.swaUtils.AveragedModel(model, { avgFn: halfway });
 * nn.init.constant_(model.weight, 0);
 * avg.updateParameters(model); // the first update copies the weight, 0
 * nn.init.constant_(model.weight, 4);
 * avg.updateParameters(model); // halfway to 4
 * avg.parameters()[0].item();  // 2
 * ```
 */
export type AvgFn = (averagedParam: Tensor, currentParam: Tensor, numAveraged: number) => Tensor;
/**
 * An averaging rule over all parameters at once, as PyTorch's `multi_avg_fn`: updates
 * `averagedParams` in place from `currentParams`.
 *
 * ```ts
 * const keepMax: optim.swaUtils.MultiAvgFn = (avgs, curs) => avgs.forEach((a, i) => a.copy_(a.maximum(curs[i])));
 * const model = new nn.Linear(1, 1, false);
 * const best = new optim.swaUtils.AveragedModel(model, { multiAvgFn: keepMax });
 * nn.init.constant_(model.weight, 3);
 * best.updateParameters(model);
 * nn.init.constant_(model.weight, 1);
 * best.updateParameters(model);
 * best.parameters()[0].item(); // 3
 * ```
 */
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

/**
 * An exponential moving average over lists of parameters, in place: `ema = decay · ema +
 * (1 − decay) · current`, as `torch.optim.swa_utils.get_ema_multi_avg_fn` (decay default
 * 0.999).
 *
 * ```ts
 * const model = new nn.Linear(1, 1, false);
 * nn.init.constant_(model.weight, 0);
 * const ema = new optim.swaUtils.AveragedModel(model, { multiAvgFn: optim.swaUtils.getEmaMultiAvgFn(0.9) });
 * ema.updateParameters(model);  // the first update copies the weight, 0
 * nn.init.constant_(model.weight, 1);
 * ema.updateParameters(model);  // 0.9·0 + 0.1·1
 * ema.parameters()[0].item();   // 0.1
 * ```
 */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  const d = checkDecay(decay);
  return (emaParams, currentParams) =>
    noGrad(() => emaParams.forEach((p, i) => lerpInPlace(p, currentParams[i], 1 - d)));
}

/**
 * The equal-weight running mean (SWA) over lists of parameters, in place, as
 * `torch.optim.swa_utils.get_swa_multi_avg_fn`: `avg += (current − avg) / (n + 1)`.
 *
 * ```ts
 * const model = new nn.Linear(1, 1, false);
 * const swa = new optim.swaUtils.AveragedModel(model, { multiAvgFn: optim.swaUtils.getSwaMultiAvgFn() });
 * for (const w of [1, 2, 6]) {
 *   nn.init.constant_(model.weight, w);
 *   swa.updateParameters(model);
 * }
 * swa.parameters()[0].item(); // 3
 * ```
 */
export function getSwaMultiAvgFn(): MultiAvgFn {
  return (avgParams, currentParams, n) =>
    noGrad(() => avgParams.forEach((p, i) => lerpInPlace(p, currentParams[i], 1 / (n + 1))));
}

/**
 * An exponential moving average for one parameter: returns `decay · ema + (1 − decay) ·
 * current`, as `torch.optim.swa_utils.get_ema_avg_fn` (decay default 0.999).
 *
 * ```ts
 * const ema = optim.swaUtils.getEmaAvgFn(0.9);
 * ema(torch.tensor([0]), torch.tensor([1]), 1); // tensor([0.1000])
 * ```
 */
export function getEmaAvgFn(decay = 0.999): AvgFn {
  const d = checkDecay(decay);
  return (ema, current) => ema.mul(d).add(current.mul(1 - d));
}

/**
 * The equal-weight running mean for one parameter: returns `averaged + (current −
 * averaged) / (n + 1)`, as `torch.optim.swa_utils.get_swa_avg_fn`.
 *
 * ```ts
 * const swa = optim.swaUtils.getSwaAvgFn();
 * swa(torch.tensor([2]), torch.tensor([5]), 2); // tensor([3.])
 * ```
 */
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

/**
 * Options of `AveragedModel`: `avgFn` or `multiAvgFn` (default: the equal-weight SWA average),
 * `useBuffers = false`.
 *
 * ```ts
 * const opts: optim.swaUtils.AveragedModelOptions = { multiAvgFn: optim.swaUtils.getEmaMultiAvgFn(0.999), useBuffers: true };
 * new optim.swaUtils.AveragedModel(new nn.BatchNorm1d(4), opts).useBuffers; // true
 * ```
 */
export interface AveragedModelOptions {
  /** Per-parameter averaging; default: equal-weight average (SWA). */
  avgFn?: AvgFn;
  /** In-place averaging over all parameters at once, e.g. `getEmaMultiAvgFn(0.999)`. */
  multiAvgFn?: MultiAvgFn;
  /** Average the buffers too (else they are copied from the model). Default false. */
  useBuffers?: boolean;
}

/**
 * A copy of `model` whose parameters are a running average of the model's, as
 * `torch.optim.swa_utils.AveragedModel`: Stochastic Weight Averaging
 * (https://arxiv.org/abs/1803.05407) by default, or an exponential moving average with
 * `multiAvgFn: getEmaMultiAvgFn(decay)`. The first `updateParameters(model)` copies the
 * model's parameters; later calls average them in. `nAveraged` (PyTorch's `n_averaged`
 * buffer, under that name in `stateDict()`) counts the updates; `avgFn`/`multiAvgFn` are not
 * saved.
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const swaModel = new optim.swaUtils.AveragedModel(model);
 * const x = torch.ones([4, 2]), y = torch.zeros([4, 1]);
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   opt.zeroGrad();
 *   F.mseLoss(model.forward(x), y).backward();
 *   opt.step();
 *   if (epoch >= 2) swaModel.updateParameters(model); // average the last epochs
 * }
 * swaModel.nAveraged;                  // tensor(3)
 * (swaModel.forward(x) as torch.Tensor).shape; // [4, 1]
 * Object.keys(swaModel.stateDict());   // ["n_averaged", "module.weight", "module.bias"]
 * ```
 */
export class AveragedModel extends Module {
  /**
   * The averaged copy of the model (a deep copy made by the constructor; PyTorch's `module`).
   *
   * ```ts
   * const model = new nn.Linear(2, 1);
   * const avg = new optim.swaUtils.AveragedModel(model);
   * avg.module instanceof nn.Linear; // true
   * avg.module === model;            // false
   * ```
   */
  module: Module;
  /**
   * The number of `updateParameters` calls so far: PyTorch's `n_averaged` buffer (int64
   * there, int32 here; 0-d), saved in `stateDict()` under that name.
   *
   * ```ts
   * const model = new nn.Linear(2, 1);
   * const avg = new optim.swaUtils.AveragedModel(model);
   * avg.updateParameters(model);
   * avg.nAveraged; // tensor(1)
   * ```
   */
  get nAveraged(): Tensor { return (this as unknown as { n_averaged: Tensor }).n_averaged; }
  /**
   * The per-parameter averaging rule given, or null.
   *
   * ```ts
   * new optim.swaUtils.AveragedModel(new nn.Linear(2, 1)).avgFn; // null
   * ```
   */
  avgFn: AvgFn | null;
  /**
   * The all-parameters averaging rule given, or null.
   *
   * ```ts
   * const ema = new optim.swaUtils.AveragedModel(new nn.Linear(2, 1), { multiAvgFn: optim.swaUtils.getEmaMultiAvgFn() });
   * typeof ema.multiAvgFn; // "function"
   * ```
   */
  multiAvgFn: MultiAvgFn | null;
  /**
   * Whether buffers are averaged too (else copied from the model at each update); default
   * false.
   *
   * ```ts
   * new optim.swaUtils.AveragedModel(new nn.Linear(2, 1)).useBuffers; // false
   * ```
   */
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
    this.registerBuffer("n_averaged", full([], 0, { dtype: "int32" }));
    this.avgFn = avgFn ?? null;
    this.multiAvgFn = multiAvgFn ?? null;
    this.useBuffers = Boolean(useBuffers);
  }

  /**
   * Runs the averaged copy: `this.module.forward(...args)`.
   *
   * ```ts
   * const model = new nn.Linear(2, 1);
   * const avg = new optim.swaUtils.AveragedModel(model);
   * avg.updateParameters(model);
   * const x = torch.ones([1, 2]);
   * (avg.forward(x) as torch.Tensor).item() === model.forward(x).item(); // true
   * ```
   */
  forward(...args: unknown[]): unknown {
    return this.module.forward(...args);
  }

  /**
   * Averages `model`'s current parameters (and buffers with `useBuffers`) into this copy, as
   * PyTorch's `update_parameters`; the first call copies them.
   *
   * ```ts
   * const model = new nn.Linear(1, 1, false);
   * const avg = new optim.swaUtils.AveragedModel(model);
   * for (const w of [1, 3]) {
   *   nn.init.constant_(model.weight, w);
   *   avg.updateParameters(model);
   * }
   * avg.parameters()[0].item(); // 2
   * avg.updateParameters(new nn.Linear(2, 1)); // throws: do not match the averaged ones
   * ```
   */
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
