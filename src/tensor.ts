// Tensor handles: a dtype, a shape and strides over storage in wasm linear memory (views
// share storage), plus autograd state. Methods delegate to ops/; the op families in
// ops/ that came later install their methods on the prototype themselves (see methods.ts).
import { F32, I32, U8 } from "./runtime/memory.js";
import { K } from "./runtime/wasm.js";
import { pin, release, track } from "./runtime/lifetime.js";
import { clock, restore, type Storage } from "./runtime/storage.js";
import { type GradNode, isGradEnabled, runBackward } from "./autograd.js";
import { formatTensor } from "./format.js";
import { checkShape, fmt, numelOf, sameShape, stridesOf, type Shape } from "./shape.js";
import { type DType, checkDType, itemSize } from "./dtype.js";
import { refuseUnknownOptions } from "./unknown_option.js";
import * as ew from "./ops/elementwise.js";
import * as lay from "./ops/layout.js";
import * as red from "./ops/reduce.js";
import * as mm from "./ops/matmul.js";
import * as sh from "./ops/views.js";
import { Bin, Un } from "./ops/codes.js";

export type Operand = Tensor | number;
export type NestedArray = number | boolean | NestedArray[];
/** What toArray() returns: Float32Array (float32), Int32Array (int32), Uint8Array (bool). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

export class Tensor {
  /** @internal */ _storage: Storage | null;
  /** @internal */ _released: string | null = null;
  /** @internal */ _kept = false;
  /** @internal */ _owned = false;
  /** @internal autograd: this tensor's grad_fn (null for leaves) */
  _node: GradNode | null = null;
  /** @internal autograd: last backward() walk that reached this leaf */
  _visit = 0;
  /** @internal autograd: grad gathered for this leaf so far in the walk */
  _pending: Tensor | null = null;
  /** @internal */ _leaf = true;
  /** @internal */ _grad: Tensor | null = null;
  /** @internal made by backward(): freed when dropped, unless the program read it */
  _gradOwned = false;
  /** @internal the program read .grad, so it may hold it */
  _gradSeen = false;
  /** @internal */ _requiresGrad = false;
  /** @internal autograd: the tensor this one is a view of (the root), or null */
  _base: Tensor | null = null;
  /** @internal autograd: the storage version when _node was set (a newer one means the view's node is stale) */
  _nodeVersion = 0;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** @internal strides in elements */ readonly _strides: readonly number[];
  /** @internal offset of the first element in the storage, in elements */ readonly _offset: number;
  /** @internal */ readonly _size: number;
  /** @internal row-major with no gaps (kernels read it as a flat array from _ptr) */ readonly _contiguous: boolean;

  /** @internal Wraps `storage` (taking a reference). Use torch.tensor()/zeros()/… instead. */
  constructor(storage: Storage, shape: Shape, dtype: DType = "float32", strides?: readonly number[], offset = 0) {
    this._storage = storage;
    this.dtype = dtype;
    this.shape = Object.freeze(shape.slice());
    this._size = numelOf(shape);
    const rowMajor = stridesOf(shape);
    this._strides = strides === undefined ? rowMajor : strides.slice();
    this._offset = offset;
    let contiguous = true;
    if (strides !== undefined) {
      for (let i = 0; i < shape.length; i++) if (shape[i] !== 1 && strides[i] !== rowMajor[i]) { contiguous = false; break; }
    }
    this._contiguous = contiguous;
    track(this, storage);
  }

  /**
   * @internal The byte pointer of the storage in wasm memory, brought back if it was
   * evicted; throws if the tensor was disposed. Read it inside the kernel call.
   */
  get _ptr(): number {
    const s = this._storage;
    if (s === null) throw releasedError(this);
    s.lastUse = clock;
    return (s.ptr !== 0 ? s.ptr : restore(s)) + this._offset * (this.dtype === "bool" ? 1 : 4);
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(on: boolean) {
    if (on && this.dtype !== "float32") {
      throw new Error(`requiresGrad: only Tensors of floating point dtype can require gradients (this one is ${this.dtype})`);
    }
    if (!on && !this._leaf) {
      throw new Error("requiresGrad: you can only change requiresGrad of leaf tensors; use detach() for a non-leaf");
    }
    this._requiresGrad = on;
  }

  get isLeaf(): boolean {
    return this._leaf;
  }

  get grad(): Tensor | null {
    this._gradSeen = true;
    return this._grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new Error(`grad: expected a Tensor or null, got ${typeof g}`);
      if (!sameShape(g.shape, this.shape)) {
        throw new Error(`grad: assigned grad has shape ${fmt(g.shape)} but the tensor has shape ${fmt(this.shape)}`);
      }
      if (g.dtype !== "float32") throw new Error(`grad: assigned grad has dtype ${g.dtype}; it must be float32`);
      if (!g._contiguous) throw new Error("grad: assigned grad is a non-contiguous view; assign g.contiguous()");
      if (g._storage === null) g._ptr; // a disposed grad fails here, before anything changes
      if (g === this._grad) return;
    }
    this._dropGrad();
    this._grad = g;
    this._gradOwned = false;
  }

  /**
   * @internal Drops the current grad. One that backward() made and the program never read
   * is freed now (nothing else can hold it); any other is only dropped.
   */
  _dropGrad(): void {
    const old = this._grad;
    if (old === null) return;
    this._grad = null;
    if (this._gradOwned && !this._gradSeen) release(old, "freed by zeroGrad()");
    this._gradOwned = false;
    this._gradSeen = false;
  }

  numel(): number {
    return this._size;
  }

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  /** The shape (`size()`), or the size of one dim (`size(-1)`). */
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape.slice();
    const r = this.shape.length;
    if (!Number.isInteger(dim) || dim < -Math.max(r, 1) || dim >= Math.max(r, 1)) {
      throw new Error(`size(): dim ${dim} is out of range for a tensor of ${r} dimensions (expected ${-Math.max(r, 1)} to ${Math.max(r, 1) - 1})`);
    }
    return r === 0 ? 1 : this.shape[dim < 0 ? dim + r : dim];
  }

  /** Element strides, as PyTorch's `stride()`. */
  stride(dim?: number): number | number[] {
    if (dim === undefined) return this._strides.slice();
    return this._strides[dim < 0 ? dim + this.shape.length : dim];
  }

  isContiguous(): boolean {
    return this._contiguous;
  }

  /**
   * A new typed array holding a copy of the values in row-major order: Float32Array for
   * float32, Int32Array for int32, Uint8Array (0/1) for bool.
   */
  toArray(): TypedArray {
    const s = this._storage;
    const bytes = this._size * itemSize(this.dtype);
    if (s !== null && s.ptr === 0 && s.heap !== null && this._contiguous) {
      // evicted: read the JS copy rather than bring it back into wasm memory
      const start = s.heap.byteOffset + s.heapOff + this._offset * itemSize(this.dtype);
      return wrap(this.dtype, (s.heap.buffer as ArrayBuffer).slice(start, start + bytes));
    }
    if (!this._contiguous) {
      const c = lay.clone(this);
      const out = c.toArray();
      c.dispose();
      return out;
    }
    const p = this._ptr;
    if (this.dtype === "float32") return F32().slice(p >>> 2, (p >>> 2) + this._size);
    if (this.dtype === "int32") return I32().slice(p >>> 2, (p >>> 2) + this._size);
    return U8().slice(p, p + this._size);
  }

  /** The values as nested arrays of numbers (booleans for bool), like PyTorch's tolist(). */
  tolist(): NestedArray {
    const data = this.toArray();
    const bool = this.dtype === "bool";
    const at = (i: number): number | boolean => (bool ? data[i] !== 0 : data[i]);
    if (this.shape.length === 0) return at(0);
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const n = this.shape[d];
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = d === this.shape.length - 1 ? at(pos++) : build(d + 1);
      return out;
    };
    return build(0);
  }

  /** The value of a one-element tensor (1 or 0 for bool). */
  item(): number {
    if (this._storage === null) this._ptr; // the "disposed" error first
    if (this._size !== 1) {
      throw new Error(`item(): a Tensor with ${this._size} elements cannot be converted to a number (shape ${fmt(this.shape)})`);
    }
    const p = this._ptr;
    if (this.dtype === "float32") return F32()[p >>> 2];
    if (this.dtype === "int32") return I32()[p >>> 2];
    return U8()[p];
  }

  /**
   * Frees the storage now (storage shared with views goes when the last of them does).
   * Using the tensor afterwards throws.
   */
  dispose(): void {
    release(this, "disposed with dispose()");
  }

  /** Pins the storage in wasm memory (never evicted) and exempts it from tidy(). */
  keep(): this {
    if (this._storage === null) this._ptr; // throws the "disposed" error
    pin(this);
    return this;
  }

  get isDisposed(): boolean {
    return this._storage === null;
  }

  /** A copy with its own storage (differentiable, as PyTorch's clone). */
  clone(): Tensor {
    return ew.cloneOp(this);
  }

  /** A tensor sharing this one's storage (and version counter), outside the graph. */
  detach(): Tensor {
    if (this._storage === null) this._ptr;
    return new Tensor(this._storage!, this.shape, this.dtype, this._strides, this._offset);
  }

  /** A copy converted to `dtype` (this tensor itself if it already has it), as PyTorch's `to(dtype)`. */
  to(dtype: DType): Tensor {
    return ew.toDtype(this, checkDType(dtype, "to()"));
  }

  float(): Tensor { return this.to("float32"); }
  int(): Tensor { return this.to("int32"); }
  bool(): Tensor { return this.to("bool"); }

  backward(gradient?: Tensor): void {
    if (!this._requiresGrad) {
      throw new Error("backward(): the tensor does not require grad and has no grad_fn");
    }
    let seed: Tensor;
    if (gradient === undefined) {
      if (this._size !== 1) {
        throw new Error(`backward(): grad can be implicitly created only for scalar outputs; ` +
          `this tensor has shape ${fmt(this.shape)}: pass a gradient of that shape`);
      }
      seed = ew.fill(this.shape, 1);
    } else {
      if (!(gradient instanceof Tensor)) throw new Error("backward(gradient): gradient must be a Tensor");
      if (!sameShape(gradient.shape, this.shape)) {
        throw new Error(`backward(gradient): gradient has shape ${fmt(gradient.shape)} but the output has shape ${fmt(this.shape)}`);
      }
      seed = ew.clone(gradient);
    }
    runBackward(this, seed);
  }

  /**
   * @internal A new contiguous tensor holding `values` (as the dtype stores them: int32
   * truncates toward zero, bool is value ≠ 0), of `shape`.
   */
  static fromValues(values: ArrayLike<number | boolean>, shape: Shape, dtype: DType = "float32"): Tensor {
    const t = lay.empty(shape, dtype);
    if (t._size === 0) return t;
    const p = t._ptr; // before the view: see storage_access.ts on pointers
    if (dtype === "float32") F32().set(values as ArrayLike<number>, p >>> 2);
    else if (dtype === "int32") {
      const v = I32();
      for (let i = 0; i < t._size; i++) v[(p >>> 2) + i] = Math.trunc(Number(values[i]));
    } else {
      const v = U8();
      for (let i = 0; i < t._size; i++) v[p + i] = values[i] ? 1 : 0;
    }
    return t;
  }

  /** @internal Engine: adds `g` (owned by the engine) into this leaf's .grad. */
  _accumulateGrad(g: Tensor): void {
    if (this._grad === null) {
      const own = g._storage!.refs > 1 || !g._contiguous ? lay.clone(g) : g;
      if (own !== g) g.dispose();
      own._owned = true;
      this._grad = own;
      this._gradOwned = true;
      this._gradSeen = false;
    } else {
      const cur = this._grad;
      K.binaryFlat(Bin.ADD, cur._ptr, g._ptr, cur._ptr, cur._size);
      cur._bumpVersion();
      g.dispose();
    }
  }

  /** @internal */
  _bumpVersion(): void {
    this._storage!.version++;
  }

  /** @internal */
  _zeroInPlace(): void {
    K.unary(Un.FILL, this._ptr, this._ptr, this._size, 0);
    this._bumpVersion();
  }

  /** @internal Engine: this + g for two engine-owned grads; writes in place when the storage is ours alone. */
  _accumulateInto(g: Tensor): Tensor {
    if (this._storage!.refs === 1 && this._contiguous && g._contiguous) {
      K.binaryFlat(Bin.ADD, this._ptr, g._ptr, this._ptr, this._size);
      g.dispose();
      return this;
    }
    const sum = ew.binaryRaw(Bin.ADD, this, g, this.shape);
    this.dispose();
    g.dispose();
    return sum;
  }

  // ---- element-wise -------------------------------------------------------------------
  add(other: Operand): Tensor { return ew.binary(Bin.ADD, this, other, "add"); }
  sub(other: Operand): Tensor { return ew.binary(Bin.SUB, this, other, "sub"); }
  mul(other: Operand): Tensor { return ew.binary(Bin.MUL, this, other, "mul"); }
  div(other: Operand): Tensor { return ew.binary(Bin.DIV, this, other, "div"); }
  neg(): Tensor { return ew.unary(Un.NEG, this, 0); }
  exp(): Tensor { return ew.unary(Un.EXP, this, 0); }
  log(): Tensor { return ew.unary(Un.LOG, this, 0); }
  sqrt(): Tensor { return ew.unary(Un.SQRT, this, 0); }
  abs(): Tensor { return ew.unary(Un.ABS, this, 0); }
  relu(): Tensor { return ew.unary(Un.RELU, this, 0); }
  sigmoid(): Tensor { return ew.unary(Un.SIGMOID, this, 0); }
  tanh(): Tensor { return ew.unary(Un.TANH, this, 0); }

  // ---- reductions, products, shapes -------------------------------------------------
  /** The sum over every dim, one dim or a list of dims (int32 and bool give int32). */
  sum(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor { return red.sum(this, dim, keepdim, false); }
  /** The mean over every dim, one dim or a list of dims (float32 only, as PyTorch). */
  mean(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor { return red.sum(this, dim, keepdim, true); }
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }

  // ---- views (no copy) and layout ---------------------------------------------------------
  /** A view with another shape (one dim may be -1); throws if the layout does not allow one (use reshape). */
  view(...shape: (number | readonly number[])[]): Tensor { return sh.view(this, flattenShapeArgs(shape, "view")); }
  /** Another shape: a view when the layout allows, else a copy. */
  reshape(...shape: (number | readonly number[])[]): Tensor { return sh.reshape(this, flattenShapeArgs(shape, "reshape")); }
  t(): Tensor { return sh.t(this); }
  transpose(dim0: number, dim1: number): Tensor { return sh.transpose(this, dim0, dim1); }
  permute(...dims: (number | readonly number[])[]): Tensor { return sh.permute(this, flattenShapeArgs(dims, "permute")); }
  expand(...shape: (number | readonly number[])[]): Tensor { return sh.expand(this, flattenShapeArgs(shape, "expand")); }
  expandAs(other: Tensor): Tensor { return sh.expand(this, other.shape); }
  unsqueeze(dim: number): Tensor { return sh.unsqueeze(this, dim); }
  squeeze(dim?: number | readonly number[]): Tensor { return sh.squeeze(this, dim); }
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  narrow(dim: number, start: number, length: number): Tensor { return sh.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return sh.select(this, dim, index); }
  /** This tensor if contiguous, else a contiguous copy. */
  contiguous(): Tensor { return sh.contiguous(this); }

  // ---- in place -----------------------------------------------------------------------
  copy_(src: Tensor | ArrayLike<number>): this { ew.copyInPlace(this, src); return this; }
  zero_(): this { ew.fillInPlace(this, 0, "zero_"); return this; }
  fill_(value: number): this { ew.fillInPlace(this, value, "fill_"); return this; }
  add_(other: Operand, alpha?: number | { alpha?: number }): this {
    const a = typeof alpha === "object" && alpha !== null ? alpha.alpha ?? 1 : alpha ?? 1;
    ew.binaryInPlace(Bin.ADD, this, other, a, "add_");
    return this;
  }
  sub_(other: Operand, alpha?: number | { alpha?: number }): this {
    const a = typeof alpha === "object" && alpha !== null ? alpha.alpha ?? 1 : alpha ?? 1;
    ew.binaryInPlace(Bin.ADD, this, other, -a, "sub_");
    return this;
  }
  mul_(other: Operand): this { ew.binaryInPlace(Bin.MUL, this, other, 1, "mul_"); return this; }
  div_(other: Operand): this { ew.binaryInPlace(Bin.DIV, this, other, 1, "div_"); return this; }

  /** PyTorch's printed form, summarised past 1,000 elements: `tensor([1.0000, 2.5000], requiresGrad=true)`. */
  toString(): string {
    if (this._storage === null) return `tensor(<${this._released}>)`;
    const suffix = this._node !== null ? `gradFn=<${this._node.name}>` : this._requiresGrad ? "requiresGrad=true" : "";
    const kind = this.dtype === "float32" ? "float" : this.dtype === "int32" ? "int" : "bool";
    return formatTensor(this.shape, this.toArray(), suffix, kind, this.dtype === "float32" ? undefined : this.dtype);
  }

  /** `JSON.stringify(t)`: `{ dtype, shape, values }`, which `loadStateDict` reads back. */
  toJSON(): { dtype: DType; shape: number[]; values: number[] } {
    return { dtype: this.dtype, shape: this.shape.slice(), values: Array.from(this.toArray()) };
  }
}

/** A typed array of the dtype over a copied buffer. */
function wrap(dtype: DType, buf: ArrayBuffer): TypedArray {
  return dtype === "float32" ? new Float32Array(buf) : dtype === "int32" ? new Int32Array(buf) : new Uint8Array(buf);
}

// `using t = …` frees the tensor at the end of the block, where the runtime has Symbol.dispose.
const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
if (disposeSymbol !== undefined) (Tensor.prototype as any)[disposeSymbol] = function (this: Tensor) { this.dispose(); };

// console.log in Node and Deno print the PyTorch form, not the object's fields.
(Tensor.prototype as any)[Symbol.for("nodejs.util.inspect.custom")] = function (this: Tensor) { return this.toString(); };
(Tensor.prototype as any)[Symbol.for("Deno.customInspect")] = function (this: Tensor) { return this.toString(); };

function flattenShapeArgs(args: (number | readonly number[])[], op: string): number[] {
  const dims = args.length === 1 && Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args as number[]);
  for (const d of dims) {
    if (typeof d !== "number" || !Number.isInteger(d)) throw new TypeError(`${op}: sizes must be integers, got ${JSON.stringify(args)}`);
  }
  return dims;
}

function releasedError(t: Tensor): Error {
  return new Error(`This tensor (shape ${fmt(t.shape)}) was ${t._released}; its storage is gone. ` +
    "Read values you need with .item() or .toArray() while it is live, or call .keep() on it " +
    "(or return it from tidy()/noGrad()) to keep it.");
}

// ---- creation ---------------------------------------------------------------------------

export interface CreateOptions {
  /** "float32" (default), "int32" or "bool". */
  dtype?: DType;
  /** Record operations on this tensor for autograd (float32 only). */
  requiresGrad?: boolean;
}

export interface TensorOptions extends CreateOptions {
  /** The shape of flat data (a typed array or a flat number array). */
  shape?: readonly number[];
}

/**
 * Checks an options object: known keys only, a dtype (`dtypeDefault` when none is given),
 * requiresGrad only on float32.
 */
export function createOptions(opts: unknown, where: string, known: readonly string[] = ["dtype", "requiresGrad"],
  dtypeDefault: DType = "float32"): { dtype: DType; requiresGrad: boolean } {
  if (opts === undefined || opts === null) return { dtype: dtypeDefault, requiresGrad: false };
  if (typeof opts !== "object" || Array.isArray(opts)) throw new TypeError(`${where}: options must be an object, got ${Array.isArray(opts) ? "an array" : typeof opts}`);
  refuseUnknownOptions(where, opts, known);
  const o = opts as CreateOptions;
  const dtype = o.dtype === undefined ? dtypeDefault : checkDType(o.dtype, where);
  if (o.requiresGrad !== undefined && typeof o.requiresGrad !== "boolean") {
    throw new TypeError(`${where}: requiresGrad must be a boolean, got ${String(o.requiresGrad)}`);
  }
  const requiresGrad = o.requiresGrad === true;
  if (requiresGrad && dtype !== "float32") {
    throw new Error(`${where}: only Tensors of floating point dtype can require gradients (dtype ${dtype} with requiresGrad: true)`);
  }
  return { dtype, requiresGrad };
}

function finish(t: Tensor, requiresGrad: boolean): Tensor {
  if (requiresGrad) t._requiresGrad = true;
  return t;
}

/** Infers the shape of a nested array of numbers or booleans, rejecting ragged or non-numeric data. */
function nestedShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  const check = (v: NestedArray, d: number, path: number[]): void => {
    if (d === shape.length) {
      if (typeof v !== "number" && typeof v !== "boolean") {
        throw new TypeError(`tensor(): element at [${path.join("][")}] is ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}; ` +
          "elements must be numbers or booleans (a ragged nested array?)");
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      const got = Array.isArray(v) ? `length ${v.length}` : `a ${typeof v}`;
      throw new Error(`tensor(): ragged nested array: expected an array of length ${shape[d]} at ` +
        `[${path.join("][")}] (depth ${d}) but found ${got}`);
    }
    for (let i = 0; i < v.length; i++) check(v[i], d + 1, [...path, i]);
  };
  check(data, 0, []);
  return shape;
}

/**
 * A tensor from a number, a boolean, a nested array, or a typed array (flat, with `shape`
 * for more than one dim). The dtype is float32 unless given (bool when the data are all
 * booleans).
 *
 * ```ts
 * torch.tensor([[1, 2], [3, 4]]);
 * torch.tensor([0, 2, 1], { dtype: "int32" });
 * torch.tensor(new Float32Array(6), { shape: [2, 3], requiresGrad: true });
 * ```
 */
export function tensor(data: NestedArray | ArrayLike<number>, opts?: TensorOptions): Tensor {
  const { dtype: given, requiresGrad } = createOptions(opts, "tensor()", ["dtype", "requiresGrad", "shape"]);
  let shape: number[];
  let flat: ArrayLike<number | boolean>;
  if (typeof data === "number" || typeof data === "boolean") {
    shape = [];
    flat = [data];
  } else if (Array.isArray(data)) {
    shape = nestedShape(data as NestedArray);
    flat = shape.length <= 1 ? (data as number[]) : ((data as unknown[]).flat(Infinity as 1) as number[]);
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      throw new TypeError("tensor(): a BigInt64Array is not supported; convert it to an Int32Array or a Float32Array");
    }
    flat = data as unknown as ArrayLike<number>;
    shape = [flat.length];
  } else {
    throw new TypeError(`tensor(): data must be a number, a nested array of numbers or a typed array, got ` +
      `${data === null ? "null" : typeof data === "object" ? (Object.getPrototypeOf(data)?.constructor?.name ?? "an object") : typeof data}`);
  }
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`tensor(): element ${i} is ${typeof v}, not a number`);
  }
  const allBool = flat.length > 0 && Array.from({ length: flat.length }, (_, i) => typeof flat[i] === "boolean").every(Boolean);
  const dtype = opts?.dtype === undefined && allBool ? "bool" : given;
  if (opts?.shape !== undefined) {
    const want = checkShape(opts.shape, "tensor()");
    if (numelOf(want) !== flat.length) {
      throw new Error(`tensor(): data has ${flat.length} elements but shape ${fmt(want)} needs ${numelOf(want)}`);
    }
    shape = want;
  }
  if (dtype === "int32") {
    for (let i = 0; i < flat.length; i++) {
      const v = Number(flat[i]);
      if (!Number.isFinite(v)) throw new Error(`tensor(): element ${i} is ${v}, which an int32 tensor cannot hold`);
    }
  }
  return finish(Tensor.fromValues(flat, shape, dtype), requiresGrad);
}

function filled(where: string, shape: unknown, value: number, opts: unknown): Tensor {
  const { dtype, requiresGrad } = createOptions(opts, where);
  return finish(lay.fill(checkShape(shape, where), value, dtype), requiresGrad);
}

export function zeros(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled("zeros()", shape, 0, opts);
}

export function ones(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled("ones()", shape, 1, opts);
}

export function full(shape: readonly number[], value: number, opts?: CreateOptions): Tensor {
  if (typeof value !== "number" && typeof value !== "boolean") throw new TypeError(`full(): fill_value must be a number, got ${typeof value}`);
  return filled("full()", shape, Number(value), opts);
}

/** A tensor of t's shape filled with `value`; the dtype defaults to t's. */
function filledLike(where: string, t: unknown, value: unknown, opts: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${t === null ? "null" : typeof t}`);
  if (typeof value !== "number" && typeof value !== "boolean") throw new TypeError(`${where}: fill_value must be a number, got ${typeof value}`);
  const { dtype, requiresGrad } = createOptions(opts, where, undefined, t.dtype);
  return finish(lay.fill(t.shape, Number(value), dtype), requiresGrad);
}

export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filledLike("zerosLike()", t, 0, opts);
}

export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filledLike("onesLike()", t, 1, opts);
}

export function fullLike(t: Tensor, value: number | boolean, opts?: CreateOptions): Tensor {
  return filledLike("fullLike()", t, value, opts);
}

/** An uninitialised tensor of t's shape (torchlet fills it with zeros: wasm memory is reused). */
export function emptyLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filledLike("emptyLike()", t, 0, opts);
}

export { isGradEnabled };
