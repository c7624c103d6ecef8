export { Optimizer } from "./optimizer.js";
export type { ParamGroup, ParamGroupInput, Params, OptimizerStateDict, StepHook } from "./optimizer.js";
// Each optimizer: one line, uncommented when its file lands.
export { SGD } from "./sgd.js";
export { Adam } from "./adam.js";
export { AdamW } from "./adamw.js";
export { Adamax } from "./adamax.js";
export { NAdam } from "./nadam.js";
export { RAdam } from "./radam.js";
export { Adadelta } from "./adadelta.js";
export { Adagrad } from "./adagrad.js";
export { ASGD } from "./asgd.js";
export { RMSprop } from "./rmsprop.js";
export { Rprop } from "./rprop.js";
export { LBFGS } from "./lbfgs.js";
export { Adafactor } from "./adafactor.js";
export { Muon } from "./muon.js";
// Beyond PyTorch, each as its reference implementation
export { Lion } from "./lion.js";
export { LAMB } from "./lamb.js";
export { ScheduleFreeAdamW } from "./schedule_free_adamw.js";
export { ScheduleFreeSGD } from "./schedule_free_sgd.js";
export * as lrScheduler from "./lr_scheduler/index.js";
export * as swaUtils from "./swa_utils/index.js";
