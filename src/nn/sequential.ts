import { Module } from "./module.js";
import { describe } from "./check.js";

/** Runs its modules in order; they are children "0", "1", … as in PyTorch. */
export class Sequential extends Module {
  [index: number]: Module;
  declare readonly length: number;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} must be an nn.Module, got ${describe(m)}`);
      this[i] = m;
    });
    Object.defineProperty(this, "length", { value: modules.length, enumerable: false });
  }

  forward(x: any): any {
    for (const m of this.children()) x = m.forward(x);
    return x;
  }

  *[Symbol.iterator](): IterableIterator<Module> {
    yield* this.children();
  }
}
