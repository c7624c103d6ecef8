// torch.autograd: what of PyTorch's autograd module a training program reaches for.
export { setDetectAnomaly, isAnomalyEnabled } from "./autograd.js";
