// The same seed and inputs give bit-identical parameters in every runtime: 100 Adam steps of a
// small network (seeded randn init and data, tanh, MSE, backward, a fused Adam step), hashed
// with FNV-1a over the parameters' float32 bytes (little-endian), against a committed hash.
// The same file runs in Node, Deno and Chromium; a hash that differs in one of them means a
// result that depends on the runtime. (A change that alters the arithmetic on purpose, say
// in the kernels or the random generator, changes the hash: commit the new one it prints.)
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const HASH = "a4a70ca2";

/** 32-bit FNV-1a over the little-endian bytes of float32 values. */
export function fnv1a(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new DataView(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < a.byteLength; i++) {
      h ^= bytes.getUint8(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, "0");
}

function train(): { params: Float32Array[]; losses: number[] } {
  torch.manualSeed(20240611);
  const F: Any = torch.nn.functional;
  const w1 = torch.randn([8, 4], { requiresGrad: true }), b1 = torch.zeros([8], { requiresGrad: true });
  const w2 = torch.randn([1, 8], { requiresGrad: true }), b2 = torch.zeros([1], { requiresGrad: true });
  const x = torch.randn([16, 4]).keep(), y = torch.randn([16, 1]).keep();
  const params = [w1, b1, w2, b2];
  const opt = new torch.optim.Adam(params, { lr: 0.01, weightDecay: 1e-3, amsgrad: true });
  const losses: number[] = [];
  for (let step = 0; step < 100; step++) {
    opt.zeroGrad();
    const loss = F.mseLoss(F.linear(F.linear(x, w1, b1).tanh(), w2, b2), y);
    losses.push(loss.item());
    loss.backward();
    opt.step();
  }
  return { params: params.map((p) => p.toArray()), losses };
}

export const tests: Record<string, () => void> = {
  "100 Adam steps from one seed give the committed FNV-1a hash of the parameters (every runtime)": () => {
    const { params, losses } = train();
    // a hash of a run that went nowhere (NaN, or no learning) would be as deterministic
    assert(params.every((p) => p.every(Number.isFinite)) && losses[99] < 0.5 * losses[0],
      `the run learns: loss ${losses[0]} → ${losses[99]}`);
    assertEqual(fnv1a(train().params), fnv1a(params), "two runs in this runtime");
    assertEqual(fnv1a(params), HASH, "the parameters' hash");
  },
};
