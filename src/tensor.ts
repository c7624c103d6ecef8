// Tensor handles: a shape over float32 storage in wasm linear memory, plus autograd state.
import { F32 } from "./runtime/memory.js";
import { K } from "./runtime/wasm.js";
import { pin, release, track, type Handle } from "./runtime/lifetime.js";
import { clock, restore, type Storage } from "./runtime/storage.js";
import { type GradNode, isGradEnabled, runBackward } from "./autograd.js";
import { formatTensor } from "./format.js";
import { checkShape, fmt, numelOf, sameShape, type Shape } from "./shape.js";
import * as ew from "./ops/elementwise.js";
import * as red from "./ops/reduce.js";
import * as mm from "./ops/matmul.js";
import * as sh from "./ops/shape_ops.js";
import { Bin, Un } from "./ops/codes.js";

export type Operand = Tensor | number;
export type NestedArray = number | NestedArray[];

export class Tensor implements Handle {
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
  readonly shape: readonly number[];
  /** @internal */ readonly _size: number;

  /** Internal: wraps `storage` (taking a reference). Use torch.tensor()/zeros()/… instead. */
  constructor(storage: Storage, shape: Shape) {
    this._storage = storage;
    this.shape = Object.freeze(shape.slice());
    this._size = numelOf(shape);
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
    return s.ptr !== 0 ? s.ptr : restore(s);
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(on: boolean) {
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

  /** A new Float32Array holding a copy of the values. */
  toArray(): Float32Array {
    const s = this._storage;
    if (s !== null && s.ptr === 0 && s.heap !== null) {
      // evicted: read the JS copy rather than bring it back into wasm memory
      const start = s.heap.byteOffset + s.heapOff;
      return new Float32Array(s.heap.buffer.slice(start, start + this._size * 4));
    }
    const p = this._ptr >>> 2;
    return F32().slice(p, p + this._size);
  }

  tolist(): NestedArray {
    const data = this.toArray();
    if (this.shape.length === 0) return data[0];
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const n = this.shape[d];
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = d === this.shape.length - 1 ? data[pos++] : build(d + 1);
      return out;
    };
    return build(0);
  }

  item(): number {
    if (this._storage === null) this._ptr; // the "disposed" error first
    if (this._size !== 1) {
      throw new Error(`item(): a Tensor with ${this._size} elements cannot be converted to a number (shape ${fmt(this.shape)})`);
    }
    const p = this._ptr;
    return F32()[p >>> 2];
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
    return new Tensor(this._storage!, this.shape);
  }

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

  /** @internal Engine: adds `g` (owned by the engine) into this leaf's .grad. */
  _accumulateGrad(g: Tensor): void {
    if (this._grad === null) {
      const own = g._storage!.refs > 1 ? ew.clone(g) : g;
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
    if (this._storage!.refs === 1) {
      K.binaryFlat(Bin.ADD, this._ptr, g._ptr, this._ptr, this._size);
      g.dispose();
      return this;
    }
    const sum = ew.empty(this.shape);
    K.binaryFlat(Bin.ADD, this._ptr, g._ptr, sum._ptr, this._size);
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
  pow(exponent: number): Tensor {
    if (typeof exponent !== "number") throw new Error(`pow: exponent must be a number, got ${typeof exponent}`);
    return ew.unary(Un.POW, this, exponent);
  }
  exp(): Tensor { return ew.unary(Un.EXP, this, 0); }
  log(): Tensor { return ew.unary(Un.LOG, this, 0); }
  sqrt(): Tensor { return ew.unary(Un.SQRT, this, 0); }
  abs(): Tensor { return ew.unary(Un.ABS, this, 0); }
  relu(): Tensor { return ew.unary(Un.RELU, this, 0); }
  sigmoid(): Tensor { return ew.unary(Un.SIGMOID, this, 0); }
  tanh(): Tensor { return ew.unary(Un.TANH, this, 0); }

  // ---- reductions, products, shapes -------------------------------------------------
  sum(dim?: number, keepdim = false): Tensor { return red.sum(this, dim, keepdim, false); }
  mean(dim?: number, keepdim = false): Tensor { return red.sum(this, dim, keepdim, true); }
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }
  reshape(...shape: (number | readonly number[])[]): Tensor { return sh.reshape(this, flattenShapeArgs(shape)); }
  view(...shape: (number | readonly number[])[]): Tensor { return sh.reshape(this, flattenShapeArgs(shape)); }
  t(): Tensor { return sh.t(this); }
  transpose(dim0: number, dim1: number): Tensor { return sh.transpose(this, dim0, dim1); }

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
    return formatTensor(this.shape, this.toArray(), suffix);
  }

  /** `JSON.stringify(t)`: `{ dtype, shape, values }`, which `loadStateDict` reads back. */
  toJSON(): { dtype: "float32"; shape: number[]; values: number[] } {
    return { dtype: "float32", shape: this.shape.slice(), values: Array.from(this.toArray()) };
  }
}

// `using t = …` frees the tensor at the end of the block, where the runtime has Symbol.dispose.
const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
if (disposeSymbol !== undefined) (Tensor.prototype as any)[disposeSymbol] = function (this: Tensor) { this.dispose(); };

// console.log in Node and Deno print the PyTorch form, not the object's fields.
(Tensor.prototype as any)[Symbol.for("nodejs.util.inspect.custom")] = function (this: Tensor) { return this.toString(); };
(Tensor.prototype as any)[Symbol.for("Deno.customInspect")] = function (this: Tensor) { return this.toString(); };

function flattenShapeArgs(args: (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return (args[0] as number[]).slice();
  return args as number[];
}

function releasedError(t: Tensor): Error {
  return new Error(`This tensor (shape ${fmt(t.shape)}) was ${t._released}; its storage is gone. ` +
    "Read values you need with .item() or .toArray() while it is live, or call .keep() on it " +
    "(or return it from tidy()/noGrad()) to keep it.");
}

// ---- creation ---------------------------------------------------------------------------

export interface CreateOptions {
  requiresGrad?: boolean;
}

export interface TensorOptions extends CreateOptions {
  shape?: readonly number[];
}

function finish(t: Tensor, opts: CreateOptions | undefined): Tensor {
  if (opts?.requiresGrad) t._requiresGrad = true;
  return t;
}

/** Infers the shape of a nested number array, rejecting ragged or non-numeric data. */
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
      if (typeof v !== "number") {
        throw new Error(`tensor(): ragged nested array: element at [${path.join("][")}] is ${Array.isArray(v) ? "an array" : typeof v} but elements at that depth are numbers`);
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

export function tensor(data: NestedArray | ArrayLike<number>, opts?: TensorOptions): Tensor {
  let shape: number[];
  let flat: ArrayLike<number>;
  if (typeof data === "number") {
    shape = [];
    flat = [data];
  } else if (Array.isArray(data)) {
    shape = nestedShape(data as NestedArray);
    flat = shape.length <= 1 ? (data as number[]) : ((data as unknown[]).flat(Infinity as 1) as number[]);
  } else if (data !== null && typeof data === "object" && typeof (data as ArrayLike<number>).length === "number") {
    flat = data as ArrayLike<number>;
    shape = [flat.length];
  } else {
    throw new Error(`tensor(): data must be a number, a nested number array or a Float32Array, got ${data === null ? "null" : typeof data}`);
  }
  if (opts?.shape !== undefined) {
    const want = checkShape(opts.shape, "tensor()");
    if (numelOf(want) !== flat.length) {
      throw new Error(`tensor(): data has ${flat.length} elements but shape ${fmt(want)} needs ${numelOf(want)}`);
    }
    shape = want;
  }
  const t = ew.empty(shape);
  F32().set(flat, t._ptr >>> 2);
  return finish(t, opts);
}

export function zeros(shape: readonly number[], opts?: CreateOptions): Tensor {
  return finish(ew.fill(checkShape(shape, "zeros()"), 0), opts);
}

export function ones(shape: readonly number[], opts?: CreateOptions): Tensor {
  return finish(ew.fill(checkShape(shape, "ones()"), 1), opts);
}

export function full(shape: readonly number[], value: number, opts?: CreateOptions): Tensor {
  if (typeof value !== "number") throw new Error(`full(): value must be a number, got ${typeof value}`);
  return finish(ew.fill(checkShape(shape, "full()"), value), opts);
}

export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return finish(ew.fill(t.shape, 0), opts);
}

export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return finish(ew.fill(t.shape, 1), opts);
}

export { isGradEnabled };
