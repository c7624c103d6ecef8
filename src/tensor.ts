// Tensor handles: a shape over float32 storage in wasm linear memory, plus autograd state.
import { F32 } from "./runtime/memory.js";
import { K } from "./runtime/wasm.js";
import { release, touch, track, type Storage, type Tracked } from "./runtime/lifetime.js";
import { type GradNode, isGradEnabled, runBackward } from "./autograd.js";
import { checkShape, fmt, numelOf, sameShape, type Shape } from "./shape.js";
import * as ew from "./ops/elementwise.js";
import * as red from "./ops/reduce.js";
import * as mm from "./ops/matmul.js";
import * as sh from "./ops/shape_ops.js";
import { Bin, Un } from "./ops/codes.js";

export type Operand = Tensor | number;
export type NestedArray = number | NestedArray[];

export class Tensor implements Tracked {
  _storage: Storage | null;
  _released: string | null = null;
  _kept = false;
  _owned = false;
  _gen = -1;
  _fin = false;
  _node: GradNode | null = null;
  _visit = 0; // autograd: last backward() walk that reached this tensor
  _pending: Tensor | null = null; // autograd: grad gathered so far in the walk
  _leaf = true;
  _grad: Tensor | null = null;
  _gradOwned = false; // made by backward(), so freed when dropped
  _requiresGrad = false;
  readonly shape: readonly number[];
  readonly _size: number;

  /** Internal: wraps `storage` (taking a reference). Use torch.tensor()/zeros()/… instead. */
  constructor(storage: Storage, shape: Shape) {
    this._storage = storage;
    this.shape = Object.freeze(shape.slice());
    this._size = numelOf(shape);
    track(this, storage);
  }

  /** The byte pointer of live storage; throws if the tensor was released. */
  get _ptr(): number {
    const s = this._storage;
    if (s === null) throw releasedError(this);
    if (this._gen >= 0) touch(this);
    return s.ptr;
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
    return this._grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new Error(`grad: expected a Tensor or null, got ${typeof g}`);
      if (!sameShape(g.shape, this.shape)) {
        throw new Error(`grad: assigned grad has shape ${fmt(g.shape)} but the tensor has shape ${fmt(this.shape)}`);
      }
      g._ptr; // a released grad fails here, before anything changes
      if (g === this._grad) return;
      g._kept = true;
    }
    this._dropGrad();
    this._grad = g;
    this._gradOwned = false;
  }

  /**
   * Drops the current grad. One that backward() made is freed now (grads are the bulk of a
   * step's memory); one the user assigned is left to its owner.
   */
  _dropGrad(): void {
    const old = this._grad;
    if (old === null) return;
    this._grad = null;
    old._kept = false;
    if (this._gradOwned) {
      release(old, "released by zeroGrad(), which sets grads to null (read it before, or use zeroGrad(false))");
    }
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
    const p = this._ptr;
    if (this._size !== 1) {
      throw new Error(`item(): a Tensor with ${this._size} elements cannot be converted to a number (shape ${fmt(this.shape)})`);
    }
    return F32()[p >>> 2];
  }

  _bumpVersion(): void {
    this._storage!.version++;
  }

  _zeroInPlace(): void {
    K.unary(Un.FILL, this._ptr, this._ptr, this._size, 0);
    this._bumpVersion();
  }

  /** Frees the storage now (shared storage is freed when its last view goes). */
  dispose(): void {
    release(this, "disposed with dispose()");
  }

  /** Exempts the tensor from automatic release (iterations, tidy, noGrad). */
  keep(): this {
    this._ptr;
    this._kept = true;
    return this;
  }

  get isDisposed(): boolean {
    return this._storage === null;
  }

  /** A tensor sharing this one's storage, outside the graph. */
  detach(): Tensor {
    this._ptr;
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

  /** Engine: adds `g` (owned by the engine) into this leaf's .grad. */
  _accumulateGrad(g: Tensor): void {
    if (this._grad === null) {
      const own = g._storage!.refs > 1 ? ew.clone(g) : g;
      if (own !== g) g.dispose();
      own._kept = true;
      this._grad = own;
      this._gradOwned = true;
    } else {
      const cur = this._grad;
      K.binaryFlat(Bin.ADD, cur._ptr, g._ptr, cur._ptr, cur._size);
      g.dispose();
    }
  }

  /** Engine: this + g for two engine-owned grads; writes in place when the storage is ours alone. */
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

  toString(): string {
    if (this._storage === null) return `tensor(<released: ${this._released}>)`;
    const grad = this._node !== null ? `, grad_fn=<${this._node.name}>` : this._requiresGrad ? ", requiresGrad=true" : "";
    return `tensor(${JSON.stringify(this.tolist())}${grad})`;
  }
}

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
