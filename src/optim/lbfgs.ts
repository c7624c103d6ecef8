import { type Closure, Optimizer, type ParamGroup, type ParamGroupInput, type Params, type StateSchema } from "./optimizer.js";
import { Tensor } from "../tensor.js";
import { empty } from "../ops/elementwise.js";
import * as flat from "../ops/flat.js";
import { enableGrad, tidy } from "../scope.js";
import { assertLive, gradOf, owned } from "../storage_access.js";
import { checkLr, checkTypes, holdLr, lrScalar, withDefaults } from "./options.js";
import { StateDictError } from "./state_values.js";
import { strongWolfe } from "./lbfgs_line_search.js";
import { F32, type Py, div, min, mul, value } from "./py_scalar.js";
const f32 = Math.fround;

export interface LBFGSOptions {
  /** Learning rate (the initial step length of each iteration). Default 1. */
  lr?: number | Tensor;
  /** Maximal number of iterations per `step()`. Default 20. */
  maxIter?: number;
  /** Maximal number of function evaluations per `step()`. Default floor(maxIter·5/4). */
  maxEval?: number | null;
  /** Termination tolerance on first-order optimality (max |gradient|). Default 1e-7. */
  toleranceGrad?: number;
  /** Termination tolerance on function value / parameter changes. Default 1e-9. */
  toleranceChange?: number;
  /** Number of (y, s) pairs kept. Default 100. */
  historySize?: number;
  /** `"strong_wolfe"` for a line search satisfying the strong Wolfe conditions, or null (fixed step). Default null. */
  lineSearchFn?: "strong_wolfe" | null;
}

const DEFAULTS = { lr: 1, maxIter: 20, maxEval: null, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null };

function validate(o: Record<string, any>): void {
  checkLr(o.lr);
  for (const key of ["maxIter", "maxEval", "historySize"]) {
    if (!Number.isInteger(o[key]) || o[key] < (key === "maxEval" ? 0 : 1)) {
      throw new Error(`LBFGS: ${key} must be a ${key === "maxEval" ? "non-negative" : "positive"} integer, got ${o[key]}`);
    }
  }
  if (o.lineSearchFn !== null && o.lineSearchFn !== "strong_wolfe") throw new Error("only 'strong_wolfe' is supported");
}

function lossValue(v: unknown): number {
  if (v instanceof Tensor) return v.item();
  if (typeof v === "number") return v;
  throw new Error(`LBFGS: the closure must return the loss (a Tensor or a number), got ${v === null ? "null" : typeof v}`);
}

// PyTorch's state (kept on the first parameter), in its order.
const STATE: StateSchema = {
  funcEvals: "count", nIter: "count", d: "vector", t: "float", oldDirs: "vectors", oldStps: "vectors", ro: "floats",
  HDiag: "float", prevFlatGrad: "vector", prevLoss: "float", al: "floatsOrNull",
};
/** The state PyTorch sets after an iteration, and the history lists among it. */
const ITERATION_STATE = ["d", "t", "oldDirs", "oldStps", "ro", "HDiag", "prevFlatGrad", "prevLoss"] as const;
const HISTORY = ["oldDirs", "oldStps", "ro"] as const;

/**
 * L-BFGS (after [minFunc](https://www.cs.ubc.ca/~schmidtm/Software/minFunc.html)), as
 * `torch.optim.LBFGS`: `step(closure)` runs up to `maxIter` iterations of
 * ```
 * d = -H·g        (two-loop recursion over the last historySize pairs y = Δg, s = Δθ,
 *                  with H₀ = (yᵀs / yᵀy)·I; the first iteration ever takes d = -g)
 * t = lr (first iteration ever: min(1, 1/Σ|g|)·lr)
 * θ = θ + t·d     (lineSearchFn "strong_wolfe": t from a strong-Wolfe line search)
 * ```
 * stopping early on max|g| ≤ toleranceGrad, gᵀd > -toleranceChange, max|t·d| ≤
 * toleranceChange, |Δloss| < toleranceChange, or maxEval closure evaluations. The closure
 * is required: it zeroes the grads, computes the loss, calls `backward()` and returns the
 * loss; `step` returns the first loss it computed. One parameter group only. Vectors (the
 * direction, the previous gradient, the history) live in wasm memory and are updated by
 * kernels; the host does the scalar work as PyTorch does it: in f64 where it has Python
 * floats, in float32 where it holds 0-d tensors (dot products, ρ, H₀, α, β, and the step
 * lengths and derivatives of the line search: py_scalar.ts). `lr` may be a 1-element tensor.
 *
 * State (on the first parameter, as PyTorch does): `funcEvals`, `nIter`, `d`, `t`,
 * `oldDirs`, `oldStps`, `ro`, `HDiag`, `prevFlatGrad`, `prevLoss`, `al`.
 *
 * Options (PyTorch's defaults): `lr = 1`, `maxIter = 20`, `maxEval = ⌊maxIter·5/4⌋`,
 * `toleranceGrad = 1e-7`, `toleranceChange = 1e-9`, `historySize = 100`,
 * `lineSearchFn = null` (or `"strong_wolfe"`).
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const target = torch.tensor([3, 4]);
 * const opt = new optim.LBFGS([w], { lineSearchFn: "strong_wolfe" });
 * const loss = opt.step(() => {
 *   opt.zeroGrad();
 *   const l = w.sub(target).pow(2).sum();
 *   l.backward();
 *   return l;
 * });
 * loss; // the first loss: tensor(40., gradFn=<SumBackward0>)
 * w;    // tensor([3., 4.], requiresGrad=true)
 * ```
 */
export class LBFGS extends Optimizer {
  private readonly params: Tensor[];
  private readonly n: number;
  private readonly sizes: number[];
  /** Scratch vectors of n floats, made once and reused (flat grad, line search, spare y/s). */
  private readonly bufs = new Map<string, Tensor>();
  private spareY: Tensor | null = null;
  private spareS: Tensor | null = null;

  constructor(params: Params, options?: LBFGSOptions) {
    const defaults = withDefaults("LBFGS", options, DEFAULTS);
    checkTypes("LBFGS", defaults, DEFAULTS);
    if (defaults.maxEval === null) defaults.maxEval = Math.floor(defaults.maxIter * 5 / 4);
    super(params, defaults);
    if (this.paramGroups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    this.params = this.paramGroups[0].params;
    this.sizes = this.params.map((p) => p.numel());
    this.n = this.sizes.reduce((s, v) => s + v, 0);
  }

  protected override stateSchema(): StateSchema {
    return STATE;
  }

  protected override validateGroup(group: ParamGroup): void {
    checkTypes("LBFGS", group, DEFAULTS);
    validate(group);
  }

  /**
   * Throws: LBFGS keeps one parameter group (PyTorch's LBFGS does not support per-parameter
   * options either).
   *
   * ```ts
   * const opt = new optim.LBFGS([torch.zeros([1], { requiresGrad: true })]);
   * opt.addParamGroup({ params: [torch.zeros([1], { requiresGrad: true })] }); // throws: doesn't support per-parameter options
   * ```
   */
  override addParamGroup(_group: ParamGroupInput): void {
    throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  protected override stepGroups(): void {
    throw new Error("LBFGS.step(closure) requires a closure");
  }

  // ---- flat vectors (tensors of n values, outside autograd) -------------------------------

  private buf(name: string): Tensor {
    let t = this.bufs.get(name);
    if (t === undefined) this.bufs.set(name, (t = this.vector()));
    return t;
  }

  private vector(): Tensor {
    return owned(empty([this.n]));
  }

  private dot(a: Tensor, b: Tensor): number { return f32(flat.dot(a, b)); }
  private absMax(x: Tensor): number { return flat.normAccum(x, Infinity); }

  private gatherFlatGrad(dst: Tensor): void {
    flat.gatherInto(dst, this.params.map(gradOf), this.sizes);
  }

  /** θ = θ + t·d, parameter by parameter over the flat d. */
  private addGrad(t: number, d: Tensor): void {
    flat.addScaledFrom(this.params, d, t);
  }

  /** Copies the parameters into (toFlat) or back from the flat vector x. */
  private params2flat(x: Tensor, toFlat: boolean): void {
    if (toFlat) flat.gatherInto(x, this.params, this.sizes);
    else flat.scatterFrom(x, this.params);
  }

  /** Loss and flat grad (into gOut) at x + t·d; the parameters are left at x. */
  private directionalEvaluate(closure: Closure, x: Tensor, t: number, d: Tensor, gOut: Tensor): number {
    this.addGrad(t, d);
    const loss = lossValue(enableGrad(closure));
    this.gatherFlatGrad(gOut);
    this.params2flat(x, false);
    return loss;
  }

  // ---- the step ---------------------------------------------------------------------------

  protected override update(closure: Closure | undefined): Tensor | number {
    if (typeof closure !== "function") {
      throw new Error("LBFGS.step(closure): LBFGS requires a closure that zeroes the grads, computes the loss, " +
        "calls backward() and returns the loss");
    }
    const group = this.paramGroups[0];
    this.validateGroup(group);
    holdLr(group);
    // Every param is read and written (not only those with a grad), and every state tensor
    // read: a released one throws here, before anything changes.
    for (const p of this.params) {
      assertLive(p);
      const g = gradOf(p);
      if (g !== null) assertLive(g);
    }
    for (const v of Object.values(this.state.get(this.params[0]) ?? {})) {
      if (v instanceof Tensor) assertLive(v);
      else if (Array.isArray(v)) for (const t of v) if (t instanceof Tensor) assertLive(t);
    }
    // One scope for the whole step: what the closure's evaluations create is released when
    // the step returns, except the loss returned (which then lives like any iteration's
    // tensor); the pool alone would release it during the step's own zeroGrad() calls.
    return tidy(() => this.minimize(closure, group));
  }

  private minimize(closure: Closure, group: ParamGroup): Tensor | number {
    const { maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const lr = lrScalar(group.lr); // _to_scalar keeps a tensor lr: then t and its arithmetic are float32
    const p0 = this.params[0];
    let state = this.state.get(p0);
    if (state === undefined) this.state.set(p0, (state = {}));
    state.funcEvals ??= 0;
    state.nIter ??= 0;

    const origLoss = enableGrad(closure);
    let loss = lossValue(origLoss);
    let currentEvals = 1;
    state.funcEvals += 1;
    const flatGrad = this.buf("flatGrad");
    this.gatherFlatGrad(flatGrad);
    let optCond = this.absMax(flatGrad) <= f32(toleranceGrad);
    if (optCond) return origLoss;

    let d: Tensor | undefined = state.d;
    let t: Py = state.t;
    let oldDirs: Tensor[] = state.oldDirs, oldStps: Tensor[] = state.oldStps, ro: number[] = state.ro;
    let hDiag: number = state.HDiag;
    let prevFlatGrad: Tensor | undefined = state.prevFlatGrad;
    let prevLoss: number = state.prevLoss;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter++;
      // ---- descent direction
      if (state.nIter === 1) {
        d ??= this.vector();
        flat.scaleInto(d, flatGrad, -1);
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = (this.spareY ??= this.vector()), s = (this.spareS ??= this.vector());
        flat.subInto(y, flatGrad, prevFlatGrad!);
        flat.scaleInto(s, d!, value(t));
        const ys = this.dot(y, s);
        if (ys > f32(1e-10)) {
          // the dropped pair's buffers (history full) are the next spares
          const full = oldDirs.length === historySize;
          this.spareY = full ? oldDirs.shift()! : null;
          this.spareS = full ? oldStps.shift()! : null;
          if (full) ro.shift();
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(f32(1 / ys));
          hDiag = f32(ys / this.dot(y, y));
        }
        const numOld = oldDirs.length;
        state.al ??= new Array(historySize).fill(null);
        const al: (number | null)[] = state.al;
        // two-loop recursion; q and then r live in d's buffer (d is not needed any more)
        const q = d!;
        flat.scaleInto(q, flatGrad, -1);
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = f32(this.dot(oldStps[i], q) * ro[i]);
          flat.axpy(q, oldDirs[i], -al[i]!);
        }
        flat.scaleInto(q, q, hDiag);
        for (let i = 0; i < numOld; i++) {
          const be = f32(this.dot(oldDirs[i], q) * ro[i]);
          flat.axpy(q, oldStps[i], f32(al[i]! - be));
        }
      }
      if (prevFlatGrad === undefined) prevFlatGrad = this.vector();
      flat.copyInto(prevFlatGrad, flatGrad);
      prevLoss = loss;

      // ---- step length: min(1.0, 1.0 / flat_grad.abs().sum()) * lr the first time, else lr
      t = state.nIter === 1 ? mul(min(1.0, div(1.0, new F32(flat.normAccum(flatGrad, 1)))), lr) : lr;
      const gtd = new F32(this.dot(flatGrad, d!));
      if (gtd.v > f32(-toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        const x = this.buf("x");
        this.params2flat(x, true);
        const problem = {
          evaluate: (step: Py, g: Tensor) => this.directionalEvaluate(closure, x, value(step), d!, g),
          buf: (name: string) => this.buf(name),
        };
        const r = strongWolfe(problem, t, d!, loss, flatGrad, gtd, maxEval - currentEvals);
        loss = r.f;
        t = r.t;
        lsFuncEvals = r.evals;
        this.addGrad(value(t), d!);
        optCond = this.absMax(flatGrad) <= f32(toleranceGrad);
      } else {
        this.addGrad(value(t), d!);
        if (nIter !== maxIter) {
          // re-evaluate only if not in the last iteration (PyTorch: no use in a stochastic setting)
          loss = lossValue(enableGrad(closure));
          this.gatherFlatGrad(flatGrad);
          optCond = this.absMax(flatGrad) <= f32(toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.funcEvals += lsFuncEvals;

      // ---- stopping conditions
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (f32(this.absMax(d!) * Math.abs(f32(value(t)))) <= f32(toleranceChange)) break; // d.mul(t).abs().max()
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    // t is kept as its value: its one use, d.mul(t), rounds it to float32 either way
    Object.assign(state, { d, t: value(t), oldDirs, oldStps, ro, HDiag: hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }

  // ---- state dicts ----------------------------------------------------------------------

  protected override requiredState(): string[] {
    return ["funcEvals", "nIter"];
  }

  /**
   * PyTorch keeps the state on the first parameter; after the first iteration it holds the
   * direction, step and history (all of them), and the history lists have one length.
   */
  protected override checkLoadedEntry(values: Record<string, unknown>, param: Tensor, _group: Record<string, unknown>,
    where: string): void {
    if (param !== this.params[0]) {
      throw new StateDictError(`${where}: LBFGS keeps its state on the first parameter (index of params[0]) only`);
    }
    const iterated = (values.nIter as number) > 0;
    for (const key of ITERATION_STATE) {
      if ((key in values) !== iterated) {
        throw new StateDictError(`${where} ${iterated ? "has no" : "has"} ${key}, but its nIter is ${values.nIter}: ` +
          `the direction, step and history (${ITERATION_STATE.join(", ")}) are there after the first iteration, and only then`);
      }
    }
    if (iterated) {
      const lengths = HISTORY.map((k) => (values[k] as unknown[]).length);
      if (lengths.some((l) => l !== lengths[0])) {
        throw new StateDictError(`${where}: oldDirs, oldStps and ro must have one length (a history entry each); ` +
          `got ${lengths.join(", ")}`);
      }
    }
  }
}
