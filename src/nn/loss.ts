// Loss modules: options object with reduction, forward(input, target).
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";

abstract class Loss extends Module {
  readonly reduction: L.Reduction;
  constructor(options: { reduction?: L.Reduction } = {}) {
    super();
    this.reduction = L.checkReduction(options.reduction ?? "mean", this.constructor.name);
  }
}

export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, this.reduction); }
}

export class L1Loss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, this.reduction); }
}

export class CrossEntropyLoss extends Loss {
  forward(input: Tensor, target: L.Target): Tensor { return L.crossEntropy(input, target, this.reduction); }
}

export class BCEWithLogitsLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, this.reduction);
  }
}
