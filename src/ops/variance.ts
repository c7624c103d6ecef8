// var and std with PyTorch's call forms: x.var(dim?, { correction?, keepdim? }), the legacy
// x.var(unbiased) and x.var(dim, unbiased, keepdim?), and { unbiased } as an option.
import type { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { RK } from "./reduce_kernels.js";
import { refuseUnknownOptions } from "../unknown_option.js";
import { parseDims, parseKeepdim, planReduce, reduceGrad, reduceRows, show, tensorArg } from "./reduce_plan.js";

/**
 * The keyword arguments of `var` and `std` (PyTorch's `correction`, `keepdim` and legacy
 * `unbiased`), as one object after `dim`.
 *
 * ```ts
 * const x = torch.tensor([1, 2, 3, 4]);
 * const opts: torch.VarOptions = { correction: 0 };
 * x.var(0, opts);                  // tensor(1.2500)
 * x.var(null, { unbiased: true }); // tensor(1.6667)
 * ```
 */
export interface VarOptions {
  /** Subtracted from the element count in the divisor: 1 (default) is Bessel's correction, 0 the population variance. */
  correction?: number;
  /** Keep the reduced dims as size 1. Default false. */
  keepdim?: boolean;
  /** The legacy form of correction: true is correction 1, false is 0. Not with correction. */
  unbiased?: boolean;
}

type DimArg = number | readonly number[] | null | undefined;

function isOptions(v: unknown): v is VarOptions {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkUnbiased(v: unknown, op: string): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${op}: unbiased must be a boolean, got ${show(v)}`);
  return v;
}

/** Reads the three call forms into dim, correction and keepdim. */
function parseArgs(op: string, a: unknown, b: unknown, c: unknown): { dim: unknown; correction: number; keepdim: boolean } {
  if (typeof a === "boolean") {
    // x.var(unbiased): every dim
    if (b !== undefined) throw new TypeError(`${op}: after unbiased (${a}) no other argument is taken, got ${show(b)}`);
    return { dim: undefined, correction: a ? 1 : 0, keepdim: false };
  }
  if (isOptions(a)) { c = b; b = a; a = undefined; } // x.var({ correction }): every dim
  if (typeof b === "boolean" || (b === undefined && c !== undefined)) {
    // legacy x.var(dim, unbiased, keepdim)
    return { dim: a, correction: b === undefined || checkUnbiased(b, op) ? 1 : 0, keepdim: parseKeepdim(c, op) };
  }
  if (c !== undefined) throw new TypeError(`${op}: unexpected third argument ${show(c)} after the options object`);
  if (b === undefined || b === null) return { dim: a, correction: 1, keepdim: false };
  if (!isOptions(b)) throw new TypeError(`${op}: expected an options object { correction?, keepdim? } or unbiased (a boolean) after dim, got ${show(b)}`);
  refuseUnknownOptions(op, b, ["correction", "keepdim", "unbiased"]);
  if (b.correction !== undefined && b.unbiased !== undefined) {
    throw new TypeError(`${op}: pass correction or unbiased, not both (got correction ${show(b.correction)} and unbiased ${show(b.unbiased)})`);
  }
  let correction = 1;
  if (b.unbiased !== undefined) correction = checkUnbiased(b.unbiased, op) ? 1 : 0;
  if (b.correction !== undefined && b.correction !== null) {
    if (typeof b.correction !== "number" || !Number.isFinite(b.correction)) {
      throw new TypeError(`${op}: correction must be a finite number, got ${show(b.correction)}`);
    }
    correction = b.correction;
  }
  return { dim: a, correction, keepdim: parseKeepdim(b.keepdim, op) };
}

function variance(x: Tensor, isStd: boolean, a: unknown, b: unknown, c: unknown): Tensor {
  const op = isStd ? "std" : "var";
  const { dim, correction, keepdim } = parseArgs(op, a, b, c);
  const dims = parseDims(dim, x.shape.length, op);
  if (x.dtype !== "float32") {
    throw new Error(`${op}: std and var only support floating point dtypes, got a tensor of dtype ${x.dtype} (convert it with .float())`);
  }
  const plan = planReduce(x, dims, keepdim);
  const sqrt = isStd ? 1 : 0;
  const out = reduceRows(x, plan, (src, o, outer, n, inner) => RK.varDim(src, o, outer, n, inner, correction, sqrt));
  if (needsGrad(x)) {
    // PyTorch treats a reduction given no dim (or of a 0-d input) apart when n ≤ correction.
    // dim [] counts as no dim here: PyTorch's backward for [] divides by a count of 1.
    const full = dims === null || x.shape.length === 0 ? 1 : 0;
    record(out, isStd ? "StdBackward0" : "VarBackward0", [x], (g) => [reduceGrad(x, out, g, plan,
      (xp, y, gp, gx, outer, n, inner) => RK.varBackward(xp, y, gp, gx, outer, n, inner, correction, sqrt, full))],
    isStd ? [x, out] : [x]);
  }
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * The variance over every dim, one dim or a list of dims: Σ(x − mean)² / (N − correction),
     * with PyTorch's correction default 1. Also the legacy forms `var(unbiased)` and
     * `var(dim, unbiased, keepdim?)`.
     *
     * ```ts
     * const x = torch.tensor([[1, 2], [3, 5]]);
     * x.var();                                          // tensor(2.9167)
     * x.var(1, { correction: 0, keepdim: true });       // tensor([[0.2500], [1.0000]])
     * x.var(0, false);                                  // unbiased = false: tensor([1.0000, 2.2500])
     * ```
     */
    var(dim?: DimArg | VarOptions | boolean, options?: VarOptions | boolean, keepdim?: boolean): Tensor;
    /**
     * The standard deviation, `sqrt(var)`, with `var`'s call forms.
     *
     * ```ts
     * torch.tensor([1, 2, 3, 4]).std();                      // tensor(1.2910)
     * torch.tensor([1, 2, 3, 4]).std({ correction: 0 });     // tensor(1.1180)
     * ```
     */
    std(dim?: DimArg | VarOptions | boolean, options?: VarOptions | boolean, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  var(this: Tensor, a?: unknown, b?: unknown, c?: unknown) { return variance(this, false, a, b, c); },
  std(this: Tensor, a?: unknown, b?: unknown, c?: unknown) { return variance(this, true, a, b, c); },
});

/**
 * torch.var(input, dim?, { correction?, keepdim? }): see `Tensor.var`.
 *
 * ```ts
 * torch.var(torch.tensor([1, 2, 3, 4]), 0, { correction: 0 });   // tensor(1.2500)
 * ```
 */
export function varFn(input: Tensor, dim?: DimArg | VarOptions | boolean, options?: VarOptions | boolean, keepdim?: boolean): Tensor {
  return variance(tensorArg(input, "var"), false, dim, options, keepdim);
}

/**
 * torch.std(input, dim?, { correction?, keepdim? }): see `Tensor.std`.
 *
 * ```ts
 * torch.std(torch.tensor([[1, 2], [3, 5]]), 1);   // tensor([0.7071, 1.4142])
 * ```
 */
export function stdFn(input: Tensor, dim?: DimArg | VarOptions | boolean, options?: VarOptions | boolean, keepdim?: boolean): Tensor {
  return variance(tensorArg(input, "std"), true, dim, options, keepdim);
}
