// The error tables' row form and runner (data, nn, nn.init): each row is a call that must
// throw a message naming the argument, the value and the form expected, and that changes
// nothing: the area's state (`snapshot` of a fresh context), live tensors and bytes in use
// compare equal before and after.
import * as torch from "../../build/torchlet.js";
import { assertEqual, assertThrows } from "./assert.ts";

/** A row: its name, the call, then patterns for the argument, the value and the expected form. */
export type ErrorRow<C> = [string, (c: C) => unknown, string, string, string];

export function errorRowTests<C>(prefix: string, rows: readonly ErrorRow<C>[], setup: () => C,
  snapshot: (c: C) => unknown): Record<string, () => void> {
  const tests: Record<string, () => void> = {};
  for (const [what, call, arg, value, expected] of rows) {
    tests[`${prefix}: ${what}`] = () => {
      const c = setup();
      const before = snapshot(c);
      const mem = torch.memory();
      // every pattern, in any order
      const re = new RegExp(`^${[arg, value, expected].map((p) => `(?=[\\s\\S]*(?:${p}))`).join("")}`, "i");
      assertThrows(() => call(c), re, what);
      const after = torch.memory();
      assertEqual(after.tensors, mem.tensors, `${what}: live tensor count unchanged`);
      assertEqual(after.bytesInUse, mem.bytesInUse, `${what}: bytesInUse unchanged`);
      assertEqual(snapshot(c), before, `${what}: state unchanged`);
    };
  }
  return tests;
}
