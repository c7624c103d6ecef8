// The schedulers --scheduler offers, each set up for a run of `epochs` epochs. Stepped once
// per epoch as in the seed, except OneCycleLR (`perBatch`: after every optimizer step, as
// PyTorch's docs say) and ReduceLROnPlateau (`onMetric`: once per epoch, with the
// validation loss).
import * as torch from "../../build/torchlet.js";

const { lrScheduler } = torch.optim;

const SCHEDULERS = {
  StepLR: (epochs) => {
    const stepSize = Math.max(1, Math.round(epochs / 3));
    return { label: `StepLR(stepSize ${stepSize}, gamma 0.5)`, make: (opt) => new lrScheduler.StepLR(opt, { stepSize, gamma: 0.5 }) };
  },
  MultiStepLR: (epochs) => {
    const milestones = [Math.round(epochs / 2), Math.round(epochs * 3 / 4)];
    return { label: `MultiStepLR(milestones [${milestones.join(", ")}], gamma 0.3)`,
      make: (opt) => new lrScheduler.MultiStepLR(opt, { milestones, gamma: 0.3 }) };
  },
  ExponentialLR: (epochs) => {
    const gamma = 0.1 ** (1 / epochs); // a tenth of the starting lr after the last epoch
    return { label: `ExponentialLR(gamma ${gamma.toFixed(4)})`, make: (opt) => new lrScheduler.ExponentialLR(opt, { gamma }) };
  },
  CosineAnnealingLR: (epochs) => ({ label: `CosineAnnealingLR(TMax ${epochs})`,
    make: (opt) => new lrScheduler.CosineAnnealingLR(opt, { TMax: epochs }) }),
  OneCycleLR: (epochs) => ({ label: `OneCycleLR(maxLr each group's lr, ${epochs} epochs, stepped per batch)`, perBatch: true,
    // Each group peaks at its own lr, keeping the per-layer ratio of the seed's form. Momentum
    // is cycled where there is one to cycle (PyTorch refuses cycleMomentum otherwise).
    make: (opt, stepsPerEpoch) => new lrScheduler.OneCycleLR(opt, { maxLr: opt.paramGroups.map((g) => g.lr), epochs, stepsPerEpoch,
      cycleMomentum: "momentum" in opt.defaults || "betas" in opt.defaults }) }),
  ReduceLROnPlateau: () => ({ label: "ReduceLROnPlateau(factor 0.5, patience 10, on the validation loss)", onMetric: true,
    make: (opt) => new lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 10 }) }),
  none: () => ({ label: "none (a constant lr)", make: () => null }),
};
export const SCHEDULER_NAMES = Object.keys(SCHEDULERS);

/**
 * `{ label, make(optimizer, stepsPerEpoch) → scheduler | null, perBatch?, onMetric? }`: the
 * scheduler `name` set up for `epochs` epochs.
 */
export function schedulerPlan(name, epochs) {
  return SCHEDULERS[name](epochs);
}
