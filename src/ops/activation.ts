// GELU, LeakyReLU, ELU, SiLU and Softplus as fused kernels (assembly/activation.ts): one
// call forward, one backward that reads the input.
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { dense, dropTemp, empty } from "./layout.js";

const k = K as unknown as {
  activation(op: number, x: number, out: number, n: number, a: number, b: number): void;
  activationBackward(op: number, x: number, g: number, out: number, n: number, a: number, b: number): void;
};

const enum Act { GELU = 0, GELU_TANH = 1, LEAKY_RELU = 2, ELU = 3, SILU = 4, SOFTPLUS = 5 }
const NAMES = ["GeluBackward0", "GeluBackward0", "LeakyReluBackward0", "EluBackward0", "SiluBackward0", "SoftplusBackward0"];

function checkInput(where: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${x === null ? "null" : typeof x}`);
  if (x.dtype !== "float32") throw new TypeError(`${where}: input must be float32, got ${x.dtype}`);
  return x;
}

function checkNumber(where: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${where}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function act(op: Act, where: string, input: unknown, a: number, b: number): Tensor {
  const x = checkInput(where, input);
  const xd = dense(x);
  const out = empty(x.shape);
  if (out._size > 0) k.activation(op, xd._ptr, out._ptr, out._size, a, b);
  if (!needsGrad(x)) { dropTemp(xd, x); return out; }
  record(out, NAMES[op], [x], (g) => {
    const gx = empty(x.shape);
    if (gx._size > 0) k.activationBackward(op, xd._ptr, g._ptr, gx._ptr, gx._size, a, b);
    return [gx];
  }, [x], xd !== x ? [xd] : undefined);
  return out;
}

/**
 * PyTorch's `F.gelu(input, { approximate })`: x·Φ(x), Φ the standard normal CDF
 * (`approximate: "none"`, the default), or its tanh approximation (`"tanh"`).
 *
 * ```ts
 * const x = torch.tensor([-1, 0, 1, 2]);
 * F.gelu(x);                          // tensor([-0.1587,  0.0000,  0.8413,  1.9545])
 * F.gelu(x, { approximate: "tanh" }); // tensor([-0.1588,  0.0000,  0.8412,  1.9546])
 * ```
 */
export function gelu(x: Tensor, options: { approximate?: "none" | "tanh" } = {}): Tensor {
  const approximate = options?.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") {
    throw new Error(`gelu: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
  }
  return act(approximate === "tanh" ? Act.GELU_TANH : Act.GELU, "gelu", x, 0, 0);
}

/**
 * PyTorch's `F.leaky_relu(input, negativeSlope = 0.01)`: max(0, x) + negativeSlope·min(0, x).
 *
 * ```ts
 * F.leakyRelu(torch.tensor([-2, 0, 2]));      // tensor([-0.0200,  0.0000,  2.0000])
 * F.leakyRelu(torch.tensor([-2, 0, 2]), 0.2); // tensor([-0.4000,  0.0000,  2.0000])
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return act(Act.LEAKY_RELU, "leakyRelu", x, checkNumber("leakyRelu", "negativeSlope", negativeSlope), 0);
}

/**
 * PyTorch's `F.elu(input, alpha = 1)`: x for x > 0, alpha·(eˣ − 1) otherwise.
 *
 * ```ts
 * F.elu(torch.tensor([-2, 0, 2])); // tensor([-0.8647,  0.0000,  2.0000])
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return act(Act.ELU, "elu", x, checkNumber("elu", "alpha", alpha), 0);
}

/**
 * PyTorch's `F.silu(input)`: x·σ(x) (swish).
 *
 * ```ts
 * F.silu(torch.tensor([-2, 0, 2])); // tensor([-0.2384,  0.0000,  1.7616])
 * ```
 */
export function silu(x: Tensor): Tensor {
  return act(Act.SILU, "silu", x, 0, 0);
}

/**
 * PyTorch's `F.softplus(input, beta = 1, threshold = 20)`: log(1 + e^(beta·x)) / beta, a
 * smooth relu; x itself where beta·x > threshold (for stability).
 *
 * ```ts
 * F.softplus(torch.tensor([-2, 0, 2]));    // tensor([0.1269, 0.6931, 2.1269])
 * F.softplus(torch.tensor([-2, 0, 2]), 2); // tensor([0.0091, 0.3466, 2.0091])
 * ```
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const bt = checkNumber("softplus", "beta", beta);
  if (bt === 0) throw new Error("softplus: beta must be non-zero");
  return act(Act.SOFTPLUS, "softplus", x, bt, checkNumber("softplus", "threshold", threshold));
}
