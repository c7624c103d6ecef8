/**
 * `torch.optim.lrScheduler`: PyTorch's learning-rate schedulers. Each sets `lr` in its
 * optimizer's param groups; `step()` once per epoch (per batch for CyclicLR/OneCycleLR).
 */
export { LRScheduler } from "./base.js";
export { LambdaLR, MultiplicativeLR } from "./lambda_lr.js";
export type { LambdaLROptions, LrLambda } from "./lambda_lr.js";
export { StepLR, MultiStepLR } from "./step_lr.js";
export type { StepLROptions, MultiStepLROptions } from "./step_lr.js";
export { ConstantLR } from "./constant_lr.js";
export type { ConstantLROptions } from "./constant_lr.js";
export { LinearLR } from "./linear_lr.js";
export type { LinearLROptions } from "./linear_lr.js";
export { ExponentialLR } from "./exponential_lr.js";
export type { ExponentialLROptions } from "./exponential_lr.js";
export { PolynomialLR } from "./polynomial_lr.js";
export type { PolynomialLROptions } from "./polynomial_lr.js";
export { CosineAnnealingLR } from "./cosine_annealing_lr.js";
export type { CosineAnnealingLROptions } from "./cosine_annealing_lr.js";
export { CosineAnnealingWarmRestarts } from "./cosine_annealing_warm_restarts.js";
export type { CosineAnnealingWarmRestartsOptions } from "./cosine_annealing_warm_restarts.js";
export { CyclicLR } from "./cyclic_lr.js";
export type { CyclicLROptions, CyclicMode } from "./cyclic_lr.js";
export { OneCycleLR } from "./one_cycle_lr.js";
export type { OneCycleLROptions } from "./one_cycle_lr.js";
export { ReduceLROnPlateau } from "./reduce_lr_on_plateau.js";
export type { ReduceLROnPlateauOptions } from "./reduce_lr_on_plateau.js";
export { SequentialLR } from "./sequential_lr.js";
export type { SequentialLROptions } from "./sequential_lr.js";
export { ChainedScheduler } from "./chained_scheduler.js";
export type { ChainedSchedulerOptions } from "./chained_scheduler.js";
