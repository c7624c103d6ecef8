// Option handling shared by Adadelta, Adagrad, ASGD, RMSprop, Rprop and LBFGS: constructor
// options filled from PyTorch's defaults (unknown names refused, as Python refuses an
// unexpected keyword argument), option types checked for every group, and the liveness
// check a step runs before it touches anything.
import type { ParamGroup } from "./optimizer.js";

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return v === null ? "null" : typeof v === "object" ? "an object" : String(v);
}

/** The constructor's options over PyTorch's defaults (undefined means "use the default"). */
export function withDefaults(name: string, options: unknown, defaults: Record<string, unknown>): Record<string, any> {
  if (options === undefined || options === null) return { ...defaults };
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${name}: options must be an object, got ${show(options)}`);
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(options)) {
    if (!(k in defaults)) {
      throw new TypeError(`${name}: unknown option "${k}" (options: ${Object.keys(defaults).join(", ")})`);
    }
    if (v !== undefined) out[k] = v;
  }
  checkTypes(name, out, defaults);
  return out;
}

/** Each option has the type of its default: number, boolean, or a pair of numbers. */
export function checkTypes(name: string, group: Record<string, unknown>, defaults: Record<string, unknown>): void {
  for (const [k, d] of Object.entries(defaults)) {
    const v = group[k];
    let ok = true, want = "";
    if (typeof d === "number") { ok = typeof v === "number"; want = "a number"; }
    else if (typeof d === "boolean") { ok = typeof v === "boolean"; want = "a boolean"; }
    else if (Array.isArray(d)) {
      ok = Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number");
      want = "a pair of numbers";
    } else continue;
    if (!ok) throw new TypeError(`${name}: option ${k} must be ${want}, got ${show(v)}`);
  }
}

/** Throws (before a step changes anything) if a parameter or grad of the groups was released. */
export function assertLive(groups: ParamGroup[]): void {
  for (const g of groups) {
    for (const p of g.params) {
      p._ptr;
      if (p.grad !== null) p.grad._ptr;
    }
  }
}
