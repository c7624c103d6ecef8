import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import * as A from "../ops/activation.js";
import { functionalLogSoftmax, functionalSoftmax } from "../ops/softmax.js";

const F = { softmax: functionalSoftmax, logSoftmax: functionalLogSoftmax };

/**
 * max(x, 0) element-wise as a module, as `torch.nn.ReLU` (PyTorch's `inplace` option is
 * accepted only as false).
 *
 * ```ts
 * const act = new nn.ReLU();
 * act.forward(torch.tensor([-1, 0, 2])); // tensor([0., 0., 2.])
 * ```
 */
export class ReLU extends Module {
  /**
   * PyTorch's `inplace` flag: only `false` (torchlet's relu returns a new tensor; the values
   * are the same).
   *
   * ```ts
   * new nn.ReLU().inplace; // false
   * new nn.ReLU({ inplace: true }); // throws: inplace must be false
   * ```
   */
  readonly inplace = false;

  constructor(options?: { inplace?: boolean }) {
    super();
    const { inplace = false } = checkOptions("ReLU", options, ["inplace"]);
    if (inplace !== false) {
      throw new TypeError(`ReLU: inplace must be false (torchlet's relu returns a new tensor; the values are the same), got ${describe(inplace)}`);
    }
  }

  /**
   * `relu(x)`, any shape.
   *
   * ```ts
   * new nn.ReLU().forward(torch.tensor([[-3, 3]])); // tensor([[0., 3.]])
   * ```
   */
  forward(x: Tensor): Tensor { return checkTensor("ReLU.forward", "input", x, "any shape").relu(); }
}

/**
 * The logistic function 1 / (1 + e^-x) as a module, as `torch.nn.Sigmoid`.
 *
 * ```ts
 * new nn.Sigmoid().forward(torch.tensor([0])); // tensor([0.5000])
 * ```
 */
export class Sigmoid extends Module {
  constructor(options?: Record<string, never>) {
    super();
    checkOptions("Sigmoid", options, []);
  }

  /**
   * `sigmoid(x)`, any shape.
   *
   * ```ts
   * new nn.Sigmoid().forward(torch.tensor([-1, 1])); // tensor([0.2689, 0.7311])
   * ```
   */
  forward(x: Tensor): Tensor { return checkTensor("Sigmoid.forward", "input", x, "any shape").sigmoid(); }
}

/**
 * Hyperbolic tangent as a module, as `torch.nn.Tanh`.
 *
 * ```ts
 * new nn.Tanh().forward(torch.tensor([0, 1])); // tensor([0.0000, 0.7616])
 * ```
 */
export class Tanh extends Module {
  constructor(options?: Record<string, never>) {
    super();
    checkOptions("Tanh", options, []);
  }

  /**
   * `tanh(x)`, any shape.
   *
   * ```ts
   * new nn.Tanh().forward(torch.tensor([-100])); // tensor([-1.])
   * ```
   */
  forward(x: Tensor): Tensor { return checkTensor("Tanh.forward", "input", x, "any shape").tanh(); }
}

/**
 * GELU as a module, as `torch.nn.GELU`: x·Φ(x), exact (`approximate: "none"`, the default)
 * or with PyTorch's tanh approximation (`"tanh"`).
 *
 * ```ts
 * new nn.GELU().forward(torch.tensor([-1, 1]));                       // tensor([-0.1587,  0.8413])
 * new nn.GELU({ approximate: "tanh" }).forward(torch.tensor([-1, 1])); // tensor([-0.1588,  0.8412])
 * ```
 */
export class GELU extends Module {
  /**
   * `"none"` (exact, the default) or `"tanh"`.
   *
   * ```ts
   * new nn.GELU().approximate; // "none"
   * ```
   */
  readonly approximate: "none" | "tanh";
  constructor(options?: { approximate?: "none" | "tanh" }) {
    super();
    const { approximate = "none" } = checkOptions("GELU", options, ["approximate"]);
    if (approximate !== "none" && approximate !== "tanh") throw new Error(`GELU: approximate must be "none" or "tanh", got ${describe(approximate)}`);
    this.approximate = approximate;
  }
  /**
   * `gelu(x)`, any shape.
   *
   * ```ts
   * new nn.GELU().forward(torch.tensor([0])); // tensor([0.])
   * ```
   */
  forward(x: Tensor): Tensor { return A.gelu(checkTensor("GELU.forward", "input", x, "any shape"), { approximate: this.approximate }); }
}

/**
 * max(0, x) + negativeSlope·min(0, x) as a module, as `torch.nn.LeakyReLU`:
 * `new nn.LeakyReLU({ negativeSlope: 0.2 })` (default 0.01).
 *
 * ```ts
 * new nn.LeakyReLU({ negativeSlope: 0.2 }).forward(torch.tensor([-2, 2])); // tensor([-0.4000,  2.0000])
 * ```
 */
export class LeakyReLU extends Module {
  /**
   * The slope for x < 0 (default 0.01).
   *
   * ```ts
   * new nn.LeakyReLU().negativeSlope; // 0.01
   * ```
   */
  readonly negativeSlope: number;
  constructor(options?: { negativeSlope?: number; inplace?: boolean }) {
    super();
    const { negativeSlope = 0.01, inplace = false } = checkOptions("LeakyReLU", options, ["negativeSlope", "inplace"]);
    if (inplace !== false) throw new TypeError(`LeakyReLU: inplace must be false, got ${describe(inplace)}`);
    if (typeof negativeSlope !== "number" || !Number.isFinite(negativeSlope)) throw new TypeError(`LeakyReLU: negativeSlope must be a finite number, got ${describe(negativeSlope)}`);
    this.negativeSlope = negativeSlope;
  }
  /**
   * `leakyRelu(x)`, any shape.
   *
   * ```ts
   * new nn.LeakyReLU().forward(torch.tensor([-1])); // tensor([-0.0100])
   * ```
   */
  forward(x: Tensor): Tensor { return A.leakyRelu(checkTensor("LeakyReLU.forward", "input", x, "any shape"), this.negativeSlope); }
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise, as `torch.nn.ELU`: `new nn.ELU({ alpha: 1 })`.
 *
 * ```ts
 * new nn.ELU().forward(torch.tensor([-2, 2])); // tensor([-0.8647,  2.0000])
 * ```
 */
export class ELU extends Module {
  /**
   * The scale of the negative side (default 1).
   *
   * ```ts
   * new nn.ELU({ alpha: 0.5 }).alpha; // 0.5
   * ```
   */
  readonly alpha: number;
  constructor(options?: { alpha?: number; inplace?: boolean }) {
    super();
    const { alpha = 1, inplace = false } = checkOptions("ELU", options, ["alpha", "inplace"]);
    if (inplace !== false) throw new TypeError(`ELU: inplace must be false, got ${describe(inplace)}`);
    if (typeof alpha !== "number" || !Number.isFinite(alpha)) throw new TypeError(`ELU: alpha must be a finite number, got ${describe(alpha)}`);
    this.alpha = alpha;
  }
  /**
   * `elu(x)`, any shape.
   *
   * ```ts
   * new nn.ELU({ alpha: 2 }).forward(torch.tensor([-100])); // tensor([-2.])
   * ```
   */
  forward(x: Tensor): Tensor { return A.elu(checkTensor("ELU.forward", "input", x, "any shape"), this.alpha); }
}

/**
 * x·σ(x) (swish) as a module, as `torch.nn.SiLU`.
 *
 * ```ts
 * new nn.SiLU().forward(torch.tensor([-2, 0, 2])); // tensor([-0.2384,  0.0000,  1.7616])
 * ```
 */
export class SiLU extends Module {
  constructor(options?: { inplace?: boolean }) {
    super();
    const { inplace = false } = checkOptions("SiLU", options, ["inplace"]);
    if (inplace !== false) throw new TypeError(`SiLU: inplace must be false, got ${describe(inplace)}`);
  }
  /**
   * `silu(x)`, any shape.
   *
   * ```ts
   * new nn.SiLU().forward(torch.tensor([1])); // tensor([0.7311])
   * ```
   */
  forward(x: Tensor): Tensor { return A.silu(checkTensor("SiLU.forward", "input", x, "any shape")); }
}

/**
 * log(1 + e^(beta·x)) / beta as a module, as `torch.nn.Softplus`:
 * `new nn.Softplus({ beta: 1, threshold: 20 })` (x itself where beta·x > threshold).
 *
 * ```ts
 * new nn.Softplus().forward(torch.tensor([-2, 0, 2])); // tensor([0.1269, 0.6931, 2.1269])
 * ```
 */
export class Softplus extends Module {
  /**
   * The sharpness (default 1).
   *
   * ```ts
   * new nn.Softplus({ beta: 2 }).beta; // 2
   * ```
   */
  readonly beta: number;
  /**
   * Above `beta·x > threshold` the output is x itself (default 20).
   *
   * ```ts
   * new nn.Softplus().threshold; // 20
   * ```
   */
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
  /**
   * `softplus(x)`, any shape.
   *
   * ```ts
   * new nn.Softplus({ beta: 2 }).forward(torch.tensor([0])); // tensor([0.3466])
   * ```
   */
  forward(x: Tensor): Tensor { return A.softplus(checkTensor("Softplus.forward", "input", x, "any shape"), this.beta, this.threshold); }
}

function softmaxDim(owner: string, options: { dim?: number | null } | number | undefined): number | null {
  const o = typeof options === "number" ? { dim: options } : checkOptions(owner, options, ["dim"]);
  const dim = o.dim ?? null;
  if (dim !== null && !Number.isInteger(dim)) throw new TypeError(`${owner}: dim must be an integer, got ${describe(dim)}`);
  return dim;
}

/**
 * Softmax along `dim` as a module, as `torch.nn.Softmax`: `new nn.Softmax({ dim: 1 })` (or
 * `new nn.Softmax(1)`); without a dim, PyTorch's deprecated implicit choice.
 *
 * ```ts
 * new nn.Softmax({ dim: -1 }).forward(torch.tensor([[0, 0]])); // tensor([[0.5000, 0.5000]])
 * ```
 */
export class Softmax extends Module {
  /**
   * The dim to normalise over, or null for PyTorch's implicit choice.
   *
   * ```ts
   * new nn.Softmax(1).dim; // 1
   * ```
   */
  readonly dim: number | null;
  constructor(options?: { dim?: number | null } | number) {
    super();
    this.dim = softmaxDim("Softmax", options);
  }
  /**
   * `softmax(x)` along `dim`, any shape.
   *
   * ```ts
   * new nn.Softmax(0).forward(torch.tensor([1, 1, 2])).sum(); // tensor(1.)
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("Softmax.forward", "input", x, "any shape");
    return this.dim === null ? F.softmax(x) : F.softmax(x, { dim: this.dim });
  }
}

/**
 * Log-softmax along `dim` as a module, as `torch.nn.LogSoftmax`: `new nn.LogSoftmax({ dim: 1 })`,
 * e.g. before `nn.NLLLoss`.
 *
 * ```ts
 * new nn.LogSoftmax({ dim: 1 }).forward(torch.tensor([[0, 0]])); // tensor([[-0.6931, -0.6931]])
 * ```
 */
export class LogSoftmax extends Module {
  /**
   * The dim to normalise over, or null for PyTorch's implicit choice.
   *
   * ```ts
   * new nn.LogSoftmax({ dim: -1 }).dim; // -1
   * ```
   */
  readonly dim: number | null;
  constructor(options?: { dim?: number | null } | number) {
    super();
    this.dim = softmaxDim("LogSoftmax", options);
  }
  /**
   * `logSoftmax(x)` along `dim`, any shape.
   *
   * ```ts
   * new nn.LogSoftmax(0).forward(torch.tensor([0])); // tensor([0.])
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("LogSoftmax.forward", "input", x, "any shape");
    return this.dim === null ? F.logSoftmax(x) : F.logSoftmax(x, { dim: this.dim });
  }
}
