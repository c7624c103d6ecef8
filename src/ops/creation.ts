// The creation family's public functions: ranges, random tensors and generators.
export { arange, linspace, eye } from "./ranges.js";
export { rand, randn, randint, randperm, randLike, randnLike, type RandomOptions } from "./sampling.js";
export { Generator, defaultGenerator, manualSeed, seed, initialSeed, getRngState, setRngState } from "../random.js";
