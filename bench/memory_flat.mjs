// Wasm memory over the three long loops of the memory tests, with no cleanup calls:
// bytes in use (and reserved) after warm-up and at the end, evictions and restores.
// node bench/memory_flat.mjs
import * as torch from "../build/torchlet.js";

const { nn, optim } = torch;
const fmt = (m) => `${m.bytesInUse} B in use, ${m.bytesReserved} B reserved`;

function seedNet() {
  return new nn.Sequential(new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU()), new nn.Linear(10, 1));
}

{
  torch.manualSeed(1);
  const model = seedNet();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 1000, gamma: 0.99 });
  const lossFn = new nn.MSELoss();
  const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
  let warm;
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
    sched.step();
    if (i === 1000) warm = torch.memory();
  }
  const end = torch.memory();
  console.log(`100,000 steps, 13-10-1 + Adam + StepLR (${((performance.now() - t0) / 1000).toFixed(1)} s): after warm-up ${fmt(warm)}; ` +
    `at the end ${fmt(end)}; ${end.evictions - warm.evictions} evictions, ${end.restores - warm.restores} restores since warm-up`);
}

{
  torch.manualSeed(2);
  const model = seedNet();
  model.eval();
  const preds = [];
  let warm, peak = 0;
  for (let i = 0; i < 20_000; i++) {
    const xi = torch.randn([1, 13]);
    preds.push(torch.noGrad(() => model.forward(xi)).item());
    if (i === 2000) warm = torch.memory();
    if (i > 2000) peak = Math.max(peak, torch.memory().bytesInUse);
  }
  const end = torch.memory();
  console.log(`20,000 predictions: after warm-up ${fmt(warm)}; peak after warm-up ${peak} B; at the end ${fmt(end)}`);
}

{
  torch.manualSeed(5);
  const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
  const lossFn = new nn.MSELoss();
  let warm, peak = 0;
  for (let trial = 0; trial < 200; trial++) {
    const model = new nn.Sequential(new nn.Linear(13, 64), new nn.ReLU(), new nn.Linear(64, 1));
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    for (let k = 0; k < 20; k++) {
      opt.zeroGrad();
      lossFn.forward(model.forward(x), y).backward();
      opt.step();
    }
    if (trial === 20) warm = torch.memory();
    if (trial > 20) peak = Math.max(peak, torch.memory().bytesInUse);
  }
  const end = torch.memory();
  console.log(`200-trial sweep (new Sequential(13, 64, 1) + Adam each): after warm-up ${fmt(warm)}; peak after ${peak} B; at the end ${fmt(end)}`);
}
