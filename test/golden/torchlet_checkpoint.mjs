// The checkpoint torchlet writes for PyTorch to read (test/golden/gen_checkpoints.py loads it
// with torch.load(weights_only=True) and continues the run). Shared by the writer below and
// by test/cases/serialization_written.ts, which checks that torch.save still writes these
// exact bytes. Takes the torchlet module, so it runs in every test runtime;
// write_torchlet_checkpoint.mjs writes the files.

export const STEPS = 3;

/** TestNet (as in the README) trained STEPS Adam steps with a StepLR, on seeded data. */
export function buildCheckpoint(torch) {
  const { nn, optim } = torch;
  class TestNet extends nn.Module {
    hidden = new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU());
    regression = new nn.Linear(10, 1);
    forward(x) { return this.regression.forward(this.hidden.forward(x)); }
  }
  torch.manualSeed(7);
  const model = new TestNet();
  const x = torch.randn([32, 13]);
  const y = torch.randn([32, 1]);
  const opt = new optim.Adam(model.parameters(), { lr: 0.01, amsgrad: true });
  const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 });
  const lossFn = new nn.MSELoss();
  const step = () => {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
    sched.step();
  };
  for (let i = 0; i < STEPS; i++) step();
  const obj = {
    model: model.stateDict(),
    optimizer: opt,
    scheduler: sched,
    epoch: STEPS,
    data: { x, y },
    extras: {
      indices: torch.tensor([0, 5, -3, 2147483647], { dtype: "int32" }),
      mask: torch.tensor([true, false, true]),
      scalar: torch.tensor(2.5),
      nested: [1, -2, 2 ** 40, 0.1, "text", true, false, null, [[]], new Map([[0, "zero"], [7, "seven"]])],
      bytes: new Uint8Array([0, 1, 254, 255]),
    },
  };
  const safetensors = torch.saveSafetensors(
    { ...model.stateDict(), indices: obj.extras.indices, mask: obj.extras.mask },
    { format: "pt", writer: "torchlet" },
  );
  return { model, opt, sched, step, obj, bytes: torch.save(obj), safetensors, x, y };
}

/** Plain values of what was saved, for the generator to compare PyTorch's reading with. */
export function expectedValues(ck) {
  const t = (v) => ({ dtype: v.dtype, shape: v.shape.slice(), values: Array.from(v.toArray()) });
  const model = Object.fromEntries(Object.entries(ck.model.stateDict()).map(([k, v]) => [k, t(v)]));
  const sd = ck.opt.stateDict();
  const state = Object.fromEntries(Object.entries(sd.state).map(([k, e]) => [k, Object.fromEntries(
    Object.entries(e).map(([n, v]) => [n, v instanceof Float32Array ? Array.from(v) : v]))]));
  return { model, optimizer: { state, paramGroups: sd.paramGroups }, scheduler: ck.sched.stateDict(), x: t(ck.x), y: t(ck.y), steps: STEPS };
}
