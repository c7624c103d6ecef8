// Option handling shared by every optimizer: the constructor's options over PyTorch's
// defaults, the type of every option of a group, and the Adam family's value checks, with
// PyTorch's messages in PyTorch's order.
import { Tensor } from "../tensor.js";
import { refuseUnknownOptions } from "../unknown_option.js";
import { assertLive, owned } from "../storage_access.js";
import type { ParamGroup } from "./optimizer.js";
import { F32, type Py } from "./py_scalar.js";

/**
 * The constructor's options over PyTorch's defaults: `undefined` means the default; a name
 * the optimizer doesn't have is refused with the nearest known name, as Python refuses an
 * unexpected keyword argument. Arrays are copied, so the caller's later changes don't reach
 * the defaults.
 */
export function withDefaults(name: string, options: unknown, defaults: Record<string, unknown>): Record<string, any> {
  if (options === undefined || options === null) return { ...defaults };
  if (typeof options !== "object" || Array.isArray(options) || options instanceof Tensor) {
    throw new TypeError(`${name}: options must be an object, got ${show(options)}`);
  }
  refuseUnknownOptions(name, options, Object.keys(defaults));
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(options)) {
    if (v !== undefined) out[key] = Array.isArray(v) ? v.slice() : v;
  }
  return out;
}

/**
 * withDefaults for a reference implementation that keeps some constructor arguments on the
 * optimizer instead of in its param groups (lion-pytorch's decoupled_weight_decay,
 * pytorch_optimizer's pre_norm and maximize): the constructor takes both kinds, each checked
 * for its default's type; returns the group defaults and the optimizer's own options apart.
 * A param group naming one of the latter is refused as naming an unknown option.
 */
export function withOwnOptions(name: string, options: unknown, defaults: Record<string, unknown>,
  ownDefaults: Record<string, unknown>): [Record<string, any>, Record<string, any>] {
  const all = withDefaults(name, options, { ...defaults, ...ownDefaults });
  const own: Record<string, any> = {};
  for (const key of Object.keys(ownDefaults)) {
    own[key] = all[key];
    delete all[key];
  }
  checkTypes(name, own, ownDefaults);
  return [all, own];
}

/**
 * Every option has its default's type: number, boolean, or an array of numbers as long as the
 * default (a pair, Muon's three coefficients; an element whose default is null may be null, as
 * Adafactor's eps1); others: any. `lr` may also be a 1-element float tensor, as PyTorch accepts.
 */
export function checkTypes(name: string, group: Record<string, unknown>, defaults: Record<string, unknown>): void {
  for (const [key, d] of Object.entries(defaults)) {
    const v = group[key];
    if (key === "lr" && v instanceof Tensor) {
      if (v.numel() !== 1) throw new Error("Tensor lr must be 1-element");
      if (v.isDisposed) throw new Error(`${name}: option lr is a released Tensor`);
      continue;
    }
    const ok = typeof d === "number" ? typeof v === "number"
      : typeof d === "boolean" ? typeof v === "boolean"
      : Array.isArray(d) ? Array.isArray(v) && v.length === d.length &&
        v.every((x, i) => typeof x === "number" || (x === null && d[i] === null)) : true;
    if (!ok) {
      const want = typeof d === "number" ? (key === "lr" ? "a number or a 1-element Tensor" : "a number")
        : typeof d === "boolean" ? "a boolean" : arrayForm(d as unknown[]);
      throw new TypeError(`${name}: option ${key} must be ${want}, got ${show(v)}`);
    }
  }
}

/**
 * A group's tensor lr is the optimizer's to hold, as PyTorch's group holds it (exempt from
 * automatic release; a released one throws here, before anything changes). Called when a
 * group is made and at each step (a tensor assigned to paramGroups[i].lr meanwhile).
 */
export function holdLr(group: { lr: unknown }): void {
  const lr = group.lr;
  if (typeof lr !== "number" && lr instanceof Tensor) assertLive(owned(lr));
}

/** The value of a group's lr (a number, or a 1-element tensor's value). */
export function lrValue(lr: number | Tensor): number {
  return typeof lr === "number" ? lr : lr.item();
}

/**
 * A group's lr as PyTorch's step sees it after _to_scalar: a Python float, or a 0-d float32
 * tensor (py_scalar.ts), whose arithmetic with the step's other scalars is float32.
 */
export function lrScalar(lr: number | Tensor): Py {
  return typeof lr === "number" ? lr : new F32(lr.item());
}

/** PyTorch's `if not 0.0 <= lr: raise ValueError(f"Invalid learning rate: {lr}")`. */
export function checkLr(lr: number | Tensor): void {
  const v = lrValue(lr);
  if (!(v >= 0)) throw new Error(`Invalid learning rate: ${v}`);
}

/** Options shared by the Adam family, checked with PyTorch's messages and order. */
export function checkAdamOptions(name: string, group: ParamGroup, defaults: Record<string, unknown>): void {
  checkTypes(name, group, defaults);
  checkLr(group.lr);
  if (!(group.eps >= 0)) throw new Error(`Invalid epsilon value: ${group.eps}`);
  const betas = group.betas as number[];
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new Error(`Invalid beta parameter at index 0: ${betas[0]}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new Error(`Invalid beta parameter at index 1: ${betas[1]}`);
  if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
}

/** What an array option must be, from its default: "a pair of numbers", "an array of 3 numbers", "[null or a number, a number]". */
function arrayForm(d: unknown[]): string {
  if (d.some((x) => x === null)) return `[${d.map((x) => (x === null ? "null or a number" : "a number")).join(", ")}]`;
  return d.length === 2 ? "a pair of numbers" : `an array of ${d.length} numbers`;
}

/** A value as a message shows it: strings quoted, arrays listed, objects by kind. */
export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return v.length <= 8 ? `[${v.map(show).join(", ")}]` : `an array of ${v.length} values`;
  if (v instanceof Tensor) return v.isDisposed ? "a released Tensor" : `a Tensor of shape [${v.shape.join(", ")}]`;
  if (ArrayBuffer.isView(v)) {
    const kind = v.constructor.name;
    return `${/^[AEIOU]/.test(kind) ? "an" : "a"} ${kind} of ${(v as unknown as ArrayLike<number>).length} values`;
  }
  if (typeof v === "function") return "a function";
  return v === null ? "null" : typeof v === "object" ? "an object" : String(v);
}
