// Property tests (fast-check) of nn.Module.loadStateDict: a real state dict (of a model with
// Conv2d, BatchNorm2d — running stats and the int32 num_batches_tracked —, Embedding, Linear
// in a Sequential and LayerNorm; and of optim.swaUtils.AveragedModel over it, whose dict adds
// the int32 n_averaged buffer), passed as it is (Tensors), as its JSON text round trip, its
// structuredClone, its toArray() values or on a null-prototype object, then mutated one to
// three times: a key dropped or added, a value replaced by another form (a Tensor of another
// dtype, shape or model, a disposed or released one, a view, a typed array, number[], the
// JSON form, junk), NaN or ±Infinity written into it, two keys given one tensor, the model's
// own tensor under another key; loaded strict or not. Either
//   - refused: an Error that names every key at fault (or the stateDict argument), and every
//     parameter and buffer (the same objects: values, shapes, dtypes, requiresGrad, grads)
//     and every module's training flag as before; or
//   - loaded: exactly when a plain-JS reading of the dict below (PyTorch's rules, from
//     torch/nn/modules/module.py's _load_from_state_dict) says it loads; the returned
//     missing and unexpected keys are that reading's; the model then equals, in every
//     tensor and in forward() on a fixed input, a twin given those values directly with
//     copy_ (the values read from the dict before the call, so a dict holding the model's
//     own tensors reads their old values); and it keeps nothing of the caller's dict;
// and never a changed bystander tensor or exp(1) (the kernels' tables).
//
// fast-check is imported by its package name (see scheduler_state_props.ts). A failure prints
// the seed and the shrunk transport, options and mutations to replay it.
import fc from "fast-check";
import * as torch from "../../build/torchlet.js";
import { PROPERTY_SEED } from "./property_seed.ts";
import { assert, assertEqual } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
type DType = torch.DType;
type Module = torch.nn.Module;
type Values = Float32Array | Int32Array | Uint8Array;
const nn = torch.nn;

const RUNS = 300;

// ------------------------------------------------------------------ the models

/** Every layer kind with state, in one forward. */
class Net extends nn.Module {
  conv = new nn.Conv2d(1, 2, 2);
  bn = new nn.BatchNorm2d(2, { momentum: null }); // the cumulative average reads num_batches_tracked
  emb = new nn.Embedding(5, 4, { paddingIdx: 0 });
  head = new nn.Sequential(new nn.Linear(8, 4));
  ln = new nn.LayerNorm(4);
  forward(img: Tensor, idx: number[]): Tensor {
    const h = this.bn.forward(this.conv.forward(img)).flatten(1);
    return this.ln.forward(this.head.forward(h).add(this.emb.forward(idx)));
  }
}

const IMG = Array.from({ length: 18 }, (_, i) => Math.sin(i + 1) * 2);
const IDX = [0, 3];
const input = (): [Tensor, number[]] => [torch.tensor(IMG, { shape: [2, 1, 3, 3] }), IDX];

/** One forward and backward in training mode: BatchNorm's buffers move, parameters get grads. */
function exercise(m: Module): void {
  (m.forward(...input()) as Tensor).sum().backward();
}

interface Setup { name: string; build(seed: number): Module }
const SETUPS: Setup[] = [
  {
    name: "Net (Conv2d, BatchNorm2d, Embedding, Linear, LayerNorm)",
    build(seed) {
      torch.manualSeed(seed);
      const m = new Net();
      exercise(m);
      return m;
    },
  },
  {
    name: "AveragedModel(Net)",
    build(seed) {
      torch.manualSeed(seed);
      const net = new Net();
      const avg = new torch.optim.swaUtils.AveragedModel(net);
      exercise(net);
      avg.updateParameters(net);
      exercise(net);
      avg.updateParameters(net); // n_averaged 2
      exercise(avg);
      return avg;
    },
  },
];

// ------------------------------------------------------------------ reading a dict, in plain JS

interface Slot { shape: number[]; dtype: DType }

/** The model's state dict entries: name → shape and dtype. */
function slotsOf(m: Module): Map<string, Slot> {
  return new Map(Object.entries(m.stateDict()).map(([k, t]) => [k, { shape: [...t.shape], dtype: t.dtype }]));
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(v));
const isFlat = (v: unknown): v is ArrayLike<unknown> =>
  Array.isArray(v) || [Float32Array, Float64Array, Int32Array, Uint8Array].some((c) => v instanceof c);

/** Whether a `dtype` tensor holds x (float32: rounded, NaN and ±Infinity too as PyTorch, not 1e39; int32, bool: exactly). */
function holds(x: unknown, dtype: DType): boolean {
  if (typeof x !== "number") return false;
  // a finite number rounds to a finite float32 below 2^128 − 2^103 (the midpoint to 2^128)
  if (dtype === "float32") return !Number.isFinite(x) || Math.abs(x) < 2 ** 128 - 2 ** 103;
  if (dtype === "int32") return Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
  return x === 0 || x === 1;
}

/** The values `v` gives a tensor of `slot`, or null if it gives none. Reads Tensors now. */
function decode(v: unknown, slot: Slot): Values | null {
  // PyTorch: the shapes equal, or a [1]-shaped value for a 0-d tensor
  const fits = (s: unknown): boolean => Array.isArray(s) && (s.join() === slot.shape.join() && s.length === slot.shape.length ||
    (slot.shape.length === 0 && s.length === 1 && s[0] === 1));
  let values: ArrayLike<unknown>;
  let declared: unknown;
  if (v instanceof torch.Tensor) {
    if (v.isDisposed || !fits([...v.shape])) return null;
    values = v.toArray();
  } else if (isFlat(v)) {
    values = v;
  } else if (isPlain(v)) {
    if (Object.keys(v).some((k) => !["dtype", "shape", "values"].includes(k))) return null;
    declared = v.dtype;
    if (declared !== undefined && !["float32", "int32", "bool"].includes(declared as string)) return null;
    if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isInteger(d) && d >= 0) || !fits(v.shape) || !isFlat(v.values)) return null;
    values = v.values;
  } else return null;
  if (values.length !== numel(slot.shape)) return null;
  for (let i = 0; i < values.length; i++) {
    if (declared !== undefined && !holds(values[i], declared as DType)) return null;
    if (!holds(values[i], slot.dtype)) return null;
  }
  const xs = values as ArrayLike<number>;
  if (slot.dtype === "float32") return xs instanceof Float32Array ? xs.slice() : Float32Array.from(xs);
  return slot.dtype === "int32" ? Int32Array.from(xs) : Uint8Array.from(xs);
}

type Expected =
  | { refused: true; named: string[] }
  | { refused: false; values: Map<string, Values>; missingKeys: string[]; unexpectedKeys: string[] };

/** What loadStateDict(sd, strict) must do, by PyTorch's rules (all or nothing here: see the top). */
function expected(sd: unknown, strict: boolean, slots: Map<string, Slot>): Expected {
  if (!isPlain(sd)) return { refused: true, named: ["stateDict"] };
  const has = (k: string) => Object.prototype.hasOwnProperty.call(sd, k);
  const missingKeys = [...slots.keys()].filter((k) => !has(k));
  const unexpectedKeys = Object.keys(sd).filter((k) => !slots.has(k));
  const bad = strict ? [...missingKeys, ...unexpectedKeys] : [];
  const values = new Map<string, Values>();
  for (const [k, slot] of slots) {
    if (!has(k)) continue;
    const v = decode(sd[k], slot);
    if (v === null) bad.push(k);
    else values.set(k, v);
  }
  return bad.length ? { refused: true, named: bad } : { refused: false, values, missingKeys, unexpectedKeys };
}

// ------------------------------------------------------------------ transports and mutations

const TRANSPORTS: Record<string, (sd: Record<string, Tensor>) => Any> = {
  tensors: (sd) => sd,
  "JSON text": (sd) => JSON.parse(JSON.stringify(sd)),
  structuredClone: (sd) => structuredClone(sd),
  "structuredClone of the JSON form": (sd) => structuredClone(JSON.parse(JSON.stringify(sd))),
  "toArray() values": (sd) => Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.toArray()])),
  "null-prototype object": (sd) => Object.assign(Object.create(null), sd),
};

const FORMS = [
  "tensor", "float32 tensor", "int32 tensor", "bool tensor", "transposed view", "strided view", "non-leaf tensor",
  "disposed tensor", "tensor released by tidy", "number[]", "Float32Array", "Float64Array", "Int32Array",
  "JSON form", "JSON form, int32", "JSON form, no dtype", "JSON form, dtype float64", "indexed object",
  "nested array", "tensor-like object", "null", "undefined", "string", "number", "boolean", "{}", "[]", "Map", "Module",
] as const;
type Form = typeof FORMS[number];

interface ValueSpec { form: Form; data: number[]; lengthOff: boolean }

/** The values as a tensor of `dtype` can be made of them (tensor() refuses what it cannot hold): truncated, 0 for non-finite. */
function heldBy(vals: number[], dtype: DType): number[] | boolean[] {
  if (dtype === "float32") return vals;
  if (dtype === "bool") return vals.map((x) => x !== 0);
  return vals.map((x) => (Number.isFinite(x) ? Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(x))) : 0));
}

/** A new value of `spec`'s form for an entry of `slot` (new tensors each call: fast-check replays specs). */
function makeValue(spec: ValueSpec, slot: Slot): unknown {
  const n = numel(slot.shape) + (spec.lengthOff ? 1 : 0);
  const vals = Array.from({ length: n }, (_, i) => spec.data[i % spec.data.length]);
  const shape = spec.lengthOff ? [n] : slot.shape;
  const make = (dtype: DType) => torch.tensor(heldBy(vals, dtype), { shape, dtype });
  switch (spec.form) {
    case "tensor": return make(slot.dtype);
    case "float32 tensor": return make("float32");
    case "int32 tensor": return make("int32");
    case "bool tensor": return make("bool");
    case "transposed view":
      if (shape.length < 2) return make(slot.dtype);
      return torch.tensor(heldBy(vals, slot.dtype), { shape: [shape[1], shape[0], ...shape.slice(2)], dtype: slot.dtype }).transpose(0, 1);
    case "strided view": {
      const held = heldBy(vals, slot.dtype);
      return torch.tensor([...held, ...held], { shape: [n, 2], dtype: slot.dtype }).select(1, 0).reshape(shape);
    }
    case "non-leaf tensor": return torch.tensor(vals, { shape, requiresGrad: true }).mul(1);
    case "disposed tensor": { const t = make(slot.dtype); t.dispose(); return t; }
    case "tensor released by tidy": { let t!: Tensor; torch.tidy(() => { t = make(slot.dtype); }); return t; }
    case "number[]": return vals;
    case "Float32Array": return Float32Array.from(vals);
    case "Float64Array": return Float64Array.from(vals);
    case "Int32Array": return Int32Array.from(vals);
    case "JSON form": return { dtype: slot.dtype, shape, values: vals };
    case "JSON form, int32": return { dtype: "int32", shape, values: vals };
    case "JSON form, no dtype": return { shape, values: vals };
    case "JSON form, dtype float64": return { dtype: "float64", shape, values: vals };
    case "indexed object": return Object.fromEntries(vals.map((x, i) => [String(i), x]));
    case "nested array": return [vals];
    case "tensor-like object": return { shape, dtype: slot.dtype };
    case "null": return null;
    case "undefined": return undefined;
    case "string": return "weights.pt";
    case "number": return vals[0];
    case "boolean": return true;
    case "{}": return {};
    case "[]": return [];
    case "Map": return new Map([["values", vals]]);
    case "Module": return new nn.Linear(1, 1);
  }
}

type Mutation =
  | { op: "drop"; at: number }
  | { op: "add"; key: string; value: ValueSpec }
  | { op: "set"; at: number; value: ValueSpec }
  | { op: "non-finite"; at: number; index: number; x: number | null }
  | { op: "share"; at: number; from: number }
  | { op: "model's own"; at: number; from: number }
  | { op: "other model's"; at: number; from: number }
  | { op: "reshape"; at: number; how: number }
  | { op: "retype"; at: number; dtype: string }
  | { op: "root"; value: ValueSpec };

interface Ctx { subject: Module; other: Module; slots: Map<string, Slot> }

/** The shapes a value of `shape` is reshaped to (a [1]-shaped value of a 0-d entry loads, as PyTorch). */
function reshapes(shape: number[]): number[][] {
  const n = numel(shape);
  const out = [[n], [1, ...shape], [...shape, 1], [...shape].reverse(), [n + 1]];
  if (n === 1) out.push([1], []);
  return out;
}

/** `v` with element `index` set to `x`, in v's own form (a Tensor: a new one); v itself if it has no values. */
function withElement(v: unknown, index: number, x: number | null): unknown {
  const set = (xs: ArrayLike<unknown>): unknown[] => {
    const out = Array.from(xs);
    if (out.length) out[index % out.length] = x;
    return out;
  };
  if (v instanceof torch.Tensor) {
    if (v.isDisposed || x === null || v.dtype !== "float32") return v; // only a float tensor holds them
    return torch.tensor(set(v.toArray()) as number[], { shape: [...v.shape], dtype: v.dtype });
  }
  if (Array.isArray(v)) return set(v);
  if (v instanceof Float32Array || v instanceof Float64Array) return (v.constructor as Float32ArrayConstructor).from(set(v) as number[]);
  if (isPlain(v) && isFlat(v.values)) return { ...v, values: set(v.values) };
  return v;
}

function mutate(sd: Any, m: Mutation, ctx: Ctx): Any {
  if (m.op === "root") return makeValue(m.value, { shape: [2], dtype: "float32" });
  if (!isPlain(sd)) return sd;
  const keys = [...new Set([...ctx.slots.keys(), ...Object.keys(sd)])];
  const pick = (i: number) => keys[i % keys.length];
  const slot = (k: string): Slot => ctx.slots.get(k) ?? { shape: [2], dtype: "float32" };
  // own data properties, so "__proto__" is a key as JSON.parse makes it
  const put = (k: string, v: unknown) => Object.defineProperty(sd, k, { value: v, enumerable: true, writable: true, configurable: true });
  const own = (k: string) => Object.hasOwn(sd, k);
  const fromModel = (m: Module, k: string): void => {
    const theirs = m.stateDict();
    if (Object.hasOwn(theirs, k)) put(key, theirs[k]);
  };
  const key = m.op === "add" ? m.key : pick(m.at);
  const here = own(key) ? sd[key] : undefined;
  switch (m.op) {
    case "add":
    case "set": put(key, makeValue(m.value, slot(key))); break;
    case "drop": delete sd[key]; break;
    case "non-finite": if (own(key)) put(key, withElement(here, m.index, m.x)); break;
    case "share": if (own(pick(m.from))) put(key, sd[pick(m.from)]); break;
    case "model's own": fromModel(ctx.subject, pick(m.from)); break;
    case "other model's": fromModel(ctx.other, pick(m.from)); break;
    case "reshape": {
      if (here instanceof torch.Tensor && !here.isDisposed) {
        const all = reshapes([...here.shape]);
        const shape = all[m.how % all.length];
        const xs = Array.from(here.toArray());
        put(key, numel(shape) === xs.length ? here.reshape(shape) : torch.tensor([...xs, 0], { shape, dtype: here.dtype }));
      } else if (isPlain(here) && Array.isArray(here.shape)) {
        const all = reshapes(here.shape as number[]);
        put(key, { ...here, shape: all[m.how % all.length] });
      }
      break;
    }
    case "retype": {
      if (here instanceof torch.Tensor && !here.isDisposed && ["float32", "int32", "bool"].includes(m.dtype)) put(key, here.to(m.dtype as DType));
      else if (isPlain(here) && "values" in here) {
        const { dtype: _old, ...rest } = here;
        put(key, m.dtype === "none" ? rest : { ...rest, dtype: m.dtype });
      }
      break;
    }
  }
  return sd;
}

// mostly ordinary values, so that many dicts load; sometimes what only some dtypes hold
const DATA = fc.array(fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 9 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 2.5, 1e39, -1e300, 2 ** 31, -(2 ** 31)) },
), { minLength: 1, maxLength: 6 });
const VALUE: fc.Arbitrary<ValueSpec> = fc.record({
  form: fc.constantFrom(...FORMS),
  data: DATA,
  lengthOff: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const KEY = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("__proto__", "constructor", "toString", "bn.extra", "head.1.weight", "conv.weight.x", "n_averaged",
    "module.conv.weight", "conv.weight", "bn.num_batches_tracked", "module.bn.num_batches_tracked", ""),
);
const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("add" as const), key: KEY, value: VALUE }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: VALUE }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("non-finite" as const), at: fc.nat(), index: fc.nat(), x: fc.constantFrom(NaN, Infinity, -Infinity, null),
    }),
  },
  fc.record({ op: fc.constant("share" as const), at: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant("model's own" as const), at: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant("other model's" as const), at: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant("reshape" as const), at: fc.nat(), how: fc.nat() }),
  fc.record({ op: fc.constant("retype" as const), at: fc.nat(), dtype: fc.constantFrom("float32", "int32", "bool", "float64", "none") }),
  { weight: 1, arbitrary: fc.record({ op: fc.constant("root" as const), value: VALUE }) },
);
const OPTIONS = fc.constantFrom<[string, unknown[], boolean]>(
  ["(omitted)", [], true], ["{}", [{}], true], ["{ strict: true }", [{ strict: true }], true],
  ["{ strict: false }", [{ strict: false }], false], ["false", [false], false], ["true", [true], true],
);

// ------------------------------------------------------------------ the property

/** Everything loadStateDict may change, read out (a refusal must leave it equal). */
function snapshot(m: Module) {
  return {
    params: m.namedParameters().map(([n, p]) => ({
      n, dtype: p.dtype, shape: [...p.shape], requiresGrad: p.requiresGrad, values: p.toArray(), grad: p.grad?.toArray() ?? null,
    })),
    buffers: m.namedBuffers().map(([n, b]) => ({ n, dtype: b.dtype, shape: [...b.shape], requiresGrad: b.requiresGrad, values: b.toArray() })),
    training: m.modules().map((x) => x.training),
  };
}
const tensorsOf = (m: Module): Tensor[] => [...m.parameters(), ...m.buffers()];

/** Overwrites the numbers of a dict's arrays and JSON forms, in place (to show the model kept none of them). */
function scramble(sd: unknown): void {
  if (!isPlain(sd)) return;
  for (const v of Object.values(sd)) {
    const xs = isFlat(v) ? v : isPlain(v) && isFlat(v.values) ? v.values : null;
    if (xs !== null && !Object.isFrozen(xs)) for (let i = 0; i < xs.length; i++) (xs as Any)[i] = 7;
  }
}

const exp1 = () => torch.exp(torch.tensor(1)).item();

function property(s: Setup): { loaded: number; refused: number } {
  const counts = { loaded: 0, refused: 0 };
  const EXP1 = exp1();
  fc.assert(fc.property(
    fc.constantFrom(...Object.keys(TRANSPORTS)), OPTIONS, fc.boolean(), fc.array(MUTATION, { maxLength: 3 }),
    (transport, [, options, strict], training, mutations) => {
      const subject = s.build(1).train(training);
      const source = s.build(2);
      const ctx: Ctx = { subject, other: s.build(3), slots: slotsOf(subject) };
      let sd = TRANSPORTS[transport](source.stateDict());
      for (const m of mutations) sd = mutate(sd, m, ctx);
      const want = expected(sd, strict, ctx.slots); // reads the dict's tensors before the call
      const before = snapshot(subject);
      const tensors = tensorsOf(subject);
      const bystander = torch.tensor([0.5, -1.5, 2.5]);
      let result: Any;
      let error: unknown = null;
      try {
        result = (subject.loadStateDict as Any)(sd, ...options);
      } catch (e) {
        error = e;
      }
      assertEqual(bystander.toArray(), Float32Array.of(0.5, -1.5, 2.5), "a bystander tensor is untouched");
      assertEqual(exp1(), EXP1, "exp(1) is untouched (the kernels' tables)");
      assert(tensorsOf(subject).every((t, i) => t === tensors[i]), "the model's tensors are the same objects (loaded in place)");
      if (want.refused) {
        assert(error instanceof Error, `refused by the reading of the dict (${want.named.join(", ")}), but it loaded`);
        assert(!/Cannot read|is not a function|is not iterable/.test(error.message), `an internal error: ${error.message}`);
        for (const k of want.named) assert(error.message.includes(k), `the message names ${JSON.stringify(k)}: ${error.message}`);
        assertEqual(snapshot(subject), before, "refused: every parameter, buffer, grad and training flag as before");
        counts.refused++;
        return;
      }
      if (error !== null) throw new Error(`loads by the reading of the dict, but refused: ${(error as Error).message}`);
      assertEqual({ missingKeys: [...result.missingKeys].sort(), unexpectedKeys: [...result.unexpectedKeys].sort() },
        { missingKeys: [...want.missingKeys].sort(), unexpectedKeys: [...want.unexpectedKeys].sort() }, "missing and unexpected keys");
      // the twin: built the same way, given the values directly
      const twin = s.build(1).train(training);
      assertEqual(snapshot(twin), before, "the twin starts as the model did");
      const entries = new Map(Object.entries(twin.stateDict()));
      torch.noGrad(() => {
        for (const [k, v] of want.values) entries.get(k)!.copy_(v);
      });
      scramble(sd);
      for (const t of tensorsOf(source)) torch.noGrad(() => t.fill_(7));
      const loaded = snapshot(subject);
      assertEqual(loaded, snapshot(twin), "loaded: every parameter, buffer, grad and training flag as the twin's");
      const out = torch.noGrad(() => [subject, twin].map((m) => (m.forward(...input()) as Tensor).toArray()));
      assertEqual(out[0], out[1], "loaded: forward() as the twin's");
      assertEqual(snapshot(subject), snapshot(twin), "after forward(): every tensor as the twin's");
      counts.loaded++;
    },
  ), { numRuns: RUNS, seed: PROPERTY_SEED });
  return counts;
}

export const tests: Record<string, () => void> = Object.fromEntries(SETUPS.map((s) => [
  `${s.name}: ${RUNS} runs: a mutated state dict loads as a model given its values, or is refused changing nothing`,
  () => {
    const { loaded, refused } = property(s);
    // both outcomes were tried, often
    assert(loaded >= RUNS / 10 && refused >= RUNS / 10, `loaded ${loaded}, refused ${refused} of ${RUNS}`);
  },
]));
