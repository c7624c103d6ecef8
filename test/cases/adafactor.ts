// Adafactor's kernel against a plain-JS reference of PyTorch's op order (every float32
// operation rounded with Math.fround, the norms and the mean summed in f64 as the kernel sums
// them; lerp and the update's a·b + c rounded twice, as the kernel rounds them), bit for bit, on vectors of the SIMD-tail lengths and on matrices and batches of matrices whose
// rows have SIMD bodies and tails. The fixtures check the same formulas against PyTorch on
// small tensors (within the tolerance: PyTorch sums its norms in f32, in another order).
import * as torch from "../../build/torchlet.js";
import { assertEqual } from "./assert.ts";
import { values } from "./optimizer_kernels.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const f = Math.fround;
/** PyTorch's lerp with a float32 weight, its multiply-add rounded twice. */
const lerp = (self: number, end: number, w: number): number =>
  Math.abs(w) < 0.5 ? f(self + f(w * f(end - self))) : f(end + f(f(w - 1) * f(end - self)));
/** norm(…).square_().div_(n), each rounded to float32. */
const meanSquare = (sum: number, n: number): number => f(f(f(Math.sqrt(sum)) ** 2) / f(n));
const scaled = (v: number, g: number, eps1Sq: number): number => f(f(1 / f(Math.sqrt(v < eps1Sq ? eps1Sq : v))) * g);

interface State { step: number; rowVar?: Float32Array; colVar?: Float32Array; variance?: Float32Array }

/** One step of PyTorch's _single_tensor_adafactor on p (shape `shape`), as the kernel orders it. */
function reference(o: Any, shape: number[], p: Float32Array, grad: Float32Array, st: State): void {
  const t = (st.step += 1);
  const w = f(t ** o.beta2Decay), eps1 = o.eps[0] ?? 2 ** -23, eps1Sq = f(eps1 * eps1), e1 = f(eps1);
  const g = grad.map((x) => (o.maximize ? -x : x));
  const n = p.length;
  const rms = f(Math.sqrt(p.reduce((s, x) => s + x * x, 0))) / Math.sqrt(n);
  const alpha = (rms > o.eps[1] ? rms : o.eps[1]) * Math.min(o.lr, 1 / Math.sqrt(t));
  const decay = o.weightDecay !== 0 ? f(1 - o.lr * o.weightDecay) : 1;
  const u = new Float32Array(n);
  if (shape.length > 1) {
    const R = shape[shape.length - 2], C = shape[shape.length - 1];
    st.rowVar ??= new Float32Array(n / C);
    st.colVar ??= new Float32Array(n / R);
    for (let b = 0; b < n / (R * C); b++) {
      const at = (i: number, j: number) => b * R * C + i * C + j;
      for (let i = 0; i < R; i++) {
        let s = 0;
        for (let j = 0; j < C; j++) s += g[at(i, j)] ** 2;
        st.rowVar[b * R + i] = lerp(st.rowVar[b * R + i], meanSquare(s, C), w);
      }
      for (let j = 0; j < C; j++) {
        let s = 0;
        for (let i = 0; i < R; i++) s += g[at(i, j)] ** 2;
        st.colVar[b * C + j] = lerp(st.colVar[b * C + j], meanSquare(s, R), w);
      }
      let sum = 0;
      for (let i = 0; i < R; i++) sum += st.rowVar[b * R + i];
      let mean = f(f(sum) / f(R));
      if (mean < e1) mean = e1;
      for (let i = 0; i < R; i++) {
        for (let j = 0; j < C; j++) {
          u[at(i, j)] = scaled(f(f(st.rowVar[b * R + i] * st.colVar[b * C + j]) / mean), g[at(i, j)], eps1Sq);
        }
      }
    }
  } else {
    st.variance ??= new Float32Array(n);
    for (let i = 0; i < n; i++) {
      st.variance[i] = lerp(st.variance[i], f(g[i] * g[i]), w);
      u[i] = scaled(st.variance[i], g[i], eps1Sq);
    }
  }
  const ratio = f(Math.sqrt(u.reduce((s, x) => s + x * x, 0))) / (Math.sqrt(n) * o.d);
  const stepScale = f(-alpha / (ratio > 1 ? ratio : 1));
  for (let i = 0; i < n; i++) p[i] = f(f(p[i] * decay) + f(stepScale * u[i]));
}

const BASE = { lr: 0.05, beta2Decay: -0.8, eps: [null, 1e-3], d: 1, weightDecay: 0, maximize: false };
const MIXES = [BASE, { ...BASE, beta2Decay: -0.5, eps: [1e-3, 1e-2], d: 1.2, weightDecay: 0.1, maximize: true }];
const SHAPES = [
  ...[0, 1, 3, 4, 5, 15, 16, 17, 1023].map((n) => [n]),
  [3, 1], [3, 4], [3, 5], [2, 17], [5, 1023], [2, 3, 9], [4, 2, 4], [],
];

export const tests: Record<string, () => void> = {};

MIXES.forEach((o, mi) => {
  tests[`Adafactor kernel equals a float32 reference, mix ${mi}, vectors, matrices and batches of matrices`] = () => {
    for (const shape of SHAPES) {
      const n = shape.reduce((a, b) => a * b, 1);
      const p = torch.tensor(values(n, n + 1), { shape, requiresGrad: true });
      const opt = new torch.optim.Adafactor([p], o);
      const want = values(n, n + 1);
      const st: State = { step: 0 };
      for (let t = 0; t < 8; t++) {
        const g = values(n, 100 * (t + 1) + n);
        p.grad = torch.tensor(g, { shape });
        opt.step();
        reference(o, shape, want, g, st);
        assertEqual(p.toArray(), want, `Adafactor mix ${mi}, shape [${shape}], step ${t + 1}`);
      }
      const saved = opt.stateDict().state[0];
      for (const k of ["rowVar", "colVar", "variance"] as const) {
        if (st[k] !== undefined) assertEqual(Float32Array.from(saved[k]), st[k], `Adafactor mix ${mi}, shape [${shape}]: ${k}`);
      }
    }
  };
});

tests["Adafactor's state has PyTorch's shapes: [..., R, 1] and [..., 1, C] for matrices, the param's for vectors"] = () => {
  const ps = [[2, 3, 4], [5, 1], [6], []].map((s) => torch.zeros(s, { requiresGrad: true }));
  const opt = new torch.optim.Adafactor(ps);
  for (const p of ps) p.grad = torch.onesLike(p);
  opt.step();
  const shapes = ps.map((p) => Object.entries(opt.state.get(p)).map(([k, v]) => [k, v instanceof torch.Tensor ? v.shape : v]));
  assertEqual(shapes, [
    [["step", 1], ["rowVar", [2, 3, 1]], ["colVar", [2, 1, 4]]],
    [["step", 1], ["rowVar", [5, 1]], ["colVar", [1, 1]]],
    [["step", 1], ["variance", [6]]],
    [["step", 1], ["variance", []]],
  ], "state entries and shapes");
  // and so after a round trip through a state dict
  const again = new torch.optim.Adafactor(ps);
  again.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())));
  assertEqual(ps.map((p) => Object.values(again.state.get(p)).map((v: Any) => (v instanceof torch.Tensor ? v.shape : v))),
    shapes.map((entries) => entries.map(([, v]) => v)), "shapes after loadStateDict");
};
