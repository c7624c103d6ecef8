// PyTorch's printed form of a tensor (torch/_tensor_str.py with the default print options:
// precision 4, summarised past 1,000 elements with 3 edge items, line width 80), so that
// `console.log(t)` and `String(t)` look as they do in Python. Numbers are rounded as
// Python's format() rounds them (correctly, ties to even), with exact BigInt arithmetic
// where JavaScript's toFixed would round a tie the other way.

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 80;

/** round-half-even(|x| · 10^k) for finite x, exactly. */
function scaledDigits(x: number, k: number): bigint {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else { mant |= 1n << 52n; e2 = expBits - 1075; }
  // |x| = mant · 2^e2; scaled = mant · 2^e2 · 10^k = num / den
  let num = mant, den = 1n;
  if (e2 >= 0) num <<= BigInt(e2); else den <<= BigInt(-e2);
  if (k >= 0) num *= 10n ** BigInt(k); else den *= 10n ** BigInt(-k);
  const q = num / den, r = num % den;
  const twice = 2n * r;
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return null;
}

/** Python's f"{x:.{p}f}". */
export function formatFixed(x: number, p: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  const digits = scaledDigits(x, p).toString().padStart(p + 1, "0");
  const int = digits.slice(0, digits.length - p);
  return sign(x) + (p > 0 ? `${int}.${digits.slice(digits.length - p)}` : int);
}

/** Python's f"{x:.{p}e}". */
export function formatExp(x: number, p: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  if (x === 0) return `${sign(x)}${(0).toFixed(p)}e+00`;
  let e10 = Math.floor(Math.log10(Math.abs(x)));
  let n = scaledDigits(x, p - e10);
  // log10 can be off by one near powers of ten; rounding can carry to one more digit
  const lo = 10n ** BigInt(p), hi = lo * 10n;
  if (n < lo) { e10--; n = scaledDigits(x, p - e10); }
  if (n >= hi) { e10++; n = scaledDigits(x, p - e10); }
  const d = n.toString();
  const mant = p > 0 ? `${d[0]}.${d.slice(1)}` : d;
  const exp = `${e10 < 0 ? "-" : "+"}${String(Math.abs(e10)).padStart(2, "0")}`;
  return `${sign(x)}${mant}e${exp}`;
}

export type PrintKind = "float" | "int" | "bool";

/** torch._tensor_str._Formatter: one width, fixed/int/scientific chosen from the values. */
class Formatter {
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(private readonly kind: PrintKind, values: ArrayLike<number>) {
    if (kind !== "float") {
      for (let i = 0; i < values.length; i++) this.maxWidth = Math.max(this.maxWidth, this.plain(values[i]).length);
      return;
    }
    const finite: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v) && v !== 0) finite.push(v);
    }
    if (finite.length === 0) return;
    let min = Infinity, max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (v !== Math.ceil(v)) this.intMode = false;
    }
    this.sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
    for (const v of finite) {
      const s = this.sciMode ? formatExp(v, PRECISION) : this.intMode ? formatFixed(v, 0) + "." : formatFixed(v, PRECISION);
      this.maxWidth = Math.max(this.maxWidth, s.length);
    }
  }

  private plain(v: number): string {
    return this.kind === "bool" ? (v ? "True" : "False") : String(v);
  }

  format(v: number): string {
    let s: string;
    if (this.kind !== "float") s = this.plain(v);
    else if (this.sciMode) s = formatExp(v, PRECISION);
    else if (this.intMode) s = formatFixed(v, 0) + (Number.isFinite(v) ? "." : "");
    else s = formatFixed(v, PRECISION);
    return s.length < this.maxWidth ? " ".repeat(this.maxWidth - s.length) + s : s;
  }
}

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

/** Indices kept along a dim of size n: all, or the first and last EDGE when summarising. */
function kept(n: number, summarize: boolean): number[] | null {
  if (!summarize || n <= 2 * EDGE) return null;
  return [0, 1, 2, n - 3, n - 2, n - 1];
}

/** The values a summarised print shows (get_summarized_data), for the formatter. */
function summarizedValues(values: ArrayLike<number>, shape: readonly number[], st: number[], summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (d: number, off: number): void => {
    if (d === shape.length) { out.push(values[off]); return; }
    const ks = kept(shape[d], summarize);
    if (ks === null) for (let i = 0; i < shape[d]; i++) walk(d + 1, off + i * st[d]);
    else for (const i of ks) walk(d + 1, off + i * st[d]);
  };
  walk(0, 0);
  return out;
}

function body(values: ArrayLike<number>, shape: readonly number[], st: number[], d: number, off: number,
  indent: number, summarize: boolean, f: Formatter): string {
  const n = shape[d];
  const dims = shape.length - d;
  const ks = kept(n, summarize);
  if (dims === 1) {
    const elemLen = f.maxWidth + 2;
    const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / elemLen));
    const data: string[] = [];
    if (ks === null) for (let i = 0; i < n; i++) data.push(f.format(values[off + i * st[d]]));
    else {
      for (const i of ks.slice(0, EDGE)) data.push(f.format(values[off + i * st[d]]));
      data.push(" ...");
      for (const i of ks.slice(EDGE)) data.push(f.format(values[off + i * st[d]]));
    }
    const lines: string[] = [];
    for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
    return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
  }
  const slices: string[] = [];
  const sub = (i: number): string => body(values, shape, st, d + 1, off + i * st[d], indent + 1, summarize, f);
  if (ks === null) for (let i = 0; i < n; i++) slices.push(sub(i));
  else {
    for (const i of ks.slice(0, EDGE)) slices.push(sub(i));
    slices.push("...");
    for (const i of ks.slice(EDGE)) slices.push(sub(i));
  }
  return "[" + slices.join("," + "\n".repeat(dims - 1) + " ".repeat(indent + 1)) + "]";
}

/**
 * `tensor([...], suffix)` as PyTorch prints it. `suffix` is e.g. `requiresGrad=true`;
 * `dtype` is added for non-float tensors, as PyTorch adds it for non-default dtypes.
 */
export function formatTensor(shape: readonly number[], values: ArrayLike<number>, suffix = "",
  kind: PrintKind = "float", dtypeName?: string): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  let text: string;
  const numel = values.length;
  if (numel === 0) {
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(", ")}${shape.length === 1 ? "," : ""})`); // a Python tuple
    if (dtypeName !== undefined) suffixes.push(`dtype=${dtypeName}`);
    text = "[]";
  } else {
    // PyTorch omits the dtype for its defaults (float32, int64, bool): torchlet's int32 is
    // its int64, so none is shown either
    const summarize = numel > THRESHOLD;
    const st = strides(shape);
    const f = new Formatter(kind, summarize ? summarizedValues(values, shape, st, true) : values);
    text = shape.length === 0 ? f.format(values[0]) : body(values, shape, st, 0, 0, indent, summarize, f);
  }
  if (suffix) suffixes.push(suffix);
  // _add_suffixes: a suffix that would pass the line width goes on a new line
  let out = prefix + text;
  let lastLen = out.length - out.lastIndexOf("\n") + 1;
  for (const s of suffixes) {
    if (lastLen + s.length + 2 > LINE_WIDTH) { out += ",\n" + " ".repeat(indent) + s; lastLen = indent + s.length; }
    else { out += ", " + s; lastLen += s.length + 2; }
  }
  return out + ")";
}
