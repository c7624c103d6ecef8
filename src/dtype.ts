// The dtypes: float32 (the default, the only one that carries grad), int32 (indices: what
// PyTorch holds as int64, narrowed to wasm32's natural word) and bool (one byte).

/**
 * The element types: `"float32"` (the default, the only one that carries grad), `"int32"`
 * (indices and counts: what PyTorch holds as int64, narrowed to wasm32's natural word) and
 * `"bool"` (one byte). PyTorch's promotion applies between them (bool < int32 < float32).
 *
 * ```ts
 * const dt: torch.DType = "int32";
 * const i = torch.tensor([1, 2], { dtype: dt });
 * i.add(0.5).dtype;  // "float32"
 * i.add(1).dtype;    // "int32"
 * i.gt(1).dtype;     // "bool"
 * ```
 */
export type DType = "float32" | "int32" | "bool";

export const DTYPES: readonly DType[] = ["float32", "int32", "bool"];

export function itemSize(d: DType): number {
  return d === "bool" ? 1 : 4;
}

/** The kernels' code for a dtype (assembly/copy.ts's cast kinds). */
export function dtypeCode(d: DType): number {
  return d === "float32" ? 0 : d === "int32" ? 1 : 2;
}

export function isDType(v: unknown): v is DType {
  return v === "float32" || v === "int32" || v === "bool";
}

export function checkDType(v: unknown, where: string): DType {
  if (isDType(v)) return v;
  throw new TypeError(`${where}: dtype must be "float32", "int32" or "bool", got ${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
}

/** PyTorch's promotion between tensor dtypes: bool < int32 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === "float32" || b === "float32") return "float32";
  if (a === "int32" || b === "int32") return "int32";
  return "bool";
}

/**
 * The result dtype of a tensor with a JS number (PyTorch's scalar promotion: a whole
 * number counts as a Python int, anything else as a float).
 */
export function promoteScalar(a: DType, v: number): DType {
  if (a === "float32" || !Number.isInteger(v)) return "float32";
  return a === "bool" ? "int32" : a;
}
