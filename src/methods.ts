// How an op family adds Tensor methods from its own file: the family declares them on the
// Tensor interface (TypeScript merges the declaration with the class) and installs them on
// the prototype here. Families are imported by index.ts after tensor.ts, never by the core.
//
//   declare module "../tensor.js" {
//     interface Tensor {
//       /** TSDoc with a short example. */
//       argmax(dim?: number, keepdim?: boolean): Tensor;
//     }
//   }
//   defineMethods({ argmax(this: Tensor, dim?: number, keepdim = false) { return argmax(this, dim, keepdim); } });
import { Tensor } from "./tensor.js";

export function defineMethods(methods: Record<string, (this: Tensor, ...args: any[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) {
      throw new Error(`torchlet: internal error: Tensor.${name} is defined twice`);
    }
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}
