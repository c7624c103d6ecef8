/**
 * Checks of scheduler state dicts. A state dict comes from outside (a file, `JSON.parse`, a
 * worker's message), so `loadStateDict` checks all of it before assigning anything: a plain
 * object, exactly the keys the scheduler's `stateDict()` writes, and each value held to the
 * check of the option it came from (an epoch is an integer, an lr a finite number, a
 * per-group list has one value per param group). PyTorch's `load_state_dict` is
 * `__dict__.update(state_dict)`; here a malformed dict changes nothing and the error names
 * the scheduler, the key, the value received and the form expected.
 */
import { nearestName } from "../../unknown_option.js";
import { bad, describe, inRange, int, milestones, num, oneOf, positive } from "./check.js";

/** Who is loading (`"StepLR.loadStateDict"`, for messages) and how many param groups it has. */
export interface StateContext {
  owner: string;
  groups: number;
}

/** Checks the value at `key` (its path in the dict, for messages); returns a copy to store. */
export type StateCheck = (v: unknown, key: string, ctx: StateContext) => unknown;

/** The checks of one scheduler's state dict: one per key its `stateDict()` writes. */
export type StateSchema = Record<string, StateCheck>;

/** Keys that would reach the object's prototype if assigned (a JSON `"__proto__"` key does). */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * A copy of `v` if it is an array with only its elements (no holes, no extra keys), else
 * null. Checks never call methods on what they are given: an array from `structuredClone`
 * may carry own `map` or `constructor` keys.
 */
export function elements(v: unknown): unknown[] | null {
  if (!Array.isArray(v) || Object.keys(v).length !== v.length) return null;
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

/** An object made by `{}`, `JSON.parse` or `structuredClone` (in any realm); no class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Checks `sd` against `schema`; returns a new object with the checked copies. `path` prefixes
 * the keys in messages (`_schedulers[1].`) when the dict is nested in another.
 */
export function checkState(sd: unknown, schema: StateSchema, ctx: StateContext, path = ""): Record<string, unknown> {
  const known = Object.keys(schema);
  if (!isPlainObject(sd)) {
    throw new TypeError(
      `${ctx.owner}: ${path ? path.slice(0, -1) : "the state dict"} must be a plain object as returned by ` +
        `stateDict(), got ${describe(sd)}`,
    );
  }
  for (const k of Object.keys(sd)) {
    if (PROTOTYPE_KEYS.includes(k)) {
      throw new TypeError(`${ctx.owner}: refused key ${JSON.stringify(path + k)} (a state dict never has it; ` +
        `assigned, it would reach the scheduler's prototype)`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of known) {
    const v = Object.hasOwn(sd, k) ? sd[k] : undefined;
    if (v === undefined) throw new TypeError(`${ctx.owner}: missing key ${JSON.stringify(path + k)} (a state dict has ${known.join(", ")})`);
    out[k] = schema[k](v, path + k, ctx);
  }
  for (const k of Object.keys(sd)) {
    if (Object.hasOwn(schema, k)) continue;
    const near = nearestName(k, known);
    throw new TypeError(`${ctx.owner}: unknown key ${JSON.stringify(path + k)}` +
      `${near !== null ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; a state dict has ${known.join(", ")}`);
  }
  return out;
}

// ---------------------------------------------------------------------- value checks

/** check.ts's option checks read undefined as "not given"; in a state dict it is a bad value. */
function defined(expected: string, check: StateCheck): StateCheck {
  return (v, key, c) => (v === undefined ? bad(c.owner, key, expected, v) : check(v, key, c));
}

export const finite = defined("a finite number", (v, key, c) => num(c.owner, key, v));
export const positiveNumber = defined("a positive number", (v, key, c) => positive(c.owner, key, v));
/** An integer >= `min` (safe: an epoch counter that `+ 1` still moves). */
export const intAtLeast = (min: number): StateCheck =>
  defined(min === 1 ? "a positive integer" : `an integer >= ${min}`, (v, key, c) => int(c.owner, key, v, undefined, min));
export const within = (lo: number, hi: number, loOpen = false, hiOpen = false): StateCheck =>
  defined(`a number in ${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`,
    (v, key, c) => inRange(c.owner, key, v, undefined, lo, hi, loOpen, hiOpen));
// (oneOf reads undefined as "not given": checkState reports an undefined value as a missing key first)
export const oneOfValues = (values: readonly string[]): StateCheck => (v, key, c) => oneOf(c.owner, key, v, values[0], values);
/** Milestones: integers >= 0; `strict`: strictly increasing, otherwise any order (kept sorted). */
export const increasing = (strict: boolean): StateCheck => (v, key, c) => {
  const items = elements(v);
  if (items === null || items.includes(undefined)) bad(c.owner, key, "an array of integers", v);
  return milestones(c.owner, key, items, strict);
};

export const boolean: StateCheck = (v, key, c) => (typeof v === "boolean" ? v : bad(c.owner, key, "true or false", v));

/** A flag that is true only while a step runs, so false in any saved state. */
export const notInStep: StateCheck = (v, key, c) => (v === false ? v : bad(c.owner, key, "false (it is true only during a step)", v));

/** `null`: where PyTorch saves a function's place (functions are not part of a state dict). */
export const nullOnly: StateCheck = (v, key, c) =>
  (v === null ? v : bad(c.owner, key, "null (functions are not saved; give them to the constructor)", v));

/** An array of `n` values (any number when `n` is null), each checked by `each`. */
export function arrayOf(n: number | null | ((c: StateContext) => number), each: StateCheck, what: string): StateCheck {
  return (v, key, c) => {
    const len = typeof n === "function" ? n(c) : n;
    const items = elements(v);
    if (items === null || (len !== null && items.length !== len)) bad(c.owner, key, `an array of ${len === null ? "" : `${len} `}${what}`, v);
    return items.map((x, i) => each(x, `${key}[${i}]`, c));
  };
}

/** `null`, or a value that passes `check`. */
export const nullOr = (check: StateCheck, expected: string): StateCheck =>
  (v, key, c) => (v === null ? null : v === undefined ? bad(c.owner, key, expected, v) : check(v, key, c));

/** One finite number per param group (`baseLrs`, `_lastLr`, `minLrs`, …). */
export const perGroupNumbers: StateCheck = arrayOf((c) => c.groups, finite, "finite numbers (one per param group)");

/**
 * The keys every scheduler built on `LRScheduler._init` writes (PyTorch's `base_lrs`,
 * `last_epoch`, `_step_count`, `_is_initial`, `_get_lr_called_within_step`, `_last_lr`).
 * `lastEpoch` may be -1: a SequentialLR child that has not started yet.
 */
export const SCHEDULER_STATE: StateSchema = {
  baseLrs: perGroupNumbers,
  lastEpoch: intAtLeast(-1),
  _stepCount: intAtLeast(0),
  _isInitial: notInStep,
  _getLrCalledWithinStep: notInStep,
  _lastLr: perGroupNumbers,
};
