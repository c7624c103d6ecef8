// The indexing family's torch.* functions: indexing, gather/scatter, joining and splitting.
// Importing this file installs the family's Tensor methods (index, indexPut_, gather, …).
import { Tensor } from "../tensor.js";
// Side-effect imports too, so the declarations keep each file's Tensor method types.
import "./indexing.js";
import "./gather_scatter.js";
import "./join.js";
import * as gs from "./gather_scatter.js";
import * as join from "./join.js";

export type { IndexKey, IndexList } from "./indexing.js";
export { cat, stack } from "./join.js";

function input(x: unknown, op: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}: input must be a Tensor, got ${x === null ? "null" : typeof x}`);
}

/**
 * `torch.split(input, splitSizeOrSections, dim = 0)`: views of `input` along `dim`, pieces
 * of one size or of the given sizes (see `Tensor.split`).
 *
 * ```ts
 * const x = torch.arange(6).reshape(2, 3);
 * const [a, b] = torch.split(x, [1, 2], 1);
 * a; // tensor([[0], [3]])
 * b; // tensor([[1, 2], [4, 5]])
 * ```
 */
export const split = (x: Tensor, splitSizeOrSections: number | readonly number[], dim?: number): Tensor[] =>
  join.split(input(x, "split()"), splitSizeOrSections, dim);

/**
 * `torch.chunk(input, chunks, dim = 0)`: `chunks` views of `input` along `dim` (see
 * `Tensor.chunk`).
 *
 * ```ts
 * const [first, second] = torch.chunk(torch.arange(4), 2);
 * second; // tensor([2, 3])
 * ```
 */
export const chunk = (x: Tensor, chunks: number, dim?: number): Tensor[] => join.chunk(input(x, "chunk()"), chunks, dim);

/**
 * `torch.gather(input, dim, index)`: `input` values along `dim` at `index` (int32; see
 * `Tensor.gather`).
 *
 * ```ts
 * const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
 * torch.gather(x, 1, torch.tensor([[0], [2]], { dtype: "int32" })); // tensor([[1.], [6.]])
 * ```
 */
export const gather = (x: Tensor, dim: number, index: Tensor): Tensor => gs.gather(input(x, "gather()"), dim, index);

/**
 * `torch.scatter(input, dim, index, src)`: a copy of `input` with `src` (a tensor or a
 * number) written at `index` along `dim` (see `Tensor.scatter`; PyTorch's `reduce` argument
 * is not supported).
 *
 * ```ts
 * torch.scatter(torch.zeros([2, 3]), 1, torch.tensor([[2], [0]], { dtype: "int32" }), 1); // tensor([[0., 0., 1.], [1., 0., 0.]])
 * ```
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, ...rest: never[]): Tensor {
  gs.noReduce(rest, "scatter()");
  return gs.scatter(input(x, "scatter()"), dim, index, src);
}

/**
 * `torch.scatter_add(input, dim, index, src)`: a copy of `input` with `src` added at
 * `index` along `dim` (repeated indices add up).
 *
 * ```ts
 * torch.scatterAdd(torch.zeros([3]), 0, torch.tensor([0, 0, 2], { dtype: "int32" }), torch.ones([3])); // tensor([2., 0., 1.])
 * ```
 */
export const scatterAdd = (x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor =>
  gs.scatterAdd(input(x, "scatterAdd()"), dim, index, src);

/**
 * `torch.index_select(input, dim, index)`: the entries of `input` along `dim` at a 1-D
 * int32 `index`.
 *
 * ```ts
 * torch.indexSelect(torch.tensor([10, 20, 30]), 0, torch.tensor([2, 0], { dtype: "int32" })); // tensor([30., 10.])
 * ```
 */
export const indexSelect = (x: Tensor, dim: number, index: Tensor): Tensor => gs.indexSelect(input(x, "indexSelect()"), dim, index);
