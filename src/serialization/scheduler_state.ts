// Scheduler state dicts between torchlet's layout (camelCase keys, ±Infinity as the strings
// "Infinity"/"-Infinity" so that JSON keeps them) and PyTorch's (snake_case keys, floats).
// Every scheduler's state dict has `_last_lr`, which is how one is recognised. Nested
// schedulers (SequentialLR's and ChainedScheduler's `_schedulers`) are dicts of their own,
// translated as the walk reaches them. MultiStepLR's milestones are a
// collections.Counter in PyTorch (milestone → how many times it was given) and a sorted
// array with repeats in torchlet.
import { camelCase, define, isPlainObject, snakeCase } from "./names.js";
import { Call } from "./pickle_write.js";

/** ReduceLROnPlateau's entries that may be infinite. */
const EXTENDED = new Set(["best", "mode_worse"]);
/** OneCycleLR's phases, whose values name other entries (`"initial_lr"`). */
const PHASES = "_schedule_phases";

export function isPyTorchSchedulerStateDict(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && Object.hasOwn(v, "_last_lr");
}

export function isTorchletSchedulerStateDict(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && Object.hasOwn(v, "_lastLr");
}

export function schedulerStateFromPyTorch(sd: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sd)) {
    let x = v;
    if (EXTENDED.has(k) && typeof v === "number" && !Number.isFinite(v) && !Number.isNaN(v)) x = v > 0 ? "Infinity" : "-Infinity";
    if (k === PHASES) x = phases(v, camelCase);
    if (k === "milestones" && v instanceof Map) x = [...v].flatMap(([m, n]) => Array<unknown>(Number(n)).fill(m));
    define(out, camelCase(k), x);
  }
  return out;
}

export function schedulerStateToPyTorch(sd: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sd)) {
    const name = snakeCase(k);
    let x = v;
    if (EXTENDED.has(name) && (v === "Infinity" || v === "-Infinity")) x = v === "Infinity" ? Infinity : -Infinity;
    if (name === PHASES) x = phases(v, snakeCase);
    if (name === "milestones" && Array.isArray(v)) {
      const counts = new Map<number, number>();
      for (const m of v as number[]) counts.set(m, (counts.get(m) ?? 0) + 1);
      x = new Call("collections", "Counter", [counts]);
    }
    define(out, name, x);
  }
  return out;
}

function phases(v: unknown, rename: (k: string) => string): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((phase) => {
    if (!isPlainObject(phase)) return phase;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(phase)) define(out, rename(k), typeof x === "string" ? rename(x) : x);
    return out;
  });
}
