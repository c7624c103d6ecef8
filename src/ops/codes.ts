// Op codes shared with assembly/elementwise.ts and assembly/unary.ts.
export const enum Bin { ADD = 0, SUB = 1, MUL = 2, DIV = 3, TAKE_A = 4 }
export const enum Un {
  NEG = 0, EXP = 1, LOG = 2, SQRT = 3, ABS = 4, RELU = 5, SIGMOID = 6, TANH = 7, POW = 8,
  ADDS = 9, MULS = 10, RSUB = 11, RDIV = 12, FILL = 13, COPY = 14, DIVS = 15,
}
