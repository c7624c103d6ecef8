// Argument checks shared by nn modules, losses and nn.functional: every check runs before
// anything is allocated or changed, and its error names the owner, the argument, the
// value received and the form expected.
import { Tensor } from "../tensor.js";
import { fmt } from "../shape.js";
import { refuseUnknownOptions } from "../unknown_option.js";

/** A short rendering of a received value for messages: `null`, `"abc"`, `a Tensor of shape [2, 3]`. */
export function describe(v: unknown): string {
  if (v instanceof Tensor) return v.isDisposed ? "a disposed Tensor" : `a Tensor of shape ${fmt(v.shape)}`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return "a function";
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) {
    const head = v.slice(0, 6).map((x) => (Array.isArray(x) ? "[…]" : describe(x)));
    return `[${head.join(", ")}${v.length > 6 ? `, … (${v.length} items)` : ""}]`;
  }
  if (v === null || typeof v !== "object") return String(v);
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  const name = Object.getPrototypeOf(v)?.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/** A plain `{ … }` object (not an array, a tensor, a Map or a class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// PyTorch's deprecated loss arguments, in both spellings: refused with the reduction they meant.
const DEPRECATED_REDUCTION = ["reduce", "sizeAverage", "size_average"];

/**
 * The options object of a module, loss or functional call: `undefined` or a plain object
 * whose keys are all in `known`. PyTorch's deprecated `reduce` / `size_average` are refused
 * with the `reduction` value that replaces them.
 */
export function checkOptions<T extends object>(owner: string, options: T | undefined, known: readonly string[]): Partial<T> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    const form = known.length ? `an object like { ${known.join(", ")} }` : "omitted (it takes no options) or {}";
    throw new TypeError(`${owner}: options must be ${form}, got ${describe(options)}`);
  }
  if (known.includes("reduction")) {
    const old = Object.keys(options).find((k) => DEPRECATED_REDUCTION.includes(k));
    if (old !== undefined) {
      throw new TypeError(`${owner}: option ${JSON.stringify(old)} is PyTorch's deprecated form (got ${describe((options as any)[old])}); ` +
        `use reduction: "none" (for reduce: false), "sum" (for size_average: false) or "mean"`);
    }
  }
  refuseUnknownOptions(owner, options, known);
  return options;
}

/** A Tensor argument, live; `expected` describes the form wanted, e.g. "logits of shape [N, C]". */
export function checkTensor(owner: string, name: string, v: unknown, expected: string): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${owner}: ${name} must be a Tensor (${expected}), got ${describe(v)}`);
  if (v.isDisposed) throw new Error(`${owner}: ${name} was disposed; expected a live Tensor (${expected})`);
  return v;
}
