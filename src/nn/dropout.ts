// nn.Dropout and F.dropout (torch/nn/modules/dropout.py, ATen's Dropout.cpp): in training,
// each element is zeroed with probability p and the rest are scaled by 1/(1−p); in eval, or
// with p = 0, the input itself is returned, as PyTorch returns it. The mask is drawn from a
// torch.Generator (the default one unless F.dropout is given another) by one fused kernel
// (assembly/dropout.ts) that also writes the output; backward is one more call.
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { checkInPlaceTarget, needsGrad, record, recordInPlace } from "../autograd.js";
import { copyInto, dense, dropTemp, empty } from "../ops/layout.js";
import { generatorArg } from "../generator_option.js";
import { bumpVersion, ptr } from "../storage_access.js";
import { defaultGenerator, type Generator } from "../random.js";
import { checkOptions, checkTensor, describe, isPlainObject } from "./check.js";

const k = K as unknown as {
  dropoutForward(x: number, out: number, mask: number, n: number, state: number, keep: number, scale: number): void;
  dropoutBackward(g: number, mask: number, gx: number, n: number, scale: number): void;
};

/** The probability check of nn.Dropout and F.dropout, with PyTorch's wording. */
function checkP(owner: string, p: unknown): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${owner}: p, the dropout probability, has to be a number between 0 and 1, but got ${describe(p)}`);
  }
  return p;
}

function checkFlag(owner: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${owner}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}

/** Gradient of out = x·noise: g·noise, read back from the saved mask. */
function maskGrad(g: Tensor, mask: Tensor, scale: number): Tensor {
  const gx = empty(g.shape);
  k.dropoutBackward(ptr(g), ptr(mask), ptr(gx), gx.numel(), scale);
  return gx;
}

/** Draws the mask and writes x·noise into `out` (x itself, in place, or a new tensor). */
function drawInto(x: Tensor, out: Tensor, mask: Tensor, keep: number, scale: number, gen: Generator): void {
  gen._run((state) => k.dropoutForward(ptr(x), ptr(out), ptr(mask), mask.numel(), state, keep, scale));
}

/** Dropout as ATen's _dropout_impl, once the arguments are checked. */
function applyDropout(owner: string, x: Tensor, p: number, training: boolean, inplace: boolean, gen: Generator): Tensor {
  if (p === 0 || !training || x.numel() === 0) return x;
  if (x.dtype !== "float32") throw new TypeError(`${owner}: input must be a float32 tensor in training, got ${x.dtype}`);
  if (inplace) checkInPlaceTarget(x, owner);
  const keep = 1 - p;
  // PyTorch divides the 0/1 noise by (1 − p) in float32: scale = fl(1 / fl(1 − p))
  const scale = p === 1 ? 0 : Math.fround(1 / Math.fround(keep));
  const mask = empty(x.shape, "bool");
  const src = dense(x);
  let out: Tensor;
  if (!inplace) {
    out = empty(x.shape);
    drawInto(src, out, mask, keep, scale, gen);
    dropTemp(src, x);
  } else if (src === x) {
    drawInto(x, x, mask, keep, scale, gen);
    bumpVersion(x);
    out = x;
  } else {
    drawInto(src, src, mask, keep, scale, gen); // src is a contiguous copy of the view x
    copyInto(x, src); // bumps x's version
    src.dispose();
    out = x;
  }
  if (!needsGrad(x)) { mask.dispose(); return out; }
  if (inplace) {
    // the graph keeps the closure (and so the mask) until backward() frees it
    recordInPlace(x, "MulBackward0", (g) => { const gx = maskGrad(g, mask, scale); mask.dispose(); return gx; });
  } else {
    record(out, "MulBackward0", [x], (g) => [maskGrad(g, mask, scale)], [], [mask]);
  }
  return out;
}

/**
 * Options of `nn.Dropout`: `p` (default 0.5) and `inplace` (default false).
 *
 * ```ts
 * const opts: nn.DropoutOptions = { p: 0.1 };
 * new nn.Dropout(opts).p; // 0.1
 * ```
 */
export interface DropoutOptions {
  /** Probability of an element being zeroed (default 0.5). */
  p?: number;
  /** Zero the input's own elements instead of returning a new tensor (default false). */
  inplace?: boolean;
}

/**
 * Options of `F.dropout`: `p`, `inplace`, `training` (default true, as PyTorch's
 * `F.dropout`) and `generator`.
 *
 * ```ts
 * const opts: nn.FunctionalDropoutOptions = { p: 0.5, generator: new torch.Generator().manualSeed(0) };
 * F.dropout(torch.ones([1000]), opts).sum().item() > 0; // true
 * ```
 */
export interface FunctionalDropoutOptions extends DropoutOptions {
  /** Apply dropout (default true, as PyTorch's F.dropout); false returns the input. */
  training?: boolean;
  /** The generator the mask is drawn from (torchlet's addition; default: torch.manualSeed's). */
  generator?: Generator | null;
}

/**
 * PyTorch's `F.dropout(x, { p = 0.5, training = true, inplace = false, generator })`: zeroes
 * each element with probability p and scales the others by 1/(1−p); returns `x` itself when
 * `training` is false or p is 0. Differentiable.
 *
 * ```ts
 * const model = new nn.Linear(4, 4);
 * const x = torch.ones([2, 4]);
 * const h = F.dropout(x, { p: 0.2, training: model.training });
 * h.eq(0).logicalOr(h.eq(1.25)).sum().item(); // 8: each element dropped or scaled by 1/0.8
 * F.dropout(x, { training: false }) === x;   // true
 * ```
 */
export function dropout(input: Tensor, options?: FunctionalDropoutOptions): Tensor {
  const owner = "F.dropout";
  const o = checkOptions(owner, options, ["p", "training", "inplace", "generator"]);
  const x = checkTensor(owner, "input", input, "any shape");
  const p = checkP(owner, o.p ?? 0.5);
  const training = checkFlag(owner, "training", o.training ?? true);
  const inplace = checkFlag(owner, "inplace", o.inplace ?? false);
  return applyDropout(owner, x, p, training, inplace, generatorArg(owner, o.generator));
}

/**
 * Zeroes each element of its input with probability `p` (default 0.5) in training and
 * scales the rest by 1/(1−p), drawing from the default generator (`torch.manualSeed`),
 * as `torch.nn.Dropout`; in `eval()` it returns its input unchanged.
 *
 * ```ts
 * const drop = new nn.Dropout(0.25); // or new nn.Dropout({ p: 0.25, inplace: false })
 * const x = torch.ones([4, 4]);
 * drop.forward(x).max().item();      // 1.3333333730697632
 * drop.eval().forward(x) === x;      // true
 * ```
 */
export class Dropout extends Module {
  /**
   * The probability of zeroing an element (default 0.5).
   *
   * ```ts
   * new nn.Dropout().p; // 0.5
   * ```
   */
  readonly p: number;
  /**
   * Whether forward zeroes its input's own elements instead of returning a new tensor
   * (default false).
   *
   * ```ts
   * new nn.Dropout({ inplace: true }).inplace; // true
   * ```
   */
  readonly inplace: boolean;

  constructor(p: number | DropoutOptions = {}) {
    super();
    if (typeof p !== "number" && !isPlainObject(p)) {
      throw new TypeError(`Dropout: the first argument must be p (a number between 0 and 1) or options { p, inplace }, got ${describe(p)}`);
    }
    const o = typeof p === "number" ? { p } : checkOptions("Dropout", p, ["p", "inplace"]);
    this.p = checkP("Dropout", o.p ?? 0.5);
    this.inplace = checkFlag("Dropout", "inplace", o.inplace ?? false);
  }

  /**
   * `x` with dropout applied in training mode, `x` itself in eval mode.
   *
   * ```ts
   * torch.manualSeed(0);
   * const y = new nn.Dropout(0.5).forward(torch.ones([8]));
   * y.eq(0).logicalOr(y.eq(2)).sum().item(); // 8
   * ```
   */
  forward(x: Tensor): Tensor {
    const owner = "Dropout.forward";
    return applyDropout(owner, checkTensor(owner, "input", x, "any shape"), this.p, this.training, this.inplace, defaultGenerator);
  }
}
