// The `generator` argument of nn.init, nn.functional.dropout and torch.utils.data: a
// torch.Generator, or nothing for the default one (torch.manualSeed's).
import { Generator, defaultGenerator } from "./random.js";
import { describe } from "./nn/check.js";

/** `v` as a generator (the default one for undefined or null); anything else is refused, naming it. */
export function generatorArg(owner: string, v: unknown, name = "generator"): Generator {
  if (v === undefined || v === null) return defaultGenerator;
  if (!(v instanceof Generator)) throw new TypeError(`${owner}: ${name} must be a torch.Generator, got ${describe(v)}`);
  return v;
}
