// The public API's TSDoc, as the built declarations (build/types) carry it: every public
// symbol has a doc block with a ```ts example, every example type-checks against the
// declarations, and every example runs against the bundle and shows what its comments say
// (scripts/doc_examples.mjs describes the comment forms it checks).
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { lacking, publicSymbols } from "../../scripts/check_docs.mjs";
import { docExamples, mismatch, runExample, typecheckExamples } from "../../scripts/doc_examples.mjs";
import * as torch from "../../build/torchlet.js";

const types = fileURLToPath(new URL("../../build/types", import.meta.url));
const fixture = fileURLToPath(new URL("./docs_fixture", import.meta.url));

describe("the checker", () => {
  it("counts overloads, accessors, re-exports, merged methods and option fields as TypeScript sees them", () => {
    const found = publicSymbols(fixture).map((s) => `${s.kind} ${s.name}: ${lacking(s) ?? "ok"}`);
    expect(found.sort()).toEqual([
      "class torch.Box: ok",
      "const torch.stated: example", // a fence without ts/js is not an example
      "field torch.BoxOptions.height: doc",
      "field torch.BoxOptions.width: ok", // fields need a block, not an example
      "function torch.ns.bare: doc",
      "function torch.ns.inner: ok", // also reached as alias.inner: counted once
      "function torch.pick: doc", // its second overload has no block
      "getter torch.Box#size: doc",
      "interface torch.BoxOptions: ok",
      "method torch.Box#close: example", // merged from a declare module block
      "method torch.Box#open: ok",
    ]);
  });

  it("reads a trailing comment as the value it shows, and leaves prose alone", () => {
    const t = torch.tensor([1, 2]);
    expect(mismatch(t, "tensor([1., 2.])", torch)).toBeNull();
    expect(mismatch(t, "tensor([1.,   2.])", torch)).toBeNull();
    expect(mismatch(t, "tensor([1., 3.])", torch)).toMatch(/prints as tensor\(\[1\., 2\.\]\)/);
    expect(mismatch(t, "x[0]: tensor([1., 2.])", torch)).toBeNull(); // a label before a tensor
    expect(mismatch(t, "x[0]: tensor([1., 2.]) and more", torch)).toMatch(/prints as/);
    expect(mismatch(t, "[1, 2]", torch)).toMatch(/is a Tensor/);
    expect(mismatch([2, 3], "[2, 3]", torch)).toBeNull();
    expect(mismatch([t, { k: "a" }], '[tensor([1., 2.]), { k: "a" }]', torch)).toBeNull();
    expect(mismatch([t], "[tensor([1., 2.]), tensor(0.)]", torch)).toMatch(/prints as \[tensor/);
    expect(mismatch(0.30000001192092896, "0.3", torch)).toBeNull();
    expect(mismatch(0.31, "0.3", torch)).toMatch(/shows 0.3/);
    expect(mismatch(new Float32Array([1, 2]), "Float32Array [1, 2]", torch)).toBeNull();
    expect(mismatch(new Int32Array([1, 2]), "Float32Array [1, 2]", torch)).toMatch(/shows a Float32Array/);
    expect(mismatch({ a: 1 }, "{ a: 1, b: 2 }", torch)).toMatch(/keys a, b/);
    expect(mismatch(5, "lr = 0.05 for epochs 0..29", torch)).toBeNull();
    expect(mismatch(4, "4: three batches of 32 and one of 4", torch)).toBeNull(); // value: why
    expect(mismatch([1, 2], "halved at epoch 2: [1, 2]", torch)).toBeNull(); // what: value
    expect(mismatch(5, "4: three batches", torch)).toMatch(/shows 4/);
  });
});

describe("the public API's TSDoc", () => {
  it("every public symbol has a doc block with a ```ts example", () => {
    const missing = publicSymbols(types).filter((s) => lacking(s) !== null).map((s) => `${s.name}: no ${lacking(s)}`);
    expect(missing).toEqual([]);
  });

  const examples = docExamples(types);

  it("every example type-checks against the declarations", () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(typecheckExamples(examples, types).map((e) => `${e.id}: ${e.message}`)).toEqual([]);
  });

  describe("every example runs and shows what it says", () => {
    for (const example of examples) it(example.id, () => runExample(example, torch));
  });
});
