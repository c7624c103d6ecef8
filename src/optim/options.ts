// Option handling shared by every optimizer: the constructor's options over PyTorch's
// defaults, the type of every option of a group, and the Adam family's value checks, with
// PyTorch's messages in PyTorch's order.
import type { ParamGroup } from "./optimizer.js";

/**
 * The constructor's options over PyTorch's defaults: `undefined` means the default; a name
 * the optimizer doesn't have is refused, as Python refuses an unexpected keyword argument.
 * Arrays are copied, so the caller's later changes don't reach the defaults.
 */
export function withDefaults(name: string, options: unknown, defaults: Record<string, unknown>): Record<string, any> {
  if (options === undefined || options === null) return { ...defaults };
  if (typeof options !== "object" || Array.isArray(options)) throw new TypeError(`${name}: options must be an object, got ${show(options)}`);
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(options)) {
    if (!(key in defaults)) throw new TypeError(`${name}: unknown option "${key}" (options: ${Object.keys(defaults).join(", ")})`);
    if (v !== undefined) out[key] = Array.isArray(v) ? v.slice() : v;
  }
  return out;
}

/** Every option has its default's type: number, boolean, or a pair of numbers (others: any). */
export function checkTypes(name: string, group: Record<string, unknown>, defaults: Record<string, unknown>): void {
  for (const [key, d] of Object.entries(defaults)) {
    const v = group[key];
    const ok = typeof d === "number" ? typeof v === "number"
      : typeof d === "boolean" ? typeof v === "boolean"
      : Array.isArray(d) ? Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number") : true;
    if (!ok) {
      const want = typeof d === "number" ? "a number" : typeof d === "boolean" ? "a boolean" : "a pair of numbers";
      throw new TypeError(`${name}: option ${key} must be ${want}, got ${show(v)}`);
    }
  }
}

/** Options shared by the Adam family, checked with PyTorch's messages and order. */
export function checkAdamOptions(name: string, group: ParamGroup, defaults: Record<string, unknown>): void {
  checkTypes(name, group, defaults);
  if (!(group.lr >= 0)) throw new Error(`Invalid learning rate: ${group.lr}`);
  if (!(group.eps >= 0)) throw new Error(`Invalid epsilon value: ${group.eps}`);
  const betas = group.betas as number[];
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new Error(`Invalid beta parameter at index 0: ${betas[0]}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new Error(`Invalid beta parameter at index 1: ${betas[1]}`);
  if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return v === null ? "null" : typeof v === "object" ? "an object" : String(v);
}
