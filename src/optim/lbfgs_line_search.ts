// LBFGS's strong-Wolfe line search, torch/optim/lbfgs.py's _strong_wolfe and
// _cubic_interpolate line by line. The scalars keep PyTorch's kinds (py_scalar.ts): step
// lengths start as Python floats (or a tensor, with a tensor lr) and become float32 tensors
// once computed from a directional derivative, which always is one (a dot product); losses
// are Python floats. Gradient vectors are copied between fixed buffers where PyTorch clones
// tensors.
import type { Tensor } from "../tensor.js";
import * as flat from "../ops/flat.js";
import { F32, type Py, abs, add, div, ge, gt, le, lt, max, min, mul, sqrt, square, sub } from "./py_scalar.js";

/** What the line search needs of the optimizer. */
export interface LineSearchProblem {
  /** The loss at x + t·d and its flat gradient (into `g`); the parameters are left at x. */
  evaluate(t: Py, g: Tensor): number;
  /** Scratch vectors of the parameters' size, by name (made once). */
  buf(name: string): Tensor;
}

/** _cubic_interpolate: the minimiser of the cubic through two points with values and derivatives, within the bounds. */
export function cubicInterpolate(x1: Py, f1: number, g1: F32, x2: Py, f2: number, g2: F32, bounds?: [Py, Py]): Py {
  const [lo, hi] = bounds ?? (le(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = sub(add(g1, g2), div(3 * (f1 - f2), sub(x1, x2))) as F32;
  const d2Square = sub(square(d1), mul(g1, g2)) as F32;
  if (ge(d2Square, 0)) {
    const d2 = sqrt(d2Square);
    const minPos = le(x1, x2)
      ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(2, d2)))))
      : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(2, d2)))));
    return min(max(minPos, lo), hi);
  }
  return div(add(lo, hi), 2.0);
}

/**
 * _strong_wolfe (c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9: LBFGS.step does not pass the
 * group's). `g` is the flat gradient at x (t = 0) and gets the one at the accepted step;
 * returns that step's loss, its length and the evaluations made.
 */
export function strongWolfe(problem: LineSearchProblem, t: Py, d: Tensor, f: number, g: Tensor, gtd: F32,
  maxLs: number): { f: number; t: Py; evals: number } {
  const c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9;
  const dot = (a: Tensor, b: Tensor) => new F32(flat.dot(a, b));
  const dNorm = new F32(flat.normAccum(d, Infinity));
  const gNew = problem.buf("gNew"), gPrevBuf = problem.buf("gPrev");
  const B = [problem.buf("bracketG0"), problem.buf("bracketG1")];
  let fNew = problem.evaluate(t, gNew);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  // f + c1·t·gtd, the sufficient decrease (Armijo) bound
  const armijo = (step: Py) => add(f, mul(mul(c1, step), gtd));

  let tPrev: Py = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Py[] = [], bracketF: number[] = [], bracketGtd: F32[] = [];
  const bracketPair = (): void => {
    bracket = [tPrev, t];
    bracketF = [fPrev, fNew];
    flat.copyInto(B[0], gPrev);
    flat.copyInto(B[1], gNew);
    bracketGtd = [gtdPrev, gtdNew];
  };
  while (lsIter < maxLs) {
    if (gt(fNew, armijo(t)) || (lsIter > 1 && fNew >= fPrev)) { bracketPair(); break; }
    if (le(abs(gtdNew), mul(-c2, gtd))) {
      bracket = [t];
      bracketF = [fNew];
      flat.copyInto(B[0], gNew);
      done = true;
      break;
    }
    if (ge(gtdNew, 0)) { bracketPair(); break; }
    // interpolate
    const minStep = add(t, mul(0.01, sub(t, tPrev)));
    const maxStep = mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    // next step
    tPrev = tmp;
    fPrev = fNew;
    flat.copyInto(gPrevBuf, gNew);
    gPrev = gPrevBuf;
    gtdPrev = gtdNew;
    fNew = problem.evaluate(t, gNew);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter >= maxLs) { // reached max number of iterations
    bracket = [0, t];
    bracketF = [f, fNew];
    flat.copyInto(B[0], g);
    flat.copyInto(B[1], gNew);
  }

  // zoom: refine the bracket until a point satisfies the conditions
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (lt(mul(abs(sub(bracket[1], bracket[0])), dNorm), toleranceChange)) break; // the bracket is too small
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    // t too close to a boundary twice in a row (or outside): move it 0.1·width inside
    const bMax = max(bracket[0], bracket[1]), bMin = min(bracket[0], bracket[1]);
    const eps = mul(0.1, sub(bMax, bMin));
    if (lt(min(sub(bMax, t), sub(t, bMin)), eps)) {
      if (insufProgress || ge(t, bMax) || le(t, bMin)) {
        t = lt(abs(sub(t, bMax)), abs(sub(t, bMin))) ? sub(bMax, eps) : add(bMin, eps);
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;

    fNew = problem.evaluate(t, gNew);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;

    if (gt(fNew, armijo(t)) || fNew >= bracketF[lowPos]) {
      // Armijo condition not satisfied or not lower than the lowest point
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      flat.copyInto(B[highPos], gNew);
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (le(abs(gtdNew), mul(-c2, gtd))) done = true; // Wolfe conditions satisfied
      else if (ge(mul(gtdNew, sub(bracket[highPos], bracket[lowPos])), 0)) {
        // old high becomes new low
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        flat.copyInto(B[highPos], B[lowPos]);
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      // new point becomes new low
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      flat.copyInto(B[lowPos], gNew);
      bracketGtd[lowPos] = gtdNew;
    }
  }
  flat.copyInto(g, B[lowPos]);
  return { f: bracketF[lowPos], t: bracket[lowPos], evals };
}
