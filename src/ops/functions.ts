// torch.<op>(…) forms of the tensor methods.
import { Tensor, type Operand } from "../tensor.js";
import { refuseBoolSub, unary } from "./elementwise.js";
import { Un } from "./codes.js";

function first(x: Operand, op: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new Error(`${op}: expected a Tensor as the first argument, got ${typeof x}`);
}

/**
 * `a + b` element-wise, broadcast, as `torch.add`; either side may be a number.
 *
 * ```ts
 * torch.add(torch.tensor([1, 2]), torch.tensor([10, 20])); // tensor([11., 22.])
 * torch.add(1, torch.tensor([1, 2]));                      // tensor([2., 3.])
 * ```
 */
export function add(a: Operand, b: Operand): Tensor {
  return typeof a === "number" && b instanceof Tensor ? b.add(a) : first(a, "add").add(b);
}
/**
 * `a - b` element-wise, broadcast, as `torch.sub`; either side may be a number.
 *
 * ```ts
 * torch.sub(torch.tensor([5, 7]), 2); // tensor([3., 5.])
 * torch.sub(1, torch.tensor([0.25]));  // tensor([0.7500])
 * ```
 */
export function sub(a: Operand, b: Operand): Tensor {
  refuseBoolSub(a, b);
  return typeof a === "number" && b instanceof Tensor ? unary(Un.RSUB, b, a) : first(a, "sub").sub(b);
}
/**
 * `a * b` element-wise, broadcast, as `torch.mul`; either side may be a number.
 *
 * ```ts
 * torch.mul(torch.tensor([1, 2]), torch.tensor([[1], [10]])); // tensor([[ 1.,  2.], [10., 20.]])
 * ```
 */
export function mul(a: Operand, b: Operand): Tensor {
  return typeof a === "number" && b instanceof Tensor ? b.mul(a) : first(a, "mul").mul(b);
}
/**
 * `a / b` element-wise (true division), broadcast, as `torch.div`; either side may be a
 * number.
 *
 * ```ts
 * torch.div(1, torch.tensor([2, 4])); // tensor([0.5000, 0.2500])
 * ```
 */
export function div(a: Operand, b: Operand): Tensor {
  return typeof a === "number" && b instanceof Tensor ? unary(Un.RDIV, b, a) : first(a, "div").div(b);
}
/**
 * `-x` element-wise, as `torch.neg`.
 *
 * ```ts
 * torch.neg(torch.tensor([1, -2])); // tensor([-1.,  2.])
 * ```
 */
export const neg = (x: Tensor): Tensor => first(x, "neg").neg();
/**
 * `e^x` element-wise, as `torch.exp`.
 *
 * ```ts
 * torch.exp(torch.tensor([0, 1])); // tensor([1.0000, 2.7183])
 * ```
 */
export const exp = (x: Tensor): Tensor => first(x, "exp").exp();
/**
 * Natural logarithm element-wise, as `torch.log`.
 *
 * ```ts
 * torch.log(torch.tensor([1, 100])); // tensor([0.0000, 4.6052])
 * ```
 */
export const log = (x: Tensor): Tensor => first(x, "log").log();
/**
 * Square root element-wise, as `torch.sqrt`.
 *
 * ```ts
 * torch.sqrt(torch.tensor([4, 2])); // tensor([2.0000, 1.4142])
 * ```
 */
export const sqrt = (x: Tensor): Tensor => first(x, "sqrt").sqrt();
/**
 * Absolute value element-wise, as `torch.abs`.
 *
 * ```ts
 * torch.abs(torch.tensor([-3, 3])); // tensor([3., 3.])
 * ```
 */
export const abs = (x: Tensor): Tensor => first(x, "abs").abs();
/**
 * `max(x, 0)` element-wise, as `torch.relu` (`F.relu`, `nn.ReLU`).
 *
 * ```ts
 * torch.relu(torch.tensor([-1, 2])); // tensor([0., 2.])
 * ```
 */
export const relu = (x: Tensor): Tensor => first(x, "relu").relu();
/**
 * `1 / (1 + e^-x)` element-wise, as `torch.sigmoid`.
 *
 * ```ts
 * torch.sigmoid(torch.tensor([0])); // tensor([0.5000])
 * ```
 */
export const sigmoid = (x: Tensor): Tensor => first(x, "sigmoid").sigmoid();
/**
 * Hyperbolic tangent element-wise, as `torch.tanh`.
 *
 * ```ts
 * torch.tanh(torch.tensor([0, 100])); // tensor([0., 1.])
 * ```
 */
export const tanh = (x: Tensor): Tensor => first(x, "tanh").tanh();
/**
 * `torch.sum(input, dim?, keepdim?)`: the sum over every element, one dim or a list of dims
 * (see `Tensor.sum`).
 *
 * ```ts
 * torch.sum(torch.tensor([[1, 2], [3, 4]]), 1); // tensor([3., 7.])
 * ```
 */
export const sum = (x: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor => first(x, "sum").sum(dim, keepdim);
/**
 * `torch.mean(input, dim?, keepdim?)`: the mean over every element, one dim or a list of
 * dims (see `Tensor.mean`).
 *
 * ```ts
 * torch.mean(torch.tensor([[1, 2], [3, 4]]), 0, true); // tensor([[2., 3.]])
 * ```
 */
export const mean = (x: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor => first(x, "mean").mean(dim, keepdim);
/**
 * The matrix product with broadcast batch dims, as `torch.matmul` (see `Tensor.matmul`).
 *
 * ```ts
 * torch.matmul(torch.eye(2), torch.tensor([[1, 2], [3, 4]])); // tensor([[1., 2.], [3., 4.]])
 * ```
 */
export const matmul = (a: Tensor, b: Tensor): Tensor => first(a, "matmul").matmul(b);
/**
 * `torch.reshape(input, shape)`: a view when the layout allows, else a copy (see
 * `Tensor.reshape`).
 *
 * ```ts
 * torch.reshape(torch.arange(6), [3, -1]).shape; // [3, 2]
 * ```
 */
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => first(x, "reshape").reshape(shape);
/**
 * The transpose of a 2-d tensor, as `torch.t` (see `Tensor.t`).
 *
 * ```ts
 * torch.t(torch.tensor([[1, 2]])); // tensor([[1.], [2.]])
 * ```
 */
export const t = (x: Tensor): Tensor => first(x, "t").t();
/**
 * A view with two dims swapped, as `torch.transpose`.
 *
 * ```ts
 * torch.transpose(torch.zeros([2, 5]), 0, 1).shape; // [5, 2]
 * ```
 */
export const transpose = (x: Tensor, dim0: number, dim1: number): Tensor => first(x, "transpose").transpose(dim0, dim1);
/**
 * The tensor outside the graph, sharing storage, as `torch.detach` (see `Tensor.detach`).
 *
 * ```ts
 * torch.detach(torch.ones([2], { requiresGrad: true })).requiresGrad; // false
 * ```
 */
export const detach = (x: Tensor): Tensor => first(x, "detach").detach();
/**
 * `torch.flatten(input, startDim = 0, endDim = -1)`: dims merged into one (see
 * `Tensor.flatten`).
 *
 * ```ts
 * torch.flatten(torch.zeros([2, 3, 4]), 1).shape; // [2, 12]
 * ```
 */
export const flatten = (x: Tensor, startDim = 0, endDim = -1): Tensor => first(x, "flatten").flatten(startDim, endDim);
/**
 * A view with a new size-1 dim at `dim`, as `torch.unsqueeze`.
 *
 * ```ts
 * torch.unsqueeze(torch.tensor([1, 2]), 1).shape; // [2, 1]
 * ```
 */
export const unsqueeze = (x: Tensor, dim: number): Tensor => first(x, "unsqueeze").unsqueeze(dim);
/**
 * A view without size-1 dims (all, or those among `dim`), as `torch.squeeze`.
 *
 * ```ts
 * torch.squeeze(torch.zeros([1, 2, 1])).shape; // [2]
 * ```
 */
export const squeeze = (x: Tensor, dim?: number | readonly number[]): Tensor => first(x, "squeeze").squeeze(dim);
/**
 * A view with the dims reordered, as `torch.permute(input, dims)`.
 *
 * ```ts
 * torch.permute(torch.zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 * ```
 */
export const permute = (x: Tensor, dims: readonly number[]): Tensor => first(x, "permute").permute(dims);
/**
 * A copy with its own storage, in the graph, as `torch.clone`.
 *
 * ```ts
 * const x = torch.tensor([1, 2]);
 * torch.clone(x).add_(1);
 * x; // tensor([1., 2.])
 * ```
 */
export const clone = (x: Tensor): Tensor => first(x, "clone").clone();
/**
 * `torch.select(input, dim, index)`: a view of one index of `dim` (see `Tensor.select`).
 *
 * ```ts
 * torch.select(torch.tensor([[1, 2], [3, 4]]), 1, 0); // tensor([1., 3.])
 * ```
 */
export const select = (x: Tensor, dim: number, index: number): Tensor => first(x, "select").select(dim, index);
/**
 * `torch.narrow(input, dim, start, length)`: a view of `length` entries of `dim` (see
 * `Tensor.narrow`).
 *
 * ```ts
 * torch.narrow(torch.arange(5), 0, 1, 3); // tensor([1, 2, 3])
 * ```
 */
export const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => first(x, "narrow").narrow(dim, start, length);
