import { Module } from "./module.js";
import { describe } from "./check.js";

/**
 * Runs its modules in order, each on the previous one's output, as `torch.nn.Sequential`;
 * they are children "0", "1", … (so state dict keys match PyTorch's), reachable as
 * `seq[i]`, and iterable.
 *
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * model.forward(torch.ones([2, 4])).shape;  // [2, 1]
 * Object.keys(model.stateDict());           // ["0.weight", "0.bias", "2.weight", "2.bias"]
 * model[1] instanceof nn.ReLU;              // true
 * ```
 */
export class Sequential extends Module {
  [index: number]: Module;
  /**
   * The number of modules (PyTorch's `len(seq)`).
   *
   * ```ts
   * new nn.Sequential(new nn.ReLU(), new nn.Tanh()).length; // 2
   * ```
   */
  declare readonly length: number;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} must be an nn.Module, got ${describe(m)}`);
      this[i] = m;
    });
    Object.defineProperty(this, "length", { value: modules.length, enumerable: false });
  }

  /**
   * Passes `x` through every module in order and returns the last one's output.
   *
   * ```ts
   * const f = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
   * f.forward(torch.tensor([-1, 1])); // tensor([0.0000, 0.7616])
   * ```
   */
  forward(x: any): any {
    for (const m of this.children()) x = m.forward(x);
    return x;
  }

  /**
   * The modules in order (`for (const m of seq)`).
   *
   * ```ts
   * const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
   * [...seq].map((m) => m.constructor.name); // ["Linear", "ReLU"]
   * ```
   */
  *[Symbol.iterator](): IterableIterator<Module> {
    yield* this.children();
  }
}
