// The indexing walk (assembly/indexing.ts) against plain-JS references at lengths 0, 1, 3,
// 4, 5, 15, 16, 17 and 1023, for every mode (gather, put, accumulate) and dtype, with
// operands that alias the written tensor (t[i] = t[j], scatter_ of t into itself).
import * as torch from "../../build/torchlet.js";
import { assertClose, assertEqual } from "./assert.ts";

const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1023];

/** A deterministic sequence (independent of torchlet's generator). */
function lcg(seed: number): () => number {
  let x = (seed * 2654435761) >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

function floats(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => r() * 4 - 2);
}

/** n indices into a dim of `size`, some negative (wrapping), many repeated. */
function indices(n: number, size: number, seed: number, negative = true): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => {
    const i = Math.floor(r() * size);
    return negative && r() < 0.3 ? i - size : i;
  });
}

const wrap = (i: number, size: number) => (i < 0 ? i + size : i);
const f32 = Math.fround;

export const tests: Record<string, () => void> = {
  "kernel: index gather and its accumulating backward at every length": () => {
    for (const n of LENGTHS) {
      const size = Math.max(n, 1);
      const xs = floats(size, n + 1);
      const ix = indices(n, size, n + 2);
      const x = torch.tensor(xs, { requiresGrad: true });
      const y = x.index(ix);
      assertClose(y.toArray(), ix.map((i) => xs[wrap(i, size)]), `x[idx], n=${n}`);
      const g = floats(n, n + 3);
      y.backward(torch.tensor(g));
      const want = new Array<number>(size).fill(0);
      ix.forEach((i, k) => { want[wrap(i, size)] = f32(want[wrap(i, size)] + g[k]); });
      assertClose(x.grad!.toArray(), want, `grad of x[idx] (repeats add up), n=${n}`);
    }
  },

  "kernel: indexPut_ put and accumulate, float32, int32 and bool": () => {
    for (const n of LENGTHS) {
      const size = Math.max(n, 1);
      const ix = indices(n, size, n + 4);
      const vs = floats(n, n + 5);
      const base = floats(size, n + 6);
      const put = torch.tensor(base);
      put.indexPut_([ix], torch.tensor(vs));
      const wantPut = Array.from(base);
      ix.forEach((i, k) => { wantPut[wrap(i, size)] = vs[k]; }); // last write wins, as PyTorch's serial loop
      assertClose(put.toArray(), wantPut, `put, n=${n}`);
      const acc = torch.tensor(base);
      acc.indexPut_([torch.tensor(ix, { dtype: "int32" })], torch.tensor(vs), { accumulate: true });
      const wantAcc = Array.from(base);
      ix.forEach((i, k) => { wantAcc[wrap(i, size)] = f32(wantAcc[wrap(i, size)] + vs[k]); });
      assertClose(acc.toArray(), wantAcc, `accumulate, n=${n}`);
      const ints = torch.zeros([size], { dtype: "int32" });
      ints.indexPut_([ix], torch.tensor(ix.map((_, k) => k), { dtype: "int32" }), { accumulate: true });
      const wantInt = new Array<number>(size).fill(0);
      ix.forEach((i, k) => { wantInt[wrap(i, size)] += k; });
      assertEqual(Array.from(ints.toArray()), wantInt, `int32 accumulate, n=${n}`);
      const bools = torch.zeros([size], { dtype: "bool" });
      bools.indexPut_([ix], true);
      const wantBool = new Array<number>(size).fill(0);
      ix.forEach((i) => { wantBool[wrap(i, size)] = 1; });
      assertEqual(Array.from(bools.toArray()), wantBool, `bool put, n=${n}`);
    }
  },

  "kernel: gather, scatterAdd and indexSelect along dim 1 at every length": () => {
    for (const n of LENGTHS) {
      const cols = Math.max(n, 1);
      const xs = floats(2 * cols, n + 7);
      const x = torch.tensor(xs, { shape: [2, cols] });
      const ix = indices(2 * n, cols, n + 8, false);
      const index = torch.tensor(ix, { dtype: "int32", shape: [2, n] });
      const g = x.gather(1, index);
      assertClose(g.toArray(), ix.map((c, k) => xs[Math.floor(k / Math.max(n, 1)) * cols + c]), `gather, n=${n}`);
      const src = torch.tensor(floats(2 * n, n + 9), { shape: [2, n] });
      const sa = x.scatterAdd(1, index, src);
      const want = Array.from(xs);
      const sv = src.toArray();
      ix.forEach((c, k) => { const r = Math.floor(k / n); want[r * cols + c] = f32(want[r * cols + c] + sv[k]); });
      assertClose(sa.toArray(), want, `scatterAdd, n=${n}`);
      const sel = x.indexSelect(1, torch.tensor(ix.slice(0, n), { dtype: "int32" }));
      assertClose(sel.toArray(), [0, 1].flatMap((r) => ix.slice(0, n).map((c) => xs[r * cols + c])), `indexSelect, n=${n}`);
    }
  },

  "kernel: writes whose value aliases the written tensor": () => {
    for (const n of LENGTHS) {
      const xs = floats(2 * n, n + 10);
      // t[n:] = t[:n]: the value is a view of t (read from a copy, as PyTorch's overlap check requires)
      const t = torch.tensor(xs);
      t.indexPut_([`${n}:`], t.index(`:${n}`));
      assertClose(t.toArray(), [...xs.slice(0, n), ...xs.slice(0, n)], `t[n:] = t[:n], n=${n}`);
      // t[rev] = t: every element moves, reading from t itself
      const u = torch.tensor(xs);
      const rev = Array.from({ length: 2 * n }, (_, i) => 2 * n - 1 - i);
      u.indexPut_([rev], u);
      assertClose(u.toArray(), Array.from(xs).reverse(), `t[reversed] = t, n=${n}`);
      // scatter_ of t into itself along a permutation
      const w = torch.tensor(xs);
      w.scatter_(0, torch.tensor(rev, { dtype: "int32" }), w);
      assertClose(w.toArray(), Array.from(xs).reverse(), `t.scatter_(0, rev, t), n=${n}`);
    }
  },

  "kernel: bool masks (nonzero) at every length": () => {
    for (const n of LENGTHS) {
      const xs = floats(n, n + 11);
      const x = torch.tensor(xs);
      const mask = x.index(torch.tensor(Array.from(xs, (v) => v > 0), { dtype: "bool" }));
      assertClose(mask.toArray(), Array.from(xs).filter((v) => v > 0), `x[x > 0], n=${n}`);
      const cols = 3;
      const m2 = torch.tensor(Array.from({ length: n * cols }, (_, i) => (i * 7) % 3 === 0), { shape: [n, cols], dtype: "bool" });
      const y = torch.tensor(floats(n * cols, n + 12), { shape: [n, cols], dtype: "bool" });
      const yv = y.toArray();
      const picked = y.index(m2);
      assertClose(picked.toArray(), Array.from(yv).filter((_, i) => (i * 7) % 3 === 0), `2-D mask, n=${n}`);
    }
  },

  "kernel: cat and stack of many pieces": () => {
    for (const n of LENGTHS) {
      const a = floats(n, n + 13), b = floats(2 * n, n + 14);
      const c = torch.cat([torch.tensor(a), torch.tensor(b)]);
      assertClose(c.toArray(), [...a, ...b], `cat, n=${n}`);
      const s = torch.stack([torch.tensor(a), torch.tensor(b.slice(0, n))], 1);
      assertClose(s.toArray(), Array.from(a).flatMap((v, i) => [v, b[i]]), `stack dim 1, n=${n}`);
    }
  },
};
