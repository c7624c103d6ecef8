// The reduction family's kernels, exported through index.ts in one line.
export { sumDimInt, prodDim, prodBackward } from "./reduce";
export { extremaDim, extremaBackward, scatterDim } from "./extrema";
export { varDim, varBackward } from "./variance";
export { normDim, normBackward } from "./norm";
export { softmaxDim, softmaxBackward, logsumexpDim, logsumexpBackward } from "./softmax";
export { cumsumDim } from "./cumsum";
