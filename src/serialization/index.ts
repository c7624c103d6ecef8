// Checkpoints: torch.save / torch.load in PyTorch's own format, and safetensors.
export { save } from "./torch_save.js";
export { load } from "./torch_load.js";
export { saveSafetensors } from "./safetensors.js";
