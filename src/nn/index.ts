export { Module } from "./module.js";
export { Linear } from "./linear.js";
export { ReLU, Sigmoid, Tanh } from "./activation.js";
export { Sequential } from "./sequential.js";
export { MSELoss, L1Loss, CrossEntropyLoss, BCEWithLogitsLoss } from "./loss.js";
export * as functional from "./functional.js";
export * as F from "./functional.js";
export * as utils from "./utils.js";
