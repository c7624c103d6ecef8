// The values of an optimizer's state dict, on the way out (stateDict: plain data that
// structuredClone and JSON both carry exactly) and on the way in (loadStateDict: every value
// checked against the form it must have, with a message naming where it is, what it is and
// what was expected).
import { Tensor } from "../tensor.js";
import { show } from "./options.js";

/** Non-finite values and −0, which JSON numbers cannot carry, as the strings JSON gets for them. */
const SPECIAL = new Map<string, number>([["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["-0", -0]]);

/**
 * A state buffer in a state dict: a Float32Array whose JSON form is an array of numbers
 * (NaN, ±Infinity and −0 as the strings "NaN", "Infinity", "-Infinity", "-0"), so that
 * `JSON.parse(JSON.stringify(sd))` loads and continues bit for bit. structuredClone makes it
 * a plain Float32Array, which loads the same.
 */
export class StateBuffer extends Float32Array {
  toJSON(): (number | string)[] {
    const out = new Array<number | string>(this.length);
    for (let i = 0; i < this.length; i++) {
      const v = this[i];
      out[i] = Number.isFinite(v) && !Object.is(v, -0) ? v : String(Object.is(v, -0) ? "-0" : v);
    }
    return out;
  }
}

/** A copy of a tensor's values or an array's, as a StateBuffer. */
export function stateBuffer(values: Tensor | ArrayLike<number>): StateBuffer {
  return StateBuffer.from(values instanceof Tensor ? values.toArray() : values) as StateBuffer;
}

/** An object literal's kind of object (what JSON.parse and structuredClone make), not a Map, array or class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What a value is, for a message: `a Float64Array of 5 values`, `"2" (a string)`, `undefined`. */
export function describe(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "string") return `${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)} (a string)`;
  if (Array.isArray(v)) return `an array of ${v.length} values`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    return keys.length === 0 ? "an empty object" : `an object with keys ${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""}`;
  }
  if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && !(v instanceof Tensor)) {
    return `a ${v.constructor?.name ?? "non-plain object"}`;
  }
  return show(v);
}

/** Where in a state dict a value is, for messages: `state[0].expAvg`. */
export type Where = string;

export class StateDictError extends Error {}

function refuse(where: Where, value: unknown, expected: string): never {
  throw new StateDictError(`${where} must be ${expected}; got ${describe(value)}`);
}

/** A whole number ≥ 0 (a step count). */
export function readCount(v: unknown, where: Where): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) refuse(where, v, "a whole number ≥ 0");
  return v;
}

/** A finite number (a float32 scalar PyTorch keeps in a 0-d tensor). */
export function readFloat(v: unknown, where: Where): number {
  if (typeof v !== "number" || !Number.isFinite(v)) refuse(where, v, "a finite number");
  return v;
}

/** One element of a buffer given as an array: a number, or one of the strings StateBuffer writes. */
function element(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return SPECIAL.get(v);
  return undefined;
}

/**
 * A buffer of exactly `length` float32 values: a Float32Array, an array of numbers (and of
 * the strings "NaN", "Infinity", "-Infinity", "-0", as StateBuffer's JSON form has them), a
 * live Tensor, or the object JSON makes of a plain Float32Array ({"0": …, "1": …}) when it is
 * complete and holds only numbers. Returns a copy.
 */
export function readBuffer(v: unknown, length: number, where: Where, size: string): Float32Array {
  const expected = `a Float32Array, an array of numbers or a Tensor of ${size}`;
  if (v instanceof Float32Array) {
    if (v.length !== length) refuse(where, v, expected);
    return v.slice();
  }
  if (v instanceof Tensor) {
    if (v.isDisposed || v.numel() !== length || v.dtype !== "float32") refuse(where, v, expected);
    return v.toArray() as Float32Array;
  }
  if (Array.isArray(v)) {
    if (v.length !== length) refuse(where, v, expected);
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const x = element(v[i]);
      if (x === undefined) {
        throw new StateDictError(`${where}[${i}] must be a number (or "NaN", "Infinity", "-Infinity", "-0"); got ` +
          `${describe(v[i])}${v[i] === null ? " (JSON writes NaN and ±Infinity of a plain array as null: save with stateDict())" : ""}`);
      }
      out[i] = x;
    }
    return out;
  }
  if (isPlainObject(v)) {
    // JSON.stringify of a plain Float32Array: {"0": x0, "1": x1, …}
    const keys = Object.keys(v);
    if (keys.length !== length) refuse(where, v, `${expected} (or the object JSON makes of a Float32Array, with keys "0" to "${length - 1}")`);
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const x = v[String(i)];
      if (typeof x !== "number") {
        throw new StateDictError(`${where}["${i}"] must be a number; got ${describe(x)}` +
          (x === null ? " (JSON writes NaN and ±Infinity as null, so this buffer cannot be restored bit for bit)" : ""));
      }
      out[i] = x;
    }
    return out;
  }
  refuse(where, v, expected);
}

/** An array of items read by `read`. */
export function readList<T>(v: unknown, where: Where, what: string, read: (x: unknown, where: Where) => T): T[] {
  if (!Array.isArray(v)) refuse(where, v, `an array of ${what}`);
  return v.map((x, i) => read(x, `${where}[${i}]`));
}
