// A tiny public surface for test/node/docs.test.ts: each case the checker must count right.
export { pick, stated } from "./functions.js";
export * as ns from "./namespace.js";
export * as alias from "./namespace.js";
export { Box, type BoxOptions } from "./box.js";
import "./box_methods.js";
