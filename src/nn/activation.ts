import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { checkOptions, checkTensor, describe } from "./check.js";

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
