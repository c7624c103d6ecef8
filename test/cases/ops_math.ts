// Replays the PyTorch fixtures of element-wise math, comparisons and selection
// (test/fixtures/ops_math.json, written by test/golden/gen_ops_math.py). Each case is a
// call written as data, run by one interpreter: inputs are built (leaf, then its view
// ops), the method or torch.* function runs (with its options object, where the case has
// one), and the output's dtype, shape, values and grad_fn name are compared; then
// output.backward(upstream) runs and every leaf's grad is compared (leaves that do not
// require grad must keep grad === null).
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/ops_math.json" with { type: "json" };
import { assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
type DType = "float32" | "int32" | "bool";
type Num = number | string;
interface TensorRec { dtype?: DType; shape: number[]; values: Num[] }
interface InputRec extends TensorRec { dtype: DType; requiresGrad: boolean; view: unknown[][] }
type Arg = number | boolean | null | { t: string } | { num: string } | { undef: true };
interface Case {
  name: string;
  inputs: Record<string, InputRec>;
  call: { self?: string; method?: string; fn?: string; args: Arg[]; options?: Record<string, unknown> };
  output: TensorRec & { dtype: DType };
  gradFn: string | null;
  upstream: TensorRec | null;
  grads: Record<string, TensorRec | null>;
}

const CASES = (fx as unknown as { cases: Case[] }).cases;

/** A fixture number: finite numbers as they are, "nan", "inf", "-inf" as strings. */
function decode(v: Num): number {
  if (typeof v === "number") return v;
  return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number.NaN;
}

function build(r: InputRec): Tensor {
  const vals = r.values.map(decode);
  const data = r.dtype === "float32" ? Float32Array.from(vals) : r.dtype === "int32" ? Int32Array.from(vals) : Uint8Array.from(vals);
  // deno-lint-ignore no-explicit-any
  return torch.tensor(data as any, { shape: r.shape, dtype: r.dtype, requiresGrad: r.requiresGrad });
}

// deno-lint-ignore no-explicit-any
function applyView(t: any, ops: unknown[][]): Tensor {
  for (const [name, ...args] of ops) t = t[name as string](...args);
  return t;
}

function arg(a: Arg, env: Record<string, Tensor>): unknown {
  if (a === null || typeof a !== "object") return a;
  if ("t" in a) return env[a.t];
  if ("num" in a) return decode(a.num);
  return undefined;
}

function gradFnOf(t: Tensor): string | null {
  const m = /gradFn=<([^>]+)>/.exec(String(t));
  return m === null ? null : m[1];
}

function check(actual: Tensor, expected: TensorRec, what: string): void {
  if (expected.dtype !== undefined) assertEqual(actual.dtype, expected.dtype, `${what} dtype`);
  assertEqual(actual.shape, expected.shape, `${what} shape`);
  const want = expected.values.map(decode);
  if (actual.dtype === "float32") assertClose(actual.toArray(), want, `${what} values`);
  else assertEqual(Array.from(actual.toArray()), want, `${what} values`);
}

/** Runs one fixture case through the public API. */
function replay(c: Case): void {
  const leaves: Record<string, Tensor> = {}, env: Record<string, Tensor> = {};
  for (const [name, r] of Object.entries(c.inputs)) {
    leaves[name] = build(r);
    env[name] = applyView(leaves[name], r.view);
  }
  const args = c.call.args.map((a) => arg(a, env));
  if (c.call.options !== undefined) args.push(c.call.options);
  // deno-lint-ignore no-explicit-any
  const out: Tensor = c.call.self !== undefined ? (env[c.call.self] as any)[c.call.method!](...args) : (torch as any)[c.call.fn!](...args);
  check(out, c.output, "output");
  assertEqual(gradFnOf(out), c.gradFn, "grad_fn");
  if (c.upstream !== null) out.backward(torch.tensor(Float32Array.from(c.upstream.values.map(decode)), { shape: c.upstream.shape }));
  for (const [name, leaf] of Object.entries(leaves)) {
    const want = c.grads[name];
    if (want === undefined || want === null) assertEqual(leaf.grad, null, `${name}.grad`);
    else check(leaf.grad!, want, `${name}.grad`);
  }
}

export const tests: Record<string, () => void> = {};
for (const c of CASES) tests[c.name] = () => torch.tidy(() => replay(c));
