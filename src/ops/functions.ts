// torch.<op>(…) forms of the tensor methods.
import { Tensor, type Operand } from "../tensor.js";
import { refuseBoolSub, unary } from "./elementwise.js";
import { Un } from "./codes.js";

function first(x: Operand, op: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new Error(`${op}: expected a Tensor as the first argument, got ${typeof x}`);
}

export function add(a: Operand, b: Operand): Tensor {
  return typeof a === "number" && b instanceof Tensor ? b.add(a) : first(a, "add").add(b);
}
export function sub(a: Operand, b: Operand): Tensor {
  refuseBoolSub(a, b);
  return typeof a === "number" && b instanceof Tensor ? unary(Un.RSUB, b, a) : first(a, "sub").sub(b);
}
export function mul(a: Operand, b: Operand): Tensor {
  return typeof a === "number" && b instanceof Tensor ? b.mul(a) : first(a, "mul").mul(b);
}
export function div(a: Operand, b: Operand): Tensor {
  return typeof a === "number" && b instanceof Tensor ? unary(Un.RDIV, b, a) : first(a, "div").div(b);
}
export const neg = (x: Tensor): Tensor => first(x, "neg").neg();
export const exp = (x: Tensor): Tensor => first(x, "exp").exp();
export const log = (x: Tensor): Tensor => first(x, "log").log();
export const sqrt = (x: Tensor): Tensor => first(x, "sqrt").sqrt();
export const abs = (x: Tensor): Tensor => first(x, "abs").abs();
export const relu = (x: Tensor): Tensor => first(x, "relu").relu();
export const sigmoid = (x: Tensor): Tensor => first(x, "sigmoid").sigmoid();
export const tanh = (x: Tensor): Tensor => first(x, "tanh").tanh();
export const sum = (x: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor => first(x, "sum").sum(dim, keepdim);
export const mean = (x: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor => first(x, "mean").mean(dim, keepdim);
export const matmul = (a: Tensor, b: Tensor): Tensor => first(a, "matmul").matmul(b);
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => first(x, "reshape").reshape(shape);
export const t = (x: Tensor): Tensor => first(x, "t").t();
export const transpose = (x: Tensor, dim0: number, dim1: number): Tensor => first(x, "transpose").transpose(dim0, dim1);
export const detach = (x: Tensor): Tensor => first(x, "detach").detach();
export const flatten = (x: Tensor, startDim = 0, endDim = -1): Tensor => first(x, "flatten").flatten(startDim, endDim);
export const unsqueeze = (x: Tensor, dim: number): Tensor => first(x, "unsqueeze").unsqueeze(dim);
export const squeeze = (x: Tensor, dim?: number | readonly number[]): Tensor => first(x, "squeeze").squeeze(dim);
export const permute = (x: Tensor, dims: readonly number[]): Tensor => first(x, "permute").permute(dims);
export const clone = (x: Tensor): Tensor => first(x, "clone").clone();
export const select = (x: Tensor, dim: number, index: number): Tensor => first(x, "select").select(dim, index);
export const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => first(x, "narrow").narrow(dim, start, length);
