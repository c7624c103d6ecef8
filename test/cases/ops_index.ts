// Replays test/fixtures/ops_index.json (written by test/golden/gen_ops_index.py from
// PyTorch) through torchlet's public API: each case is a small program of steps, run by one
// interpreter; values, dtypes, view strides and input grads are compared with PyTorch's.
// A case whose last step fails in PyTorch must fail here with PyTorch's message and change
// nothing (operands' values, live tensors and bytes as before). Every case also checks that
// nothing leaks: once its tensors are disposed, memory is as before it ran.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/ops_index.json" with { type: "json" };
import { assert, assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
interface Values { shape: number[]; values: number[] }
interface Rec extends Values { dtype: "float32" | "int32" | "bool"; strides?: number[] }
interface Step { out: string | string[] | null; self: string | null; fn: string; args: unknown[] }
interface Case {
  inputs: Record<string, Rec & { requiresGrad: boolean }>;
  steps: Step[];
  check?: Record<string, Rec | Rec[]>;
  backward?: { of: string; upstream: Values };
  grads?: Record<string, Values | null>;
  error?: string;
  match?: string;
}

const CASES = (fx as unknown as { cases: Record<string, Case> }).cases;

function make(r: Rec & { requiresGrad?: boolean }): Tensor {
  const data = r.dtype === "float32" ? Float32Array.from(r.values) : r.dtype === "int32" ? Int32Array.from(r.values) : r.values;
  return torch.tensor(data, { shape: r.shape, dtype: r.dtype, requiresGrad: r.requiresGrad === true });
}

type Env = Record<string, Tensor | Tensor[]>;

/** {ref: name} → the program's tensor, recursively through arrays (keys, tensor lists). */
function resolve(a: unknown, env: Env): unknown {
  if (Array.isArray(a)) return a.map((x) => resolve(x, env));
  if (a !== null && typeof a === "object" && "ref" in a) return env[(a as { ref: string }).ref];
  return a;
}

function run(step: Step, env: Env): unknown {
  const args = step.args.map((a) => resolve(a, env));
  if (step.fn.startsWith("torch.")) {
    // deno-lint-ignore no-explicit-any
    return (torch as any)[step.fn.slice(6)](...args);
  }
  // deno-lint-ignore no-explicit-any
  return (env[step.self!] as any)[step.fn](...args);
}

function assign(step: Step, out: unknown, env: Env): void {
  if (Array.isArray(step.out)) {
    const parts = out as Tensor[];
    assertEqual(parts.length, step.out.length, `${step.fn}: number of pieces`);
    step.out.forEach((n, i) => { env[n] = parts[i]; });
  } else if (step.out !== null) env[step.out] = out as Tensor;
}

function compare(t: Tensor, r: Rec, what: string): void {
  assertEqual(t.dtype, r.dtype, `${what}: dtype`);
  assertEqual(t.shape, r.shape, `${what}: shape`);
  const v = Array.from(t.toArray());
  if (r.dtype === "float32") assertClose(v, r.values, `${what}: values`);
  else assertEqual(v, r.values, `${what}: values`);
  if (r.strides !== undefined) assertEqual(t.stride(), r.strides, `${what}: strides of the view`);
}

/** PyTorch's snake_case op names as torchlet spells them. */
function camel(msg: string): string {
  return msg.replace(/\b(index_select|scatter_add|index_put)\b/g, (m) => m.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
}

function snapshot(env: Env): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [n, t] of Object.entries(env)) if (!Array.isArray(t)) out[n] = Array.from(t.toArray());
  return out;
}

function disposeAll(env: Env): void {
  for (const t of Object.values(env)) {
    for (const x of Array.isArray(t) ? t : [t]) {
      const g = x.grad;
      if (g !== null) g.dispose();
      x.dispose();
    }
  }
}

/** Live tensors and bytes as in `before` (unless a sweep moved other tests' storage out meanwhile). */
function sameMemory(before: ReturnType<typeof torch.memory>, what: string): void {
  const after = torch.memory();
  if (after.evictions !== before.evictions) return;
  assertEqual([after.tensors, after.bytesInUse], [before.tensors, before.bytesInUse], what);
}

function replay(name: string, c: Case): void {
  const before = torch.memory();
  const env: Env = {};
  for (const [n, r] of Object.entries(c.inputs)) env[n] = make(r);
  const last = c.steps.length - 1;
  c.steps.forEach((step, i) => {
    if (c.error === undefined || i < last) { assign(step, run(step, env), env); return; }
    const values = snapshot(env);
    const mem = torch.memory();
    let message: string | null = null;
    try { run(step, env); } catch (e) { message = (e as Error).message; }
    assert(message !== null, `${name}: expected an error like ${JSON.stringify(c.error)}, nothing was thrown`);
    if (c.match !== undefined) assert(new RegExp(c.match).test(message!), `${name}: message ${JSON.stringify(message)} does not match /${c.match}/`);
    else assert(message!.includes(camel(c.error)), `${name}: message ${JSON.stringify(message)} does not contain PyTorch's ${JSON.stringify(camel(c.error))}`);
    assertEqual(snapshot(env), values, `${name}: operands unchanged after the error`);
    sameMemory(mem, `${name}: live tensors and bytes unchanged after the error`);
  });
  for (const [n, r] of Object.entries(c.check ?? {})) {
    const t = env[n];
    if (Array.isArray(r)) {
      const parts = t as Tensor[];
      assertEqual(parts.length, r.length, `${name}: ${n}: number of pieces`);
      r.forEach((ri, i) => compare(parts[i], ri, `${name}: ${n}[${i}]`));
    } else compare(t as Tensor, r, `${name}: ${n}`);
  }
  if (c.backward !== undefined) {
    const up = torch.tensor(Float32Array.from(c.backward.upstream.values), { shape: c.backward.upstream.shape });
    (env[c.backward.of] as Tensor).backward(up);
    up.dispose();
    for (const [n, g] of Object.entries(c.grads ?? {})) {
      const got = (env[n] as Tensor).grad;
      if (g === null) { assertEqual(got, null, `${name}: grad of ${n}`); continue; }
      assert(got !== null, `${name}: grad of ${n} is null, expected shape ${JSON.stringify(g.shape)}`);
      assertEqual(got.shape, g.shape, `${name}: grad of ${n}: shape`);
      assertClose(got.toArray(), g.values, `${name}: grad of ${n}`);
    }
  }
  disposeAll(env);
  if (c.backward !== undefined || !Object.values(c.inputs).some((r) => r.requiresGrad)) {
    sameMemory(before, `${name}: memory back to where it was (nothing leaked)`);
  }
}

export const tests: Record<string, () => void> = {};
for (const [name, c] of Object.entries(CASES)) tests[`ops_index: ${name}`] = () => replay(name, c);
