// Creation functions replayed against PyTorch (test/fixtures/ops_create.json, written by
// test/golden/gen_ops_create.py): arange, linspace and eye values exactly (PyTorch's float32
// bits), dtypes and shapes of every creation function, PyTorch's messages for bad input
// (with nothing allocated and no number drawn), and torchlet's own random streams as an
// independent implementation of its generator computes them.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/ops_create.json" with { type: "json" };
import { assert, assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
type Value = number | boolean | string;
interface TensorArg { tensor: { dtype: "float32" | "int32" | "bool"; shape: number[]; values: Value[] }; transpose?: boolean }
type Arg = Value | number[] | TensorArg;
interface Case {
  fn: string; args: Arg[]; opts: Record<string, unknown>; expr: string;
  dtype: string; shape: number[]; requiresGrad: boolean; values: Value[] | null;
}
interface ErrorRow { fn: string; args: Arg[]; opts: Record<string, unknown>; torchType: string; torchMessage: string; contains: string[] }
interface StreamRec {
  seed: number; rand: number[]; randn: number[];
  randint: { low: number; high: number; values: number[] };
  randintWide: { low: number; high: number; values: number[] };
  randperm: number[];
  linear: { inFeatures: number; outFeatures: number; weight: number[]; bias: number[] };
}
const data = fx as unknown as { cases: Case[]; errors: ErrorRow[]; stream: StreamRec[] };

function decode(v: Value): number | boolean {
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (v === "nan") return NaN;
  return v as number | boolean;
}

function arg(a: Arg): unknown {
  if (Array.isArray(a)) return a.slice();
  if (a !== null && typeof a === "object") {
    const { dtype, shape, values } = a.tensor;
    const t = torch.tensor(values.map(decode) as number[], { dtype, shape });
    return a.transpose ? t.t() : t;
  }
  return typeof a === "string" && a !== "inf" && a !== "-inf" && a !== "nan" ? a : decode(a);
}

// deno-lint-ignore no-explicit-any
const api = torch as any;

function run(fn: string, args: unknown[], opts: Record<string, unknown>): unknown {
  if (fn === "Generator.manualSeed") return new torch.Generator().manualSeed(args[0] as number);
  if (fn === "Generator.setState") return new torch.Generator().setState(new Uint8Array(args[0] as number));
  return api[fn](...args, opts);
}

/** Exact equality of a result with PyTorch's values (float32 bits, NaN with NaN). */
function assertExact(t: Tensor, expected: Value[], msg: string): void {
  const got = Array.from(t.toArray());
  assertEqual(got.length, expected.length, `${msg}: number of values`);
  for (let i = 0; i < got.length; i++) {
    const e = decode(expected[i]);
    const want = typeof e === "boolean" ? (e ? 1 : 0) : t.dtype === "float32" ? Math.fround(e) : e;
    if (!(Object.is(got[i], want) || (got[i] === 0 && want === 0) || (Number.isNaN(got[i]) && Number.isNaN(want)))) {
      throw new Error(`${msg}: element ${i} is ${got[i]}, PyTorch's is ${want}`);
    }
  }
}

/** The values of a random result must be what its function can draw. */
function checkDraws(c: Case, t: Tensor, args: unknown[]): void {
  const v = Array.from(t.toArray());
  if (c.fn === "rand" || c.fn === "randLike") assert(v.every((x) => x >= 0 && x < 1), `${c.expr}: values in [0, 1)`);
  if (c.fn === "randn" || c.fn === "randnLike") assert(v.every(Number.isFinite), `${c.expr}: finite values`);
  if (c.fn === "randint") {
    const [low, high] = Array.isArray(args[1]) ? [0, args[0] as number] : [args[0] as number, args[1] as number];
    assert(v.every((x) => Number.isInteger(x) && x >= low && x < high), `${c.expr}: integers in [${low}, ${high}): ${v}`);
  }
  if (c.fn === "randperm") assertEqual(v.slice().sort((a, b) => a - b), v.map((_, i) => i), `${c.expr}: a permutation`);
}

function replay(fn: string): void {
  const rows = data.cases.filter((c) => c.fn === fn);
  assert(rows.length > 0, `fixture has ${fn} cases`);
  for (const c of rows) {
    const args = c.args.map(arg);
    const t = run(fn, args, c.opts) as Tensor;
    assertEqual(t.dtype, c.dtype, `${c.expr}: dtype`);
    assertEqual([...t.shape], c.shape, `${c.expr}: shape`);
    assertEqual(t.requiresGrad, c.requiresGrad, `${c.expr}: requiresGrad`);
    assert(t.isContiguous(), `${c.expr}: contiguous`);
    if (c.values !== null) assertExact(t, c.values, c.expr);
    else checkDraws(c, t, args);
  }
}

function replayErrors(fns: string[]): void {
  const rows = data.errors.filter((e) => fns.includes(e.fn));
  assert(rows.length > 0, `fixture has ${fns.join("/")} error rows`);
  for (const e of rows) {
    const args = e.args.map(arg);
    const what = `${e.fn}(${JSON.stringify(e.args)}, ${JSON.stringify(e.opts)})`;
    const before = torch.memory();
    const state = torch.getRngState();
    let message: string | null = null;
    try {
      run(e.fn, args, e.opts);
    } catch (err) {
      message = (err as Error).message;
    }
    assert(message !== null, `${what}: PyTorch refuses it ("${e.torchMessage}") but nothing was thrown`);
    for (const part of e.contains) {
      assert(message!.includes(part), `${what}: message ${JSON.stringify(message)} lacks ${JSON.stringify(part)} (PyTorch: ${e.torchMessage})`);
    }
    const after = torch.memory();
    assertEqual(after.tensors, before.tensors, `${what}: live tensor count unchanged`);
    assertEqual(after.bytesInUse, before.bytesInUse, `${what}: bytesInUse unchanged`);
    assertEqual(Array.from(torch.getRngState()), Array.from(state), `${what}: default generator not advanced`);
    for (const a of args) if (a instanceof torch.Tensor) a.dispose();
  }
}

function checkStream(rec: StreamRec, opts: { generator?: InstanceType<typeof torch.Generator> }, who: string): void {
  assertExact(torch.rand([8], opts), rec.rand, `${who}: rand`);
  assertClose(torch.randn([8], opts).toArray(), rec.randn, `${who}: randn`, 1e-7, 1e-6);
  assertEqual(Array.from(torch.randint(rec.randint.low, rec.randint.high, [8], opts).toArray()), rec.randint.values, `${who}: randint`);
  assertEqual(Array.from(torch.randint(rec.randintWide.low, rec.randintWide.high, [4], opts).toArray()), rec.randintWide.values, `${who}: randint over int32's range`);
  assertEqual(Array.from(torch.randperm(10, opts).toArray()), rec.randperm, `${who}: randperm`);
}

export const tests: Record<string, () => void> = {};
for (const fn of ["arange", "linspace", "eye", "zerosLike", "onesLike", "fullLike", "emptyLike",
  "rand", "randn", "randint", "randperm", "randLike", "randnLike"]) {
  const n = data.cases.filter((c) => c.fn === fn).length;
  tests[`${fn}: ${n} calls against PyTorch (values, dtype, shape, requiresGrad)`] = () => replay(fn);
}
for (const fns of [["arange"], ["linspace"], ["eye"], ["randint"], ["rand", "randn", "randLike", "randnLike"], ["randperm"],
  ["zerosLike", "emptyLike"], ["Generator.manualSeed", "Generator.setState"]]) {
  tests[`errors: ${fns.join(", ")}: PyTorch's messages, nothing allocated or drawn`] = () => replayErrors(fns);
}

tests["stream: torch.manualSeed(s) draws torchlet's documented stream (rand, randn, randint, randperm, Linear init)"] = () => {
  for (const rec of data.stream) {
    torch.manualSeed(rec.seed);
    checkStream(rec, {}, `manualSeed(${rec.seed})`);
    const lin = new torch.nn.Linear(rec.linear.inFeatures, rec.linear.outFeatures);
    assertExact(lin.weight, rec.linear.weight, `manualSeed(${rec.seed}): Linear weight`);
    assertExact(lin.bias!, rec.linear.bias, `manualSeed(${rec.seed}): Linear bias`);
    assertEqual(torch.initialSeed(), Math.floor(rec.seed), `manualSeed(${rec.seed}): initialSeed`);
  }
};

tests["stream: new Generator().manualSeed(s) draws the same stream as torch.manualSeed(s)"] = () => {
  for (const rec of data.stream.filter((r) => Number.isInteger(r.seed))) {
    const g = new torch.Generator().manualSeed(rec.seed);
    checkStream(rec, { generator: g }, `Generator().manualSeed(${rec.seed})`);
  }
  // a new generator starts from PyTorch's default seed
  const rec = data.stream.find((r) => r.seed === 67280421310721)!;
  const g = new torch.Generator();
  assertEqual(g.initialSeed(), 67280421310721, "a new Generator's initialSeed");
  checkStream(rec, { generator: g }, "new Generator()");
};
