// The timed call and the cross-check of a training-step workload (train.mjs, cnn.mjs), given
// its adapters: per library, (lib, w) → { step, checkedStep?, lossValue, weights }.
import { sample } from "./data.mjs";
import { libraryOf } from "./sides.mjs";

export function trainingStepWorkload(adapters) {
  const adapterFor = (side) => adapters[libraryOf(side)];
  return {
    setup(w, side, lib) {
      return adapterFor(side)(lib, w).step;
    },
    /** The losses of three steps from the same start, and the sampled change of every weight. */
    check(w, side, lib) {
      const a = adapterFor(side)(lib, w);
      const before = a.weights().map(sample);
      const losses = [];
      for (let s = 0; s < 3; s++) losses.push(a.lossValue((a.checkedStep ?? a.step)()));
      const after = a.weights().map(sample);
      return {
        loss: losses,
        "weight change": after.flatMap((xs, q) => xs.map((v, i) => v - before[q][i])),
      };
    },
  };
}
