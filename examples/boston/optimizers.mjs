// The seed's nine optimizers, each with settings that train the 13-10-1 TestNet well on
// standardised Boston features in a few hundred epochs, built in the seed's second form:
// per-layer param groups, `hidden` at a tenth of the lr and `regression` at the default lr
// (the seed's Adam: hidden 1e-3, regression and default 1e-2).
import * as torch from "../../build/torchlet.js";

const { optim } = torch;

/**
 * name → `{ lr, options, fullBatch?, closure? }`. `lr` is the default (regression) lr.
 * `fullBatch`: one batch of the whole training set per epoch (Rprop adapts its steps to
 * the sign of the gradient, which minibatch noise keeps flipping; LBFGS's line search needs
 * the same function at every evaluation). `closure`: `step(closure)` with one param group
 * (LBFGS takes only one).
 */
export const OPTIMIZER_SETTINGS = {
  // Adadelta's first steps are about lr·sqrt(eps) = lr·1e-3 (its running mean of squared
  // updates starts at 0), so it needs a large lr to get anywhere in a few hundred epochs.
  Adadelta: { lr: 10, options: {} },
  Adagrad: { lr: 0.5, options: {} },
  Adam: { lr: 1e-2, options: {} },
  Adamax: { lr: 5e-2, options: {} },
  ASGD: { lr: 1e-2, options: {} },
  LBFGS: { lr: 1, options: { maxIter: 5, historySize: 20, lineSearchFn: "strong_wolfe" }, fullBatch: true, closure: true },
  RMSprop: { lr: 1e-2, options: {} },
  Rprop: { lr: 1e-2, options: {}, fullBatch: true },
  SGD: { lr: 3e-3, options: { momentum: 0.9 } },
};
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZER_SETTINGS);

/** The optimizer `name` over `model` (a TestNet), with `lr` as the default lr if given. */
export function buildOptimizer(name, model, lr = OPTIMIZER_SETTINGS[name].lr) {
  const { options, closure } = OPTIMIZER_SETTINGS[name];
  if (closure) return new optim[name](model.parameters(), { lr, ...options });
  return new optim[name]([
    { params: model.hidden.parameters(), lr: lr / 10 },
    { params: model.regression.parameters() },
  ], { lr, ...options });
}

const lrText = (v) => String(Number(v.toPrecision(3)));

/** The settings of optimizer `name` at default lr `lr`, in a line: "lr 0.003 (hidden 0.0003), momentum 0.9". */
export function describeSettings(name, lr = OPTIMIZER_SETTINGS[name].lr) {
  const { options, fullBatch, closure } = OPTIMIZER_SETTINGS[name];
  const parts = [closure ? `lr ${lrText(lr)}` : `lr ${lrText(lr)} (hidden ${lrText(lr / 10)})`,
    ...Object.entries(options).map(([k, v]) => (typeof v === "string" ? v : `${k} ${v}`))];
  if (fullBatch) parts.push("full batch");
  return parts.join(", ");
}
