// Memory: growth keeps live tensors intact; a long loop with no cleanup calls stays flat;
// released tensors fail loudly; tidy and noGrad release what they made.
import * as torch from "../../build/torchlet.js";
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

class TestNet extends torch.nn.Module {
  hidden = new torch.nn.Linear(13, 10);
  act = new torch.nn.ReLU();
  out = new torch.nn.Linear(10, 1);
  forward(x: torch.Tensor): torch.Tensor {
    return this.out.forward(this.act.forward(this.hidden.forward(x)));
  }
}

export const tests: Record<string, () => void> = {
  "memory: growth past the initial memory keeps every live tensor intact": () => {
    const before = torch.memory().bytesReserved;
    const keep = Array.from({ length: 8 }, (_, i) => torch.full([1000], i + 0.5));
    const big = torch.tidy(() => {
      // 8 × 4 MiB: well past the 16 MiB initial memory
      const blocks = Array.from({ length: 8 }, (_, i) => torch.full([1 << 20], i));
      return blocks.map((b) => b.sum().item());
    });
    assert(torch.memory().bytesReserved > before, `memory grew (${before} → ${torch.memory().bytesReserved})`);
    keep.forEach((t, i) => assertClose(t.toArray(), new Array(1000).fill(i + 0.5), `tensor ${i} after growth`));
    assertEqual(big, [0, 1 << 20, 2 << 20, 3 << 20, 4 << 20, 5 << 20, 6 << 20, 7 << 20], "sums of the big blocks");
    const y = keep[3].mul(2);
    assertClose(y.toArray(), new Array(1000).fill(7), "ops after growth");
  },

  "memory: 10,000 forward/backward/update passes with no cleanup calls stay flat": () => {
    torch.manualSeed(1);
    const net = new TestNet();
    const lossFn = new torch.nn.MSELoss();
    const x = torch.randn([32, 13]);
    const y = torch.randn([32, 1]);
    let mark = { bytesInUse: 0, tensors: 0 };
    for (let i = 0; i < 10_000; i++) {
      net.zeroGrad();
      const loss = lossFn.forward(net.forward(x), y);
      loss.backward();
      torch.noGrad(() => {
        for (const p of net.parameters()) p.sub_(p.grad!.mul(0.01));
      });
      if (i === 100) mark = torch.memory();
    }
    const end = torch.memory();
    assertEqual(end.bytesInUse, mark.bytesInUse, "bytesInUse after 10,000 iterations equals bytesInUse after 100");
    assertEqual(end.tensors, mark.tensors, "live tensor count likewise");
    assertClose(x.toArray().length, 32 * 13, "the data tensor used every iteration is still live");
  },

  "memory: per-iteration input tensors created in the loop are reclaimed too": () => {
    const net = new TestNet();
    let mark = 0;
    for (let i = 0; i < 2000; i++) {
      const xb = torch.tensor(new Float32Array(8 * 13).fill(i % 7), { shape: [8, 13] });
      const yb = torch.zeros([8, 1]);
      net.zeroGrad();
      torch.nn.functional.mseLoss(net.forward(xb), yb).backward();
      if (i === 50) mark = torch.memory().bytesInUse;
    }
    assertEqual(torch.memory().bytesInUse, mark, "bytesInUse flat");
  },

  "memory: a released tensor says why and how to keep it": () => {
    const a = torch.ones([3]);
    a.dispose();
    assertThrows(() => a.add(1), /disposed.*\.keep\(\)|disposed/);
    assertThrows(() => a.toArray(), /disposed/);
    let inner: torch.Tensor | null = null;
    const kept = torch.tidy(() => {
      inner = torch.ones([2]).mul(3);
      return torch.ones([2]).mul(4);
    });
    assertThrows(() => inner!.toArray(), /tidy/);
    assertClose(kept.toArray(), [4, 4], "tidy's result survives");
    const before = torch.memory().tensors;
    torch.noGrad(() => { torch.ones([5]).add(1).mul(2); });
    assertEqual(torch.memory().tensors, before, "noGrad released its temporaries");
  },

  "memory: dispose frees bytes; memory() counts live tensors": () => {
    const m0 = torch.memory();
    const t = torch.zeros([1000]);
    const m1 = torch.memory();
    assertEqual(m1.tensors - m0.tensors, 1, "one more tensor");
    assertEqual(m1.bytesInUse - m0.bytesInUse, 4000, "4000 more bytes");
    t.dispose();
    assertEqual(torch.memory().bytesInUse, m0.bytesInUse, "bytes back after dispose");
  },
};
