// Replays the reduction family's PyTorch fixtures (test/fixtures/ops_reduce.json, written by
// test/golden/gen_ops_reduce.py) through the public API: one interpreter builds each case's
// inputs and views, makes each of its JS calls (method, torch.* and F.* forms), and checks
// the dtype, shape and values of the result, then the input gradients after backward.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/ops_reduce.json" with { type: "json" };
import { assert, assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
type Value = number | string;
interface Rec {
  dtype: "float32" | "int32" | "bool";
  shape: number[];
  values: Value[];
  requiresGrad?: boolean;
}
interface Call {
  self?: string;
  method?: string;
  fn?: string;
  args: unknown[];
}
interface Case {
  expr: string;
  inputs: Record<string, Rec>;
  views?: Record<string, [string, [string, ...unknown[]][]]>;
  calls: Call[];
  out: Rec | { pair: [Rec, Rec] };
  upstream?: Rec | null;
  grads?: Record<string, Rec | null>;
}

const CASES = (fx as unknown as { cases: Record<string, Case> }).cases;

/** A fixture number: finite, or "nan", "inf", "-inf". */
function num(v: Value): number {
  if (typeof v === "number") return v;
  return v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity;
}

function tensorOf(r: Rec, requiresGrad = false): Tensor {
  const values = r.values.map(num);
  const data = r.dtype === "float32" ? Float32Array.from(values) : r.dtype === "int32" ? Int32Array.from(values) : values;
  return torch.tensor(data as Float32Array, { shape: r.shape, dtype: r.dtype, requiresGrad });
}

function check(t: unknown, want: Rec, what: string): void {
  assert(t instanceof torch.Tensor, `${what}: expected a Tensor, got ${String(t)}`);
  assertEqual(t.dtype, want.dtype, `${what} dtype`);
  assertEqual([...t.shape], want.shape, `${what} shape`);
  const values = Array.from(t.toArray());
  if (want.dtype === "float32") assertClose(values, want.values.map(num), `${what} values`);
  else assertEqual(values, want.values.map(num), `${what} values`);
  if (want.requiresGrad !== undefined) assertEqual(t.requiresGrad, want.requiresGrad, `${what} requiresGrad`);
}

/** Call arguments: {"$": name} is a tensor, {"num": "inf"} a non-finite number, objects recurse. */
function decode(v: unknown, env: Record<string, Tensor>): unknown {
  if (Array.isArray(v)) return v.map((x) => decode(x, env));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$ === "string") return env[o.$];
    if (typeof o.num === "string") return num(o.num);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x, env)]));
  }
  return v;
}

function invoke(call: Call, env: Record<string, Tensor>): unknown {
  const args = call.args.map((a) => decode(a, env));
  if (call.method !== undefined) {
    const self = env[call.self!] as unknown as Record<string, (...a: unknown[]) => unknown>;
    assert(typeof self[call.method] === "function", `Tensor.${call.method} is not a function`);
    return self[call.method](...args);
  }
  const [ns, name] = call.fn!.split(".");
  const scope = (ns === "F" ? torch.nn.functional : torch) as unknown as Record<string, (...a: unknown[]) => unknown>;
  assert(typeof scope[name] === "function", `${call.fn} is not a function`);
  return scope[name](...args);
}

function describeCall(call: Call): string {
  const args = JSON.stringify(call.args).slice(1, -1);
  return call.method !== undefined ? `${call.self}.${call.method}(${args})` : `${call.fn}(${args})`;
}

function replay(c: Case, call: Call): void {
  const env: Record<string, Tensor> = {};
  for (const [name, r] of Object.entries(c.inputs)) env[name] = tensorOf(r, r.requiresGrad === true);
  for (const [name, [base, steps]] of Object.entries(c.views ?? {})) {
    let v = env[base];
    for (const [method, ...args] of steps) v = (v as unknown as Record<string, (...a: unknown[]) => Tensor>)[method](...args);
    env[name] = v;
  }
  const result = invoke(call, env);
  let out: Tensor;
  if ("pair" in c.out) {
    assert(Array.isArray(result) && result.length === 2, "expected the pair [values, indices]");
    const pair = result as unknown as [Tensor, Tensor] & { values: Tensor; indices: Tensor };
    assert(pair.values === pair[0] && pair.indices === pair[1], ".values and .indices are the pair's elements");
    check(pair[0], c.out.pair[0], "values");
    check(pair[1], c.out.pair[1], "indices");
    out = pair[0];
  } else {
    check(result, c.out, "output");
    out = result as Tensor;
  }
  if (c.grads === undefined) return;
  if (c.upstream === null || c.upstream === undefined) out.backward();
  else out.backward(tensorOf(c.upstream));
  for (const [name, want] of Object.entries(c.grads)) {
    const g = env[name].grad;
    if (want === null) assertEqual(g, null, `${name}.grad (PyTorch leaves it None)`);
    else check(g, want, `${name}.grad`);
  }
}

export const tests: Record<string, () => void> = {};
for (const [name, c] of Object.entries(CASES)) {
  c.calls.forEach((call, i) => {
    tests[`${name}: ${describeCall(call)}${c.calls.length > 1 ? ` [${i + 1}/${c.calls.length}]` : ""}`] = () => replay(c, call);
  });
}
