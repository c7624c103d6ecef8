// Core timings: bundle size, import time, a 784×256 · 256×10 matmul (and its transposed
// forms from a dense layer's backward), a 512³ matmul, and the seed's 13-10-1 training
// step — beside plain-JS Float32Array versions of the same computation, in the same run.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { time, table, fmtMs } from "./util.mjs";

const bundle = readFileSync(new URL("../build/torchlet.js", import.meta.url));
const importMs = Number(execFileSync(process.execPath, ["-e",
  `const t0=performance.now(); import(${JSON.stringify(new URL("../build/torchlet.js", import.meta.url).href)}).then(()=>console.log(performance.now()-t0))`]).toString());
const torch = await import("../build/torchlet.js");

function jsMatmul(a, b, c, M, K, N) {
  c.fill(0);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) {
    const av = a[i * K + k];
    const bo = k * N, co = i * N;
    for (let j = 0; j < N; j++) c[co + j] += av * b[bo + j];
  }
}

const rows = [["work", "torchlet", "plain JS", "speed-up"]];
function mmRow(M, K, N) {
  const A = torch.randn([M, K]).keep(), B = torch.randn([K, N]).keep();
  const tl = time(() => torch.tidy(() => { A.matmul(B); }));
  const a = A.toArray(), b = B.toArray(), c = new Float32Array(M * N);
  const js = time(() => jsMatmul(a, b, c, M, K, N));
  const gflops = (2 * M * K * N) / (tl * 1e6);
  rows.push([`matmul ${M}×${K} · ${K}×${N} (${gflops.toFixed(1)} GFLOP/s)`, fmtMs(tl), fmtMs(js), `${(js / tl).toFixed(1)}×`]);
}
// The small net first: the big products below grow wasm memory, and a grow detaches the
// old buffer, which slows every typed-array loop in the process afterwards (DESIGN.md).
// The seed's 13-10-1 network, batch 32: forward, MSE, backward (no optimizer step).
{
  torch.manualSeed(0);
  const net = new torch.nn.Sequential(new torch.nn.Linear(13, 10), new torch.nn.ReLU(), new torch.nn.Linear(10, 1));
  const lossFn = new torch.nn.MSELoss();
  const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
  const tl = time(() => {
    net.zeroGrad();
    lossFn.forward(net.forward(x), y).backward();
  });
  // Hand-written plain JS of the same forward + backward.
  const W1 = new Float32Array(130).map(() => Math.random() - 0.5), b1 = new Float32Array(10);
  const W2 = new Float32Array(10).map(() => Math.random() - 0.5), b2 = new Float32Array(1);
  const X = x.toArray(), Y = y.toArray();
  const H = new Float32Array(320), O = new Float32Array(32), dO = new Float32Array(32), dH = new Float32Array(320);
  const gW1 = new Float32Array(130), gb1 = new Float32Array(10), gW2 = new Float32Array(10), gb2 = new Float32Array(1);
  const fwdBwd = () => {
    for (let n = 0; n < 32; n++) {
      let o = b2[0];
      for (let j = 0; j < 10; j++) {
        let h = b1[j];
        for (let k = 0; k < 13; k++) h += X[n * 13 + k] * W1[j * 13 + k];
        h = h > 0 ? h : 0;
        H[n * 10 + j] = h;
        o += h * W2[j];
      }
      O[n] = o;
      dO[n] = (2 * (o - Y[n])) / 32;
    }
    gW1.fill(0); gb1.fill(0); gW2.fill(0); gb2[0] = 0;
    for (let n = 0; n < 32; n++) {
      gb2[0] += dO[n];
      for (let j = 0; j < 10; j++) {
        gW2[j] += dO[n] * H[n * 10 + j];
        const dh = H[n * 10 + j] > 0 ? dO[n] * W2[j] : 0;
        dH[n * 10 + j] = dh;
        gb1[j] += dh;
        for (let k = 0; k < 13; k++) gW1[j * 13 + k] += dh * X[n * 13 + k];
      }
    }
  };
  const js = time(fwdBwd);
  rows.push(["13-10-1 batch 32 forward + MSE + backward", fmtMs(tl), fmtMs(js), `${(js / tl).toFixed(2)}×`]);
  // The whole training step with Adam (PyTorch's defaults) in both.
  const opt = new torch.optim.Adam(net.parameters(), { lr: 1e-3 });
  const tlStep = time(() => {
    opt.zeroGrad();
    lossFn.forward(net.forward(x), y).backward();
    opt.step();
  });
  const params = [W1, b1, W2, b2], gradsJs = [gW1, gb1, gW2, gb2];
  const m = params.map((p) => new Float32Array(p.length)), v = params.map((p) => new Float32Array(p.length));
  let t = 0;
  const jsStep = time(() => {
    fwdBwd();
    t++;
    const bc1 = 1 - 0.9 ** t, bc2 = Math.sqrt(1 - 0.999 ** t), stepSize = 1e-3 / bc1;
    for (let q = 0; q < 4; q++) {
      const p = params[q], g = gradsJs[q], mq = m[q], vq = v[q];
      for (let i = 0; i < p.length; i++) {
        mq[i] += 0.1 * (g[i] - mq[i]);
        vq[i] = 0.999 * vq[i] + 0.001 * g[i] * g[i];
        p[i] -= (stepSize * mq[i]) / (Math.sqrt(vq[i]) / bc2 + 1e-8);
      }
    }
  });
  rows.push(["13-10-1 batch 32 train step (forward, MSE, backward, Adam)", fmtMs(tlStep), fmtMs(jsStep), `${(jsStep / tlStep).toFixed(2)}×`]);
}

// The 784-256-10 MLP, batch 64: a full training step (zeroGrad, forward, cross-entropy,
// backward, Adam), the size where per-step memory traffic, not host overhead, shows.
{
  torch.manualSeed(0);
  const net = new torch.nn.Sequential(new torch.nn.Linear(784, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
  const lossFn = new torch.nn.CrossEntropyLoss();
  const x = torch.randn([64, 784]);
  const y = Array.from({ length: 64 }, (_, i) => (i * 7) % 10);
  const opt = new torch.optim.Adam(net.parameters(), { lr: 1e-3 });
  const tl = time(() => {
    opt.zeroGrad();
    lossFn.forward(net.forward(x), y).backward();
    opt.step();
  });
  rows.push(["784-256-10 batch 64 train step (forward, cross-entropy, backward, Adam)", fmtMs(tl), "", ""]);
}

mmRow(784, 256, 10);
mmRow(512, 512, 512);

// Aᵀ·B and A·Bᵀ at 512³ through a Linear's backward: dW = gᵀ·x, dx = g·W.
{
  const x = torch.randn([512, 512]).keep();
  const w = torch.randn([512, 512], { requiresGrad: true });
  const g = torch.randn([512, 512]).keep();
  const fwd = time(() => torch.tidy(() => { torch.nn.functional.linear(x, w); }), { runs: 9 });
  const fb = time(() => torch.tidy(() => { w.grad = null; torch.nn.functional.linear(x, w).backward(g); }), { runs: 9 });
  rows.push([`linear 512³ forward, A·Bᵀ (${((2 * 512 ** 3) / (fwd * 1e6)).toFixed(1)} GFLOP/s)`, fmtMs(fwd), "", ""]);
  rows.push([`linear 512³ backward, dx = g·W and dW = gᵀ·x (${((4 * 512 ** 3) / ((fb - fwd) * 1e6)).toFixed(1)} GFLOP/s)`, fmtMs(fb - fwd), "", ""]);
}

console.log(`bundle build/torchlet.js: ${bundle.length} bytes, ${gzipSync(bundle).length} gzip`);
console.log(`import + ready (cold, fresh Node process): ${importMs.toFixed(1)} ms\n`);
table(rows);
