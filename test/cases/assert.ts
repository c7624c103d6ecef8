// Runtime-agnostic assertions for the shared cases (vitest in Node and Chromium, Deno).

export class AssertionError extends Error {}

function fail(msg: string): never {
  throw new AssertionError(msg);
}

/** Element-wise |a − b| ≤ atol + rtol·|b| (b is the expected value), same length. */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  msg: string,
  atol = 1e-5,
  rtol = 1e-4,
): void {
  const a = typeof actual === "number" ? [actual] : actual;
  const b = typeof expected === "number" ? [expected] : expected;
  if (a.length !== b.length) fail(`${msg}: length ${a.length} but expected ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (x === y) continue; // also equal infinities
    if (!Number.isFinite(y)) fail(`${msg}: element ${i} is ${x}, expected ${y}`); // |x − ∞| ≤ ∞ would pass anything
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      fail(`${msg}: element ${i} is ${x}, expected ${y} (|diff| ${Math.abs(x - y)} > ${atol} + ${rtol}·|expected|)`);
    }
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b) || Array.isArray(a) || Array.isArray(b)) {
    const x = a as ArrayLike<unknown>, y = b as ArrayLike<unknown>;
    if (x.length !== y.length || Array.isArray(a) !== Array.isArray(b)) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false;
    return true;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

export function assertEqual(actual: unknown, expected: unknown, msg: string): void {
  if (!deepEqual(actual, expected)) {
    fail(`${msg}: got ${show(actual)}, expected ${show(expected)}`);
  }
}

export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) fail(msg);
}

/** fn must throw an Error whose message matches re. */
export function assertThrows(fn: () => unknown, re: RegExp, msg = "expected an error"): Error {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Error)) fail(`${msg}: threw a non-Error ${String(e)}`);
    if (e instanceof AssertionError) throw e;
    if (!re.test(e.message)) fail(`${msg}: message ${JSON.stringify(e.message)} does not match ${re}`);
    return e;
  }
  fail(`${msg}: nothing was thrown (wanted ${re})`);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Float32Array) : x));
  } catch {
    return String(v);
  }
}
