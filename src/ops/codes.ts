// Op codes shared with the kernels in assembly/ (elementwise.ts, unary.ts, compare.ts, math.ts).
export const enum Bin { ADD = 0, SUB = 1, MUL = 2, DIV = 3, TAKE_A = 4 }
export const enum Un {
  NEG = 0, EXP = 1, LOG = 2, SQRT = 3, ABS = 4, RELU = 5, SIGMOID = 6, TANH = 7, POW = 8,
  ADDS = 9, MULS = 10, RSUB = 11, RDIV = 12, FILL = 13, COPY = 14, DIVS = 15,
  SQUARE = 16, RSQRT = 17, RECIPROCAL = 18, SIGN = 19, FLOOR = 20, CEIL = 21, ROUND = 22, TRUNC = 23,
  SIN = 24, COS = 25, LOG1P = 26, EXPM1 = 27, LOG2 = 28,
}
// assembly/compare.ts: comparisons and logical ops into bool.
export const enum Cmp { EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5, AND = 6, OR = 7, XOR = 8 }
// assembly/math.ts: binaryMath ops and unaryInt ops.
export const enum Mth { MAX = 0, MIN = 1, POW = 2 }
export const enum IntUn { NEG = 0, ABS = 1, SIGN = 2, SQUARE = 3 }
