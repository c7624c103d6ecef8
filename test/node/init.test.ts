// The package's entries as a user imports them by name: "torchlet" (wasm embedded, ready on
// import) and "torchlet/init" (await torch.init(wasm) first: a WebAssembly.Module, as edge
// runtimes give for a .wasm import, or the bytes), and the exported "torchlet/torchlet.wasm".
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

it("import \"torchlet\" is ready on import", async () => {
  const torch = await import("torchlet");
  expect(String(torch.tensor([1, 2]).mul(2))).toBe("tensor([2., 4.])");
});

it("import \"torchlet/init\" waits for init() with a compiled module or the bytes, and refuses use before", async () => {
  const torch = await import("torchlet/init");
  expect(torch.tensor).toBeUndefined(); // nothing is loaded before init()
  const wasmPath = createRequire(import.meta.url).resolve("torchlet/torchlet.wasm");
  const bytes = readFileSync(wasmPath);
  await expect(torch.init(42 as never)).rejects.toThrow(/expected a WebAssembly.Module, the wasm bytes/);
  await torch.init(await WebAssembly.compile(bytes));
  await torch.init(bytes); // idempotent
  const { nn } = torch;
  const lin = new nn.Linear(2, 1);
  const y = lin.forward(torch.ones([3, 2]));
  expect(y.shape).toEqual([3, 1]);
  expect(String(torch.var(torch.tensor([1, 2, 3])))).toBe("tensor(1.)");
});
