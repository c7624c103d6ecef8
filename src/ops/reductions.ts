// The reduction family's torch.* functions, re-exported by index.ts in one line; importing
// the files also installs their Tensor methods. (sum and mean live in reduce.ts and
// functions.ts, with the core.)
export { prodFn as prod } from "./prod.js";
export { varFn as var, stdFn as std, type VarOptions } from "./variance.js";
export { maxFn as max, minFn as min, amax, amin, argmax, argmin, type ValuesIndices } from "./extrema.js";
export { normFn as norm } from "./norm.js";
export { softmax, logSoftmax, logsumexpFn as logsumexp, type SoftmaxOptions } from "./softmax.js";
export { cumsumFn as cumsum } from "./cumsum.js";
