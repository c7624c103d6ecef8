import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";

export class ReLU extends Module {
  forward(x: Tensor): Tensor { return x.relu(); }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return x.sigmoid(); }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor { return x.tanh(); }
}
