import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import * as A from "../ops/activation.js";
import { functionalLogSoftmax, functionalSoftmax } from "../ops/softmax.js";

const F = { softmax: functionalSoftmax, logSoftmax: functionalLogSoftmax };

export class ReLU extends Module {
  /** PyTorch's `inplace` flag: only `false` (torchlet's relu returns a new tensor). */
  readonly inplace = false;

  constructor(options?: { inplace?: boolean }) {
    super();
    const { inplace = false } = checkOptions("ReLU", options, ["inplace"]);
    if (inplace !== false) {
      throw new TypeError(`ReLU: inplace must be false (torchlet's relu returns a new tensor; the values are the same), got ${describe(inplace)}`);
    }
  }

  forward(x: Tensor): Tensor { return checkTensor("ReLU.forward", "input", x, "any shape").relu(); }
}

export class Sigmoid extends Module {
  constructor(options?: Record<string, never>) {
    super();
    checkOptions("Sigmoid", options, []);
  }

  forward(x: Tensor): Tensor { return checkTensor("Sigmoid.forward", "input", x, "any shape").sigmoid(); }
}

export class Tanh extends Module {
  constructor(options?: Record<string, never>) {
    super();
    checkOptions("Tanh", options, []);
  }

  forward(x: Tensor): Tensor { return checkTensor("Tanh.forward", "input", x, "any shape").tanh(); }
}

/** GELU, exact (`approximate: "none"`) or with PyTorch's tanh approximation. `new nn.GELU({ approximate: "tanh" })`. */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(options?: { approximate?: "none" | "tanh" }) {
    super();
    const { approximate = "none" } = checkOptions("GELU", options, ["approximate"]);
    if (approximate !== "none" && approximate !== "tanh") throw new Error(`GELU: approximate must be "none" or "tanh", got ${describe(approximate)}`);
    this.approximate = approximate;
  }
  forward(x: Tensor): Tensor { return A.gelu(checkTensor("GELU.forward", "input", x, "any shape"), { approximate: this.approximate }); }
}

/** `new nn.LeakyReLU({ negativeSlope: 0.2 })` (default 0.01). */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(options?: { negativeSlope?: number; inplace?: boolean }) {
    super();
    const { negativeSlope = 0.01, inplace = false } = checkOptions("LeakyReLU", options, ["negativeSlope", "inplace"]);
    if (inplace !== false) throw new TypeError(`LeakyReLU: inplace must be false, got ${describe(inplace)}`);
    if (typeof negativeSlope !== "number" || !Number.isFinite(negativeSlope)) throw new TypeError(`LeakyReLU: negativeSlope must be a finite number, got ${describe(negativeSlope)}`);
    this.negativeSlope = negativeSlope;
  }
  forward(x: Tensor): Tensor { return A.leakyRelu(checkTensor("LeakyReLU.forward", "input", x, "any shape"), this.negativeSlope); }
}

/** `new nn.ELU({ alpha: 1 })`. */
export class ELU extends Module {
  readonly alpha: number;
  constructor(options?: { alpha?: number; inplace?: boolean }) {
    super();
    const { alpha = 1, inplace = false } = checkOptions("ELU", options, ["alpha", "inplace"]);
    if (inplace !== false) throw new TypeError(`ELU: inplace must be false, got ${describe(inplace)}`);
    if (typeof alpha !== "number" || !Number.isFinite(alpha)) throw new TypeError(`ELU: alpha must be a finite number, got ${describe(alpha)}`);
    this.alpha = alpha;
  }
  forward(x: Tensor): Tensor { return A.elu(checkTensor("ELU.forward", "input", x, "any shape"), this.alpha); }
}

/** x·σ(x). */
export class SiLU extends Module {
  constructor(options?: { inplace?: boolean }) {
    super();
    const { inplace = false } = checkOptions("SiLU", options, ["inplace"]);
    if (inplace !== false) throw new TypeError(`SiLU: inplace must be false, got ${describe(inplace)}`);
  }
  forward(x: Tensor): Tensor { return A.silu(checkTensor("SiLU.forward", "input", x, "any shape")); }
}

/** `new nn.Softplus({ beta: 1, threshold: 20 })`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(options?: { beta?: number; threshold?: number }) {
    super();
    const { beta = 1, threshold = 20 } = checkOptions("Softplus", options, ["beta", "threshold"]);
    for (const [name, v] of [["beta", beta], ["threshold", threshold]] as const) {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`Softplus: ${name} must be a finite number, got ${describe(v)}`);
    }
    this.beta = beta;
    this.threshold = threshold;
  }
  forward(x: Tensor): Tensor { return A.softplus(checkTensor("Softplus.forward", "input", x, "any shape"), this.beta, this.threshold); }
}

function softmaxDim(owner: string, options: { dim?: number | null } | number | undefined): number | null {
  const o = typeof options === "number" ? { dim: options } : checkOptions(owner, options, ["dim"]);
  const dim = o.dim ?? null;
  if (dim !== null && !Number.isInteger(dim)) throw new TypeError(`${owner}: dim must be an integer, got ${describe(dim)}`);
  return dim;
}

/** Softmax along `dim`: `new nn.Softmax({ dim: 1 })` (or `new nn.Softmax(1)`). */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(options?: { dim?: number | null } | number) {
    super();
    this.dim = softmaxDim("Softmax", options);
  }
  forward(x: Tensor): Tensor {
    checkTensor("Softmax.forward", "input", x, "any shape");
    return this.dim === null ? F.softmax(x) : F.softmax(x, { dim: this.dim });
  }
}

/** Log-softmax along `dim`: `new nn.LogSoftmax({ dim: 1 })`, e.g. before nn.NLLLoss. */
export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(options?: { dim?: number | null } | number) {
    super();
    this.dim = softmaxDim("LogSoftmax", options);
  }
  forward(x: Tensor): Tensor {
    checkTensor("LogSoftmax.forward", "input", x, "any shape");
    return this.dim === null ? F.logSoftmax(x) : F.logSoftmax(x, { dim: this.dim });
  }
}
