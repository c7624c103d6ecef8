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

/**
 * The other operand of an element-wise op: a tensor (broadcast against the first, as
 * PyTorch broadcasts) or a plain number (a Python scalar in PyTorch's terms: it does not
 * promote an int32 tensor to float32 unless it has a fraction).
 *
 * ```ts
 * const x = torch.tensor([1, 2]);
 * const operands: torch.Operand[] = [torch.tensor([10, 20]), 0.5];
 * operands.map((o) => x.mul(o).tolist()); // [[10, 40], [0.5, 1]]
 * ```
 */
export type Operand = Tensor | number;
/**
 * Data for `torch.tensor()` and what `tolist()` returns: a number, a boolean, or arrays of
 * them nested to any depth (rectangular: every row of a dim has the same length).
 *
 * ```ts
 * const data: torch.NestedArray = [[1, 2], [3, 4]];
 * torch.tensor(data).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export type NestedArray = number | boolean | NestedArray[];
/**
 * What `toArray()` returns: a Float32Array for float32, an Int32Array for int32, a
 * Uint8Array of 0/1 for bool (PyTorch's `t.numpy()`, as a copy).
 *
 * ```ts
 * const a: torch.TypedArray = torch.tensor([true, false]).toArray();
 * a; // Uint8Array [1, 0]
 * ```
 */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/**
 * A multi-dimensional array of float32, int32 or bool values in wasm memory, with autograd
 * (`torch.Tensor`). Make one with `torch.tensor()`, `zeros()`, `randn()`, …; ops return new
 * tensors (views share storage, as PyTorch's do), methods ending in `_` work in place. A
 * float32 tensor with `requiresGrad` records the ops applied to it, and `backward()` fills
 * the `grad` of the leaves. A tensor the program can still reach stays usable; `dispose()`
 * or `torch.tidy()` free its memory early.
 *
 * ```ts
 * const w = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const loss = w.mul(w).sum();
 * loss;              // tensor(30., gradFn=<SumBackward0>)
 * loss.backward();
 * w.grad;            // tensor([[2., 4.], [6., 8.]])
 * ```
 */
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
  /**
   * The element type: `"float32"`, `"int32"` (indices: PyTorch's int64) or `"bool"`.
   *
   * ```ts
   * torch.tensor([1, 2]).dtype;                     // "float32"
   * torch.tensor([1, 2], { dtype: "int32" }).dtype; // "int32"
   * torch.tensor([1, 2]).gt(1).dtype;               // "bool"
   * ```
   */
  readonly dtype: DType;
  /**
   * The size of each dim (PyTorch's `t.shape`, a `torch.Size`), frozen; `[]` for a 0-d tensor.
   *
   * ```ts
   * torch.zeros([2, 3]).shape; // [2, 3]
   * torch.tensor(5).shape;     // []
   * ```
   */
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

  /**
   * Whether autograd records operations on this tensor (PyTorch's `requires_grad`). Settable
   * on leaves of dtype float32; a result of ops on such a tensor requires grad too.
   *
   * ```ts
   * const w = torch.zeros([2]);
   * w.requiresGrad;              // false
   * w.requiresGrad = true;
   * w.mul(2).requiresGrad;       // true
   * ```
   */
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

  /**
   * True for a tensor the program made (not the result of a recorded op): only leaves get a
   * `.grad` from `backward()` (PyTorch's `is_leaf`).
   *
   * ```ts
   * const w = torch.ones([2], { requiresGrad: true });
   * w.isLeaf;        // true
   * w.mul(2).isLeaf; // false
   * ```
   */
  get isLeaf(): boolean {
    return this._leaf;
  }

  /**
   * The gradient `backward()` accumulated into this leaf, or null; assignable (a float32,
   * contiguous tensor of the same shape, or null), as PyTorch's `.grad`. Gradients add up
   * over `backward()` calls until `zeroGrad()` (an optimizer's or a module's) clears them.
   *
   * ```ts
   * const w = torch.tensor([1, 2], { requiresGrad: true });
   * w.grad;                          // null
   * w.mul(3).sum().backward();
   * w.grad;                          // tensor([3., 3.])
   * w.mul(3).sum().backward();
   * w.grad;                          // tensor([6., 6.])
   * w.grad = null;
   * ```
   */
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

  /**
   * The number of elements (the product of the shape; 1 for a 0-d tensor).
   *
   * ```ts
   * torch.zeros([2, 3]).numel(); // 6
   * ```
   */
  numel(): number {
    return this._size;
  }

  /**
   * The number of dims (PyTorch's `t.ndim`; also `dim()`).
   *
   * ```ts
   * torch.zeros([2, 3]).ndim; // 2
   * ```
   */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * The number of dims (also the `ndim` property).
   *
   * ```ts
   * torch.zeros([2, 3, 4]).dim(); // 3
   * ```
   */
  dim(): number {
    return this.shape.length;
  }

  /**
   * The shape as a new array (`size()`), or the size of one dim (`size(-1)` counts from the
   * end), as PyTorch's `t.size()`.
   *
   * ```ts
   * const x = torch.zeros([2, 3]);
   * x.size();   // [2, 3]
   * x.size(-1); // 3
   * ```
   */
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape.slice();
    const r = this.shape.length;
    if (!Number.isInteger(dim) || dim < -Math.max(r, 1) || dim >= Math.max(r, 1)) {
      throw new Error(`size(): dim ${dim} is out of range for a tensor of ${r} dimensions (expected ${-Math.max(r, 1)} to ${Math.max(r, 1) - 1})`);
    }
    return r === 0 ? 1 : this.shape[dim < 0 ? dim + r : dim];
  }

  /**
   * The step in elements between neighbours along each dim (`stride()`), or along one dim,
   * as PyTorch's `stride()`; views such as `t()` change strides, not data.
   *
   * ```ts
   * const x = torch.zeros([2, 3]);
   * x.stride();     // [3, 1]
   * x.t().stride(); // [1, 3]
   * ```
   */
  stride(dim?: number): number | number[] {
    if (dim === undefined) return this._strides.slice();
    return this._strides[dim < 0 ? dim + this.shape.length : dim];
  }

  /**
   * Whether the elements lie in row-major order without gaps (PyTorch's `is_contiguous()`);
   * `contiguous()` makes a copy that is.
   *
   * ```ts
   * const x = torch.zeros([2, 3]);
   * x.isContiguous();     // true
   * x.t().isContiguous(); // false
   * ```
   */
  isContiguous(): boolean {
    return this._contiguous;
  }

  /**
   * A new typed array holding a copy of the values in row-major order: Float32Array for
   * float32, Int32Array for int32, Uint8Array (0/1) for bool (PyTorch's `t.numpy()`, copied).
   *
   * ```ts
   * torch.tensor([[1, 2], [3, 4]]).t().toArray();       // Float32Array [1, 3, 2, 4]
   * torch.arange(3).toArray();                          // Int32Array [0, 1, 2]
   * ```
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

  /**
   * The values as nested arrays of numbers (booleans for bool), like PyTorch's `tolist()`; a
   * 0-d tensor gives a plain number.
   *
   * ```ts
   * torch.tensor([[1, 2], [3, 4]]).tolist(); // [[1, 2], [3, 4]]
   * torch.tensor([1, 0]).bool().tolist();    // [true, false]
   * torch.tensor(2.5).tolist();              // 2.5
   * ```
   */
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

  /**
   * The value of a one-element tensor as a number (1 or 0 for bool), as PyTorch's `item()`.
   *
   * ```ts
   * torch.tensor([[1.5]]).item();       // 1.5
   * torch.tensor([1, 2, 3]).sum().item(); // 6
   * ```
   */
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
   * Frees the storage now (storage shared with views goes when the last of them does); using
   * the tensor afterwards throws. Not needed for correctness: unreachable tensors are freed
   * anyway, and `torch.tidy()` frees a block's temporaries at once. `using t = …` calls it at
   * the end of the block where the runtime has `Symbol.dispose`.
   *
   * ```ts
   * const x = torch.ones([1000]);
   * x.dispose();
   * x.isDisposed; // true
   * x.sum();      // throws: disposed
   * ```
   */
  dispose(): void {
    release(this, "disposed with dispose()");
  }

  /**
   * Pins the storage in wasm memory (never moved to the JS heap) and exempts the tensor from
   * `tidy()`; returns the tensor.
   *
   * ```ts
   * let kept!: torch.Tensor;
   * torch.tidy(() => {
   *   kept = torch.ones([2]).mul(3).keep();
   *   torch.ones([2]).mul(4); // freed when tidy returns
   * });
   * kept; // tensor([3., 3.])
   * ```
   */
  keep(): this {
    if (this._storage === null) this._ptr; // throws the "disposed" error
    pin(this);
    return this;
  }

  /**
   * Whether `dispose()` (or `tidy()`) freed this tensor's storage.
   *
   * ```ts
   * const x = torch.zeros([2]);
   * x.isDisposed; // false
   * x.dispose();
   * x.isDisposed; // true
   * ```
   */
  get isDisposed(): boolean {
    return this._storage === null;
  }

  /**
   * A copy with its own storage, in the graph (gradients flow back to the original), as
   * PyTorch's `clone()`.
   *
   * ```ts
   * const x = torch.tensor([1, 2]);
   * const y = x.clone();
   * y.add_(1);
   * x; // tensor([1., 2.])
   * y; // tensor([2., 3.])
   * ```
   */
  clone(): Tensor {
    return ew.cloneOp(this);
  }

  /**
   * A tensor sharing this one's storage (and version counter) but outside the graph: no
   * gradient flows through it, as PyTorch's `detach()`.
   *
   * ```ts
   * const w = torch.tensor([1, 2], { requiresGrad: true });
   * const d = w.mul(2).detach();
   * d;              // tensor([2., 4.])
   * d.requiresGrad; // false
   * ```
   */
  detach(): Tensor {
    if (this._storage === null) this._ptr;
    return new Tensor(this._storage!, this.shape, this.dtype, this._strides, this._offset);
  }

  /**
   * The values converted to `dtype` (this tensor itself if it already has it), as PyTorch's
   * `to(dtype)`: float to int32 truncates toward zero, anything to bool is `value ≠ 0`.
   *
   * ```ts
   * torch.tensor([1.7, -1.7, 0]).to("int32"); // tensor([ 1, -1,  0])
   * torch.tensor([1.7, -1.7, 0]).to("bool");  // tensor([ True,  True, False])
   * ```
   */
  to(dtype: DType): Tensor {
    return ew.toDtype(this, checkDType(dtype, "to()"));
  }

  /**
   * `to("float32")`, as PyTorch's `float()`.
   *
   * ```ts
   * torch.tensor([1, 2], { dtype: "int32" }).float(); // tensor([1., 2.])
   * ```
   */
  float(): Tensor { return this.to("float32"); }
  /**
   * `to("int32")` (PyTorch's `int()` gives int32 too; torchlet's index dtype is int32).
   *
   * ```ts
   * torch.tensor([2.9, -2.9]).int(); // tensor([ 2, -2])
   * ```
   */
  int(): Tensor { return this.to("int32"); }
  /**
   * `to("bool")`: true where the value is not 0, as PyTorch's `bool()`.
   *
   * ```ts
   * torch.tensor([0, 0.5, -1]).bool(); // tensor([False,  True,  True])
   * ```
   */
  bool(): Tensor { return this.to("bool"); }

  /**
   * Computes the gradient of this tensor with respect to every leaf that requires grad and
   * adds it into their `.grad`, as PyTorch's `backward()`. A one-element output needs no
   * argument; any other takes `gradient`, the gradient of the final result with respect to
   * this tensor (same shape). The graph is freed as it is walked.
   *
   * ```ts
   * const x = torch.tensor([1, 2, 3], { requiresGrad: true });
   * x.pow(2).sum().backward();
   * x.grad; // tensor([2., 4., 6.])
   * const y = torch.tensor([1, 2], { requiresGrad: true });
   * y.mul(3).backward(torch.tensor([1, 10]));
   * y.grad; // tensor([ 3., 30.])
   * ```
   */
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
  /**
   * `this + other`, broadcast, as PyTorch's `add` (dtype promoted as PyTorch promotes).
   *
   * ```ts
   * torch.tensor([[1, 2], [3, 4]]).add(torch.tensor([10, 20])); // tensor([[11., 22.], [13., 24.]])
   * torch.tensor([1, 2]).add(0.5);                              // tensor([1.5000, 2.5000])
   * ```
   */
  add(other: Operand): Tensor { return ew.binary(Bin.ADD, this, other, "add"); }
  /**
   * `this - other`, broadcast, as PyTorch's `sub`.
   *
   * ```ts
   * torch.tensor([5, 7]).sub(torch.tensor([1, 2])); // tensor([4., 5.])
   * torch.tensor([5, 7]).sub(1);                    // tensor([4., 6.])
   * ```
   */
  sub(other: Operand): Tensor { return ew.binary(Bin.SUB, this, other, "sub"); }
  /**
   * `this * other` element-wise, broadcast, as PyTorch's `mul`.
   *
   * ```ts
   * torch.tensor([1, 2, 3]).mul(2);                    // tensor([2., 4., 6.])
   * torch.tensor([[1], [2]]).mul(torch.tensor([1, 10])); // tensor([[ 1., 10.], [ 2., 20.]])
   * ```
   */
  mul(other: Operand): Tensor { return ew.binary(Bin.MUL, this, other, "mul"); }
  /**
   * `this / other` element-wise, broadcast; true division (int32 inputs give float32), as
   * PyTorch's `div`.
   *
   * ```ts
   * torch.tensor([1, 3], { dtype: "int32" }).div(2); // tensor([0.5000, 1.5000])
   * ```
   */
  div(other: Operand): Tensor { return ew.binary(Bin.DIV, this, other, "div"); }
  /**
   * `-this` element-wise.
   *
   * ```ts
   * torch.tensor([1, -2]).neg(); // tensor([-1.,  2.])
   * ```
   */
  neg(): Tensor { return ew.unary(Un.NEG, this, 0); }
  /**
   * `e^x` element-wise.
   *
   * ```ts
   * torch.tensor([0, 1]).exp(); // tensor([1.0000, 2.7183])
   * ```
   */
  exp(): Tensor { return ew.unary(Un.EXP, this, 0); }
  /**
   * Natural logarithm element-wise (`-inf` at 0, NaN below).
   *
   * ```ts
   * torch.tensor([1, 100]).log(); // tensor([0.0000, 4.6052])
   * ```
   */
  log(): Tensor { return ew.unary(Un.LOG, this, 0); }
  /**
   * Square root element-wise (NaN below 0).
   *
   * ```ts
   * torch.tensor([4, 9]).sqrt(); // tensor([2., 3.])
   * ```
   */
  sqrt(): Tensor { return ew.unary(Un.SQRT, this, 0); }
  /**
   * Absolute value element-wise.
   *
   * ```ts
   * torch.tensor([-1.5, 2]).abs(); // tensor([1.5000, 2.0000])
   * ```
   */
  abs(): Tensor { return ew.unary(Un.ABS, this, 0); }
  /**
   * `max(x, 0)` element-wise (`torch.relu`; `nn.ReLU` as a module).
   *
   * ```ts
   * torch.tensor([-1, 0, 2]).relu(); // tensor([0., 0., 2.])
   * ```
   */
  relu(): Tensor { return ew.unary(Un.RELU, this, 0); }
  /**
   * The logistic function `1 / (1 + e^-x)` element-wise.
   *
   * ```ts
   * torch.tensor([0, 2]).sigmoid(); // tensor([0.5000, 0.8808])
   * ```
   */
  sigmoid(): Tensor { return ew.unary(Un.SIGMOID, this, 0); }
  /**
   * Hyperbolic tangent element-wise.
   *
   * ```ts
   * torch.tensor([0, 1]).tanh(); // tensor([0.0000, 0.7616])
   * ```
   */
  tanh(): Tensor { return ew.unary(Un.TANH, this, 0); }

  // ---- reductions, products, shapes -------------------------------------------------
  /**
   * The sum over every element, one dim or a list of dims; `keepdim` keeps the reduced dims
   * with size 1. int32 and bool sum to int32 (PyTorch's int64), as PyTorch.
   *
   * ```ts
   * const x = torch.tensor([[1, 2], [3, 4]]);
   * x.sum();           // tensor(10.)
   * x.sum(0);          // tensor([4., 6.])
   * x.sum(1, true);    // tensor([[3.], [7.]])
   * x.gt(1).sum();     // tensor(3)
   * ```
   */
  sum(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor { return red.sum(this, dim, keepdim, false); }
  /**
   * The mean over every element, one dim or a list of dims (`keepdim` as in `sum`); float32
   * only, as PyTorch (convert with `.float()` first).
   *
   * ```ts
   * const x = torch.tensor([[1, 2], [3, 4]]);
   * x.mean();       // tensor(2.5000)
   * x.mean([0, 1]); // tensor(2.5000)
   * x.mean(1);      // tensor([1.5000, 3.5000])
   * ```
   */
  mean(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor { return red.sum(this, dim, keepdim, true); }
  /**
   * The matrix product, as PyTorch's `matmul` (`@`): 1-d · 1-d is a dot product, 2-d · 2-d
   * a matrix product, and leading dims broadcast as a batch.
   *
   * ```ts
   * const a = torch.tensor([[1, 2], [3, 4]]);
   * a.matmul(torch.tensor([[1], [1]]));         // tensor([[3.], [7.]])
   * torch.tensor([1, 2]).matmul(torch.tensor([3, 4])); // tensor(11.)
   * torch.ones([5, 2, 3]).matmul(torch.ones([3, 4])).shape; // [5, 2, 4]
   * ```
   */
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }

  // ---- views (no copy) and layout ---------------------------------------------------------
  /**
   * A view with another shape sharing this storage, as PyTorch's `view`: sizes as arguments
   * or one array, one of them may be -1 (inferred). Throws when the strides do not allow a
   * view; `reshape` copies then.
   *
   * ```ts
   * const x = torch.arange(6);
   * x.view(2, 3).shape;    // [2, 3]
   * x.view([-1, 2]).shape; // [3, 2]
   * x.view(2, 3).t().view(6); // throws: view
   * ```
   */
  view(...shape: (number | readonly number[])[]): Tensor { return sh.view(this, flattenShapeArgs(shape, "view")); }
  /**
   * Another shape with the same elements: a view when the layout allows, else a copy, as
   * PyTorch's `reshape`; one size may be -1.
   *
   * ```ts
   * const x = torch.arange(6).reshape(2, 3);
   * x;                        // tensor([[0, 1, 2], [3, 4, 5]])
   * x.t().reshape(-1);        // tensor([0, 3, 1, 4, 2, 5])
   * ```
   */
  reshape(...shape: (number | readonly number[])[]): Tensor { return sh.reshape(this, flattenShapeArgs(shape, "reshape")); }
  /**
   * The transpose of a 2-d tensor (a view; 0-d and 1-d come back as they are), as PyTorch's
   * `t()`.
   *
   * ```ts
   * torch.tensor([[1, 2, 3]]).t(); // tensor([[1.], [2.], [3.]])
   * ```
   */
  t(): Tensor { return sh.t(this); }
  /**
   * A view with dims `dim0` and `dim1` swapped, as PyTorch's `transpose`.
   *
   * ```ts
   * torch.zeros([2, 3, 4]).transpose(0, 2).shape; // [4, 3, 2]
   * ```
   */
  transpose(dim0: number, dim1: number): Tensor { return sh.transpose(this, dim0, dim1); }
  /**
   * A view with the dims reordered: dim i of the result is dim `dims[i]` of this tensor, as
   * PyTorch's `permute` (arguments or one array).
   *
   * ```ts
   * const img = torch.zeros([32, 32, 3]);  // height, width, channels
   * img.permute(2, 0, 1).shape;            // [3, 32, 32]
   * img.permute([1, 0, 2]).shape;          // [32, 32, 3]
   * ```
   */
  permute(...dims: (number | readonly number[])[]): Tensor { return sh.permute(this, flattenShapeArgs(dims, "permute")); }
  /**
   * A view repeating size-1 dims to `shape` without copying (stride 0), as PyTorch's
   * `expand`; -1 keeps a dim's size, and new leading dims may be added.
   *
   * ```ts
   * const col = torch.tensor([[1], [2]]);
   * col.expand(2, 3);  // tensor([[1., 1., 1.], [2., 2., 2.]])
   * col.expand([3, -1, 2]).shape; // [3, 2, 2]
   * ```
   */
  expand(...shape: (number | readonly number[])[]): Tensor { return sh.expand(this, flattenShapeArgs(shape, "expand")); }
  /**
   * `expand(other.shape)`, as PyTorch's `expand_as`.
   *
   * ```ts
   * torch.tensor([1, 2]).expandAs(torch.zeros([3, 2])).shape; // [3, 2]
   * ```
   */
  expandAs(other: Tensor): Tensor { return sh.expand(this, other.shape); }
  /**
   * A view with a new dim of size 1 at `dim` (negative counts from the end of the result),
   * as PyTorch's `unsqueeze`.
   *
   * ```ts
   * const x = torch.tensor([1, 2, 3]);
   * x.unsqueeze(0).shape;  // [1, 3]
   * x.unsqueeze(-1).shape; // [3, 1]
   * ```
   */
  unsqueeze(dim: number): Tensor { return sh.unsqueeze(this, dim); }
  /**
   * A view without size-1 dims: all of them, or only those among `dim` (a dim that is not
   * size 1 is left alone), as PyTorch's `squeeze`.
   *
   * ```ts
   * const x = torch.zeros([1, 3, 1]);
   * x.squeeze().shape;   // [3]
   * x.squeeze(0).shape;  // [3, 1]
   * x.squeeze(1).shape;  // [1, 3, 1]
   * ```
   */
  squeeze(dim?: number | readonly number[]): Tensor { return sh.squeeze(this, dim); }
  /**
   * The dims from `startDim` to `endDim` (inclusive; defaults 0 and -1) merged into one: a
   * view when the layout allows, else a copy, as PyTorch's `flatten`.
   *
   * ```ts
   * const x = torch.zeros([2, 3, 4]);
   * x.flatten().shape;  // [24]
   * x.flatten(1).shape; // [2, 12]
   * ```
   */
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  /**
   * A view of `length` entries of `dim` from `start`, as PyTorch's `narrow` (`x[:, start:start+length]`).
   *
   * ```ts
   * torch.arange(6).reshape(2, 3).narrow(1, 1, 2); // tensor([[1, 2], [4, 5]])
   * ```
   */
  narrow(dim: number, start: number, length: number): Tensor { return sh.narrow(this, dim, start, length); }
  /**
   * A view of one index of `dim`, which goes away (negative `index` counts from the end), as
   * PyTorch's `select` (`x[:, index]`).
   *
   * ```ts
   * const x = torch.tensor([[1, 2], [3, 4]]);
   * x.select(0, 1);  // tensor([3., 4.])
   * x.select(1, -1); // tensor([2., 4.])
   * ```
   */
  select(dim: number, index: number): Tensor { return sh.select(this, dim, index); }
  /**
   * This tensor if it is contiguous, else a row-major copy, as PyTorch's `contiguous()`.
   *
   * ```ts
   * const t = torch.zeros([2, 3]).t();
   * t.isContiguous();              // false
   * t.contiguous().isContiguous(); // true
   * ```
   */
  contiguous(): Tensor { return sh.contiguous(this); }

  // ---- in place -----------------------------------------------------------------------
  /**
   * Writes `src` into this tensor in place and returns it, as PyTorch's `copy_`: a tensor
   * (broadcast to this shape, converted to this dtype) or flat values (an array or typed
   * array with `numel()` elements, in row-major order).
   *
   * ```ts
   * const x = torch.zeros([2, 2]);
   * x.copy_(torch.tensor([1, 2]));  // tensor([[1., 2.], [1., 2.]])
   * x.copy_([1, 2, 3, 4]);          // tensor([[1., 2.], [3., 4.]])
   * ```
   */
  copy_(src: Tensor | ArrayLike<number>): this { ew.copyInPlace(this, src); return this; }
  /**
   * Sets every element to 0 in place and returns the tensor, as PyTorch's `zero_()`.
   *
   * ```ts
   * torch.ones([3]).zero_(); // tensor([0., 0., 0.])
   * ```
   */
  zero_(): this { ew.fillInPlace(this, 0, "zero_"); return this; }
  /**
   * Sets every element to `value` in place and returns the tensor, as PyTorch's `fill_`.
   *
   * ```ts
   * torch.zeros([2]).fill_(7); // tensor([7., 7.])
   * ```
   */
  fill_(value: number): this { ew.fillInPlace(this, value, "fill_"); return this; }
  /**
   * `this += alpha · other` in place (broadcast to this shape; `alpha` default 1, given
   * bare or as `{ alpha }`), as PyTorch's `add_(other, alpha=…)`.
   *
   * ```ts
   * const p = torch.tensor([1, 2]);
   * p.add_(torch.tensor([1, 1]), { alpha: -0.5 }); // tensor([0.5000, 1.5000])
   * p.add_(1);                                     // tensor([1.5000, 2.5000])
   * ```
   */
  add_(other: Operand, alpha?: number | { alpha?: number }): this {
    const a = typeof alpha === "object" && alpha !== null ? alpha.alpha ?? 1 : alpha ?? 1;
    ew.binaryInPlace(Bin.ADD, this, other, a, "add_");
    return this;
  }
  /**
   * `this -= alpha · other` in place (`alpha` default 1, bare or as `{ alpha }`), as
   * PyTorch's `sub_`.
   *
   * ```ts
   * torch.tensor([5, 5]).sub_(torch.tensor([1, 2]), 2); // tensor([3., 1.])
   * ```
   */
  sub_(other: Operand, alpha?: number | { alpha?: number }): this {
    const a = typeof alpha === "object" && alpha !== null ? alpha.alpha ?? 1 : alpha ?? 1;
    ew.binaryInPlace(Bin.ADD, this, other, -a, "sub_");
    return this;
  }
  /**
   * `this *= other` in place (broadcast to this shape), as PyTorch's `mul_`.
   *
   * ```ts
   * torch.tensor([1, 2]).mul_(10); // tensor([10., 20.])
   * ```
   */
  mul_(other: Operand): this { ew.binaryInPlace(Bin.MUL, this, other, 1, "mul_"); return this; }
  /**
   * `this /= other` in place (broadcast to this shape), as PyTorch's `div_`.
   *
   * ```ts
   * torch.tensor([2, 4]).div_(torch.tensor([2, 8])); // tensor([1.0000, 0.5000])
   * ```
   */
  div_(other: Operand): this { ew.binaryInPlace(Bin.DIV, this, other, 1, "div_"); return this; }

  /**
   * PyTorch's printed form, summarised past 1,000 elements, with `requiresGrad=true` or
   * `gradFn=<…>` as PyTorch shows them; `console.log(t)` prints the same in Node and Deno.
   *
   * ```ts
   * String(torch.tensor([1, 2.5], { requiresGrad: true })); // "tensor([1.0000, 2.5000], requiresGrad=true)"
   * String(torch.tensor([1, 2], { dtype: "int32" }));        // "tensor([1, 2])"
   * ```
   */
  toString(): string {
    if (this._storage === null) return `tensor(<${this._released}>)`;
    const suffix = this._node !== null ? `gradFn=<${this._node.name}>` : this._requiresGrad ? "requiresGrad=true" : "";
    const kind = this.dtype === "float32" ? "float" : this.dtype === "int32" ? "int" : "bool";
    return formatTensor(this.shape, this.toArray(), suffix, kind, this.dtype === "float32" ? undefined : this.dtype);
  }

  /**
   * What `JSON.stringify(t)` writes: `{ dtype, shape, values }`, which `loadStateDict` reads
   * back (so a JSON'd state dict round-trips).
   *
   * ```ts
   * torch.tensor([[1, 2]]).toJSON();                // { dtype: "float32", shape: [1, 2], values: [1, 2] }
   * JSON.stringify(torch.tensor([true]));           // '{"dtype":"bool","shape":[1],"values":[1]}'
   * ```
   */
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

/**
 * Options of the creation functions (`zeros`, `ones`, `full`, `arange`, `…Like`): the
 * dtype (default float32, or the input's for `…Like`) and `requiresGrad`.
 *
 * ```ts
 * const opts: torch.CreateOptions = { dtype: "int32" };
 * torch.zeros([2], opts);                       // tensor([0, 0])
 * torch.ones([2], { requiresGrad: true });      // tensor([1., 1.], requiresGrad=true)
 * ```
 */
export interface CreateOptions {
  /** "float32" (default), "int32" or "bool". */
  dtype?: DType;
  /** Record operations on this tensor for autograd (float32 only). */
  requiresGrad?: boolean;
}

/**
 * Options of `torch.tensor()`: `dtype`, `requiresGrad`, and `shape` for flat data.
 *
 * ```ts
 * const opts: torch.TensorOptions = { shape: [2, 2] };
 * torch.tensor([1, 2, 3, 4], opts); // tensor([[1., 2.], [3., 4.]])
 * ```
 */
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

/**
 * A tensor of `shape` filled with 0, as `torch.zeros` (the shape as one array).
 *
 * ```ts
 * torch.zeros([2, 3]).shape;           // [2, 3]
 * torch.zeros([2], { dtype: "bool" }); // tensor([False, False])
 * ```
 */
export function zeros(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled("zeros()", shape, 0, opts);
}

/**
 * A tensor of `shape` filled with 1, as `torch.ones`.
 *
 * ```ts
 * torch.ones([2, 2]);                      // tensor([[1., 1.], [1., 1.]])
 * torch.ones([3], { requiresGrad: true }); // tensor([1., 1., 1.], requiresGrad=true)
 * ```
 */
export function ones(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled("ones()", shape, 1, opts);
}

/**
 * A tensor of `shape` filled with `value`, as `torch.full` (float32 unless `dtype` says).
 *
 * ```ts
 * torch.full([2], 0.5);                   // tensor([0.5000, 0.5000])
 * torch.full([2], 7, { dtype: "int32" }); // tensor([7, 7])
 * ```
 */
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

/**
 * Zeros of `t`'s shape and dtype (or `dtype`), as `torch.zeros_like`.
 *
 * ```ts
 * torch.zerosLike(torch.tensor([[1, 2]], { dtype: "int32" })); // tensor([[0, 0]])
 * ```
 */
export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filledLike("zerosLike()", t, 0, opts);
}

/**
 * Ones of `t`'s shape and dtype (or `dtype`), as `torch.ones_like`.
 *
 * ```ts
 * torch.onesLike(torch.zeros([2]), { dtype: "bool" }); // tensor([True, True])
 * ```
 */
export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filledLike("onesLike()", t, 1, opts);
}

/**
 * `value` in `t`'s shape and dtype (or `dtype`), as `torch.full_like`.
 *
 * ```ts
 * torch.fullLike(torch.zeros([2, 2]), -1); // tensor([[-1., -1.], [-1., -1.]])
 * ```
 */
export function fullLike(t: Tensor, value: number | boolean, opts?: CreateOptions): Tensor {
  return filledLike("fullLike()", t, value, opts);
}

/**
 * An uninitialised tensor of `t`'s shape and dtype, as `torch.empty_like`; torchlet fills
 * it with zeros (wasm memory is reused), but write it before reading it, as in PyTorch.
 *
 * ```ts
 * torch.emptyLike(torch.ones([2, 3])).shape; // [2, 3]
 * ```
 */
export function emptyLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filledLike("emptyLike()", t, 0, opts);
}

export { isGradEnabled };
