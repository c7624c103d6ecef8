/**
 * Option checks shared by the schedulers. Every check runs before a scheduler touches its
 * optimizer, and throws an error naming the scheduler, the option, the value received and
 * the form expected.
 */
import { Optimizer } from "../optimizer.js";
import { refuseUnknownOptions } from "../../unknown_option.js";

/**
 * A short, readable rendering of a received value for error messages (the first elements of
 * a long array; no method of the value is called, it may come from anywhere).
 */
export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) {
    const shown: string[] = [];
    for (let i = 0; i < Math.min(v.length, 8); i++) shown.push(describe(v[i]));
    return `[${shown.join(", ")}${v.length > 8 ? `, … (${v.length} values)` : ""}]`;
  }
  if (v === null || typeof v !== "object") return String(v);
  const name = Object.getPrototypeOf(v)?.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/** TypeError for anything that is not a torchlet Optimizer (PyTorch: "X is not an Optimizer"). */
export function checkOptimizer(owner: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new TypeError(`${owner}: ${describe(optimizer)} is not an Optimizer (optimizer)`);
  }
  return optimizer;
}

/**
 * Rejects option names the scheduler does not know, suggesting the nearest known one
 * (`step_size` → "stepSize"): a misspelt option must never be silently ignored.
 */
export function checkKeys(owner: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  }
  refuseUnknownOptions(owner, options, allowed);
}

function missing(owner: string, name: string): never {
  throw new TypeError(`${owner}: missing required option ${name}`);
}

export function bad(owner: string, name: string, expected: string, v: unknown): never {
  throw new RangeError(`${owner}: ${name} must be ${expected}, got ${describe(v)}`);
}

/** A finite number; `def` undefined means the option is required. */
export function num(owner: string, name: string, v: unknown, def?: number): number {
  if (v === undefined) return def === undefined ? missing(owner, name) : def;
  if (typeof v !== "number" || !Number.isFinite(v)) bad(owner, name, "a finite number", v);
  return v;
}

/** A number in [lo, hi] (or (lo, hi] / [lo, hi) with the exclusive flags). */
export function inRange(
  owner: string, name: string, v: unknown, def: number | undefined,
  lo: number, hi: number, loOpen = false, hiOpen = false,
): number {
  const x = num(owner, name, v, def);
  if ((loOpen ? x <= lo : x < lo) || (hiOpen ? x >= hi : x > hi)) {
    bad(owner, name, `in ${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`, v);
  }
  return x;
}

/** A positive number (a period that may be fractional). */
export function positive(owner: string, name: string, v: unknown, def?: number): number {
  const x = num(owner, name, v, def);
  if (!(x > 0)) bad(owner, name, "a positive number", v);
  return x;
}

/**
 * An integer ≥ `min` (1 for periods and step counts, 0 for counters), and a safe one: past
 * 2^53, `epoch + 1 === epoch` and a counter would stop moving.
 */
export function int(owner: string, name: string, v: unknown, def: number | undefined, min: number): number {
  const x = num(owner, name, v, def);
  if (!Number.isSafeInteger(x) || x < min) {
    bad(owner, name, min === 1 ? "a positive integer" : `an integer >= ${min}`, v);
  }
  return x;
}

export function bool(owner: string, name: string, v: unknown, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== "boolean") bad(owner, name, "true or false", v);
  return v;
}

export function oneOf<T extends string>(owner: string, name: string, v: unknown, def: T, values: readonly T[]): T {
  if (v === undefined) return def;
  if (!values.includes(v as T)) bad(owner, name, `one of ${values.map((s) => JSON.stringify(s)).join(", ")}`, v);
  return v as T;
}

/** `lastEpoch`: -1 (start) or the index of the last epoch when resuming. */
export function lastEpochOption(owner: string, v: unknown): number {
  return int(owner, "lastEpoch", v, -1, -1);
}

/**
 * PyTorch's `_format_param`: one value for every group, or an array with one value per
 * param group. `def` undefined means the option is required.
 */
export function perGroup(
  owner: string, name: string, v: unknown, optimizer: Optimizer, def?: number,
): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(v)) {
    if (v.length !== n) {
      throw new RangeError(
        `${owner}: ${name} must have the same length as optimizer.paramGroups. ` +
          `${name} has ${v.length} values, paramGroups has ${n}.`,
      );
    }
    return v.map((x, i) => num(owner, `${name}[${i}]`, x));
  }
  const x = num(owner, name, v, def);
  return new Array<number>(n).fill(x);
}

/** A function, or an array of functions with one per param group (`lrLambda`). */
export function fnPerGroup<F extends Function>(owner: string, name: string, v: unknown, optimizer: Optimizer): F[] {
  const n = optimizer.paramGroups.length;
  if (v === undefined) missing(owner, name);
  if (Array.isArray(v)) {
    if (v.length !== n) {
      throw new RangeError(`${owner}: expected ${n} ${name} functions (one per param group), got ${v.length}`);
    }
    v.forEach((f, i) => {
      if (typeof f !== "function") bad(owner, `${name}[${i}]`, "a function", f);
    });
    return [...v] as F[];
  }
  if (typeof v !== "function") bad(owner, name, "a function or an array of functions", v);
  return new Array<F>(n).fill(v as F);
}

/**
 * Milestones: integers ≥ 0. `strict` (SequentialLR's, which it bisects as given): strictly
 * increasing. Otherwise (MultiStepLR's, a `Counter` in PyTorch, so any order and repeats):
 * returned sorted.
 */
export function milestones(owner: string, name: string, v: unknown, strict: boolean): number[] {
  if (v === undefined) missing(owner, name);
  if (!Array.isArray(v)) bad(owner, name, "an array of integers", v);
  v.forEach((m, i) => int(owner, `${name}[${i}]`, m, undefined, 0));
  if (!strict) return [...v].sort((a, b) => a - b);
  for (let i = 1; i < v.length; i++) {
    if (v[i] <= v[i - 1]) bad(owner, name, "strictly increasing", v);
  }
  return [...v];
}

/** Python's `bisect.bisect_right` on a sorted array. */
export function bisectRight(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
