/** `torch.optim.swaUtils`: Stochastic Weight Averaging and EMA of model weights. */
export {
  AveragedModel, getEmaMultiAvgFn, getSwaMultiAvgFn, getEmaAvgFn, getSwaAvgFn,
} from "./averaged_model.js";
export type { AvgFn, MultiAvgFn, AveragedModelOptions } from "./averaged_model.js";
export { SWALR } from "./swalr.js";
export type { SWALROptions } from "./swalr.js";
