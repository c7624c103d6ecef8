// Runs every shared case module (test/cases/*.ts exporting `tests`) under vitest; the
// node and browser projects both include this file.
import { describe, it } from "vitest";

const modules = import.meta.glob("../cases/*.ts", { eager: true }) as Record<string, { tests?: Record<string, () => unknown> }>;

for (const [path, mod] of Object.entries(modules)) {
  if (mod.tests === undefined) continue;
  describe(path.replace(/^.*\//, "").replace(/\.ts$/, ""), () => {
    for (const [name, fn] of Object.entries(mod.tests!)) it(name, fn as () => void, 120_000);
  });
}
