// Property tests (fast-check) of scheduler loadStateDict: random mutations of a valid state
// dict (drop a key or array element, give a value another type, add a key, replace a value
// by a random JSON value or a number JSON cannot hold, or nudge it to a plausible value of
// its type so that many dicts load and are stepped, at any depth: inside arrays, OneCycleLR's
// phases, SequentialLR's and ChainedScheduler's child dicts), one to three at a time, thrown
// at every scheduler of the catalogue. Either
//   - refused: an Error naming the scheduler's loadStateDict, the scheduler's state, prototype
//     and param groups unchanged, and it then steps exactly as an untouched twin; or
//   - loaded: the scheduler now holds exactly the values given (its stateDict() is the dict),
//     shares nothing with the caller's dict (which is then scrambled), and steps exactly as a
//     second scheduler loaded with a copy of the same dict: same lrs and momentum (===), or
//     the same error with nothing changed;
// and never a NaN lr or momentum in any group.
//
// fast-check is imported by its package name: vitest resolves it in Node and Chromium, and
// Deno through node_modules (deno.json "nodeModulesDir": "manual"; npm: specifiers would need
// the registry). A failure prints the seed and the shrunk mutation list to replay it.
import fc from "fast-check";
import { PROPERTY_SEED } from "./property_seed.ts";
import { assert, assertEqual } from "./assert.ts";
import { build, lrAndMomentum, sameNumbers, SETUPS, stepOnce, type Setup } from "./scheduler_catalogue.ts";
import { groupsSnapshot } from "./schedulers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Path = (string | number)[];

const RUNS = 150;
/** Steps before the state dict is taken, and after it is loaded. */
const BEFORE = 5;
const AFTER = 6;

type Mutation =
  | { op: "drop"; at: number }
  | { op: "replace"; at: number; value: unknown }
  | { op: "retype"; at: number; kind: number; values: unknown[] }
  | { op: "add"; at: number; key: string; value: unknown }
  | { op: "nudge"; at: number; scale: number; delta: number; word: string };

/** Every position in `v` (object keys and array indices, at any depth); the root is []. */
function positions(v: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...positions(x, [...prefix, i])));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...positions(x, [...prefix, k]));
  return out;
}

function get(root: Any, path: Path): Any {
  return path.reduce((o, k) => (o !== null && typeof o === "object" ? o[k] : undefined), root);
}

/** Assigns as an own data property, so "__proto__" becomes a key as JSON.parse makes it. */
function put(o: Any, k: string | number, v: unknown): void {
  if (Array.isArray(o) && k === "length") return; // not a key an array can be given
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

const typeOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Applies `m` to `root` (a fresh copy) if its position still exists; returns the new root.
 * Inserted values are copies: fast-check's constants (SPECIAL's [] and {}) are shared
 * between runs, and a later mutation or scramble() would otherwise change them for good.
 */
function apply(root: Any, paths: Path[], mIn: Mutation): Any {
  const m = ("value" in mIn ? { ...mIn, value: structuredClone((mIn as { value: unknown }).value) } : mIn) as Mutation;
  const path = paths[m.at % paths.length];
  const value = (): unknown => {
    if (m.op === "nudge") {
      // a plausible value of the same type: most of these load, and must then behave
      const here = get(root, path);
      if (typeof here === "number") return here * m.scale + m.delta;
      if (typeof here === "boolean") return !here;
      if (typeof here === "string") return m.word;
      return here;
    }
    if (m.op !== "retype") return (m as { value: unknown }).value;
    // a value of another JSON type than the one there
    const others = m.values.filter((x) => typeOf(x) !== typeOf(get(root, path)));
    return structuredClone(others[m.kind % others.length]);
  };
  if (path.length === 0) {
    if (m.op === "add") {
      if (root !== null && typeof root === "object") put(root, m.key, m.value);
    }
    else if (m.op !== "drop") return value();
    return root;
  }
  const parent = get(root, path.slice(0, -1));
  const k = path[path.length - 1];
  if (parent === null || typeof parent !== "object" || !(k in parent)) return root;
  const here = parent[k];
  if (m.op === "drop") {
    // (not splice: the array may have been given an own "constructor" key by an earlier mutation)
    if (Array.isArray(parent)) {
      for (let i = k as number; i < parent.length - 1; i++) parent[i] = parent[i + 1];
      parent.length -= 1;
    } else delete parent[k];
  } else if (m.op === "add") {
    if (Array.isArray(here)) here[here.length] = m.value;
    else if (here !== null && typeof here === "object") put(here, m.key, m.value);
    else put(parent, m.key, m.value);
  } else {
    put(parent, k, value());
  }
  return root;
}

/** Values a state dict cannot hold (or holds only in some places), besides random JSON. */
const SPECIAL = fc.constantFrom(
  NaN, Infinity, -Infinity, -0, -1, 0, 1, 0.5, 2.5, 2 ** 53, 1e308, -1e308, 5e-324,
  "Infinity", "-Infinity", "", "cos", "min", "initialLr", null, true, false, [], {}, [null], [0.1, 0.1],
);
const VALUE = fc.oneof(fc.jsonValue({ maxDepth: 2 }), SPECIAL);
const KEY = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "optimizer", "toString", "lastEpochs", "_lastLR", "annealFunc", "lastEpoch"),
);
const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), value: VALUE }),
  fc.record({
    op: fc.constant("retype" as const), at: fc.nat(), kind: fc.nat(),
    values: fc.tuple(fc.string(), fc.boolean(), fc.double(), fc.constant(null), fc.array(fc.double(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 })),
  }),
  fc.record({ op: fc.constant("add" as const), at: fc.nat(), key: KEY, value: VALUE }),
  {
    // weighted: the other kinds are almost always refused, these often load
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("nudge" as const), at: fc.nat(), scale: fc.constantFrom(1, 1, 1, 0.5, 2, 0, -1, 1e-3, 1e3),
      delta: fc.integer({ min: -3, max: 3 }),
      word: fc.constantFrom("cos", "linear", "min", "max", "rel", "abs", "triangular", "triangular2", "exp_range",
        "cycle", "iterations", "Infinity", "-Infinity", "initialLr", "maxLr", "minLr", "maxMomentum", "baseMomentum"),
    }),
  },
);

/** Errors from the library, not from JavaScript tripping over a bad value. */
function assertOwnError(e: unknown, at: string): asserts e is Error {
  assert(e instanceof Error, `${at}: threw a non-Error ${String(e)}`);
  assert(!/Cannot read|Cannot convert|is not a function|is not iterable|Maximum call stack/.test(e.message), `${at}: internal error ${e.message}`);
}

function assertNoNaN(opt: Any, at: string): void {
  assert(lrAndMomentum(opt).every((x) => !Number.isNaN(x)), `${at}: NaN in ${JSON.stringify(lrAndMomentum(opt))}`);
}

/** One step: null, or the error's message (then the step must have changed nothing). */
function tryStep(s: Setup, built: { opt: Any; sched: Any }, i: number, at: string): string | null {
  const state = built.sched.stateDict();
  const groups = groupsSnapshot(built.opt);
  try {
    stepOnce(s, built.sched, i);
    return null;
  } catch (e) {
    assertOwnError(e, at);
    assertEqual(built.sched.stateDict(), state, `${at}: a failed step changed the scheduler`);
    assertEqual(groupsSnapshot(built.opt), groups, `${at}: a failed step changed the param groups`);
    return e.message;
  }
}

/**
 * What stateDict() gives back for a loaded dict: ReduceLROnPlateau writes infinities as
 * strings; MultiStepLR keeps its milestones sorted (PyTorch's are a Counter, in any order).
 */
function asSaved(sd: Any): Any {
  const out = structuredClone(sd);
  if (Array.isArray(out.milestones)) out.milestones.sort((a: number, b: number) => a - b);
  for (const k of ["best", "modeWorse"]) {
    if (typeof out[k] === "number" && !Number.isFinite(out[k]) && !Number.isNaN(out[k])) out[k] = String(out[k]);
  }
  return out;
}

/** Overwrites every number and string in `v`, in place (to catch a loaded dict still shared). */
function scramble(v: Any): void {
  if (v === null || typeof v !== "object") return;
  for (const k of Object.keys(v)) {
    if (typeof v[k] === "number") v[k] = 12345;
    else if (typeof v[k] === "string") v[k] = "scrambled";
    else scramble(v[k]);
  }
}

function property(s: Setup): void {
  const owner = `${s.scheduler.type}.loadStateDict: `;
  const good = build(s, BEFORE).sched.stateDict();
  const paths = positions(good);
  fc.assert(
    fc.property(fc.array(MUTATION, { minLength: 1, maxLength: 3 }), (mutations) => {
      let sd = structuredClone(good);
      for (const m of mutations) sd = apply(sd, paths, m);
      const subject = build(s, BEFORE);
      const groups = groupsSnapshot(subject.opt);
      const proto = Object.getPrototypeOf(subject.sched);
      let refused = false;
      try {
        subject.sched.loadStateDict(sd);
      } catch (e) {
        refused = true;
        assertOwnError(e, "loadStateDict");
        assert(e.message.startsWith(owner), `refusal ${JSON.stringify(e.message)} does not start with ${owner}`);
        assertEqual(subject.sched.stateDict(), good, "refused: scheduler state unchanged");
        assertEqual(groupsSnapshot(subject.opt), groups, "refused: param groups unchanged");
        assert(Object.getPrototypeOf(subject.sched) === proto, "refused: prototype unchanged");
      }
      assertNoNaN(subject.opt, "after loadStateDict");
      // refused: compare with an untouched twin; loaded: with a twin loaded from a copy
      const other = build(s, BEFORE);
      if (!refused) {
        assertEqual(subject.sched.stateDict(), asSaved(sd), "loaded: holds exactly the values given");
        other.sched.loadStateDict(structuredClone(sd));
        scramble(sd);
      }
      for (let i = BEFORE + 1; i <= BEFORE + AFTER; i++) {
        const a = tryStep(s, subject, i, `step ${i}`);
        const b = tryStep(s, other, i, `twin's step ${i}`);
        assertEqual(a, b, `step ${i}: same outcome`);
        assert(sameNumbers(lrAndMomentum(subject.opt), lrAndMomentum(other.opt)), `step ${i}: same lrs and momentum`);
        assertNoNaN(subject.opt, `step ${i}`);
      }
    }),
    { numRuns: RUNS, seed: PROPERTY_SEED },
  );
}

export const tests: Record<string, () => void> = Object.fromEntries(
  SETUPS.map((s) => [`loadStateDict under random mutations (${RUNS} runs): ${s.name}`, () => property(s)]),
);
