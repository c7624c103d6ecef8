// Muon beyond the shared harness: on fixed grads its steps are PyTorch's bit for bit (the
// bfloat16 Newton–Schulz iteration rounds where PyTorch's CPU ops round, and each product sums
// in PyTorch's order, so not one bfloat16 value differs); and the program PyTorch's
// documentation writes, Muon for the matrices and AdamW for the rest of a model.
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual, assertThrows } from "./assert.ts";
import { CASES, Run } from "./optimizers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const { nn, optim } = torch;

export const tests: Record<string, () => void> = {};

tests["Muon on fixed grads: every parameter after every step equals PyTorch's, bit for bit"] = () => {
  const names = Object.keys(CASES).filter((n) => CASES[n].optimizer === "Muon" && CASES[n].problem === "fixed");
  assert(names.length >= 4, `Muon's fixed-grads cases: ${names.join(", ")}`);
  for (const name of names) {
    const c = CASES[name];
    const run = new Run(c);
    for (let k = 0; k < c.steps; k++) {
      run.step();
      run.history[k].forEach((v, i) => assertEqual(v, Float32Array.from(c.trace[k][i]), `${name}: param ${i} after step ${k + 1}`));
    }
  }
};

tests["Muon takes a model's matrices and AdamW the rest, as PyTorch's documentation pairs them"] = () => {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 1));
  assertThrows(() => new optim.Muon(model.parameters()),
    /^Muon only supports 2D parameters whereas we found a parameter with size: \[8\]$/, "Muon over every parameter");
  const matrices = model.parameters().filter((p: Any) => p.dim() === 2);
  const others = model.parameters().filter((p: Any) => p.dim() !== 2);
  const muon = new optim.Muon(matrices, { lr: 0.02 });
  const adamw = new optim.AdamW(others, { lr: 3e-3, weightDecay: 0.01 });
  const x = torch.randn([16, 4]), y = x.sum(1, true).tanh();
  const before = model.parameters().map((p: Any) => p.toArray());
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) {
    muon.zeroGrad();
    adamw.zeroGrad();
    const loss = nn.functional.mseLoss(model.forward(x), y);
    loss.backward();
    muon.step();
    adamw.step();
    losses.push(loss.item());
  }
  model.parameters().forEach((p: Any, i: number) => assert(p.toArray().some((v: number, j: number) => v !== before[i][j]), `param ${i} moved`));
  assertEqual(matrices.map((p: Any) => Object.keys(muon.state.get(p))), [["momentumBuffer"], ["momentumBuffer"]], "Muon's state");
  assertEqual(others.map((p: Any) => Object.keys(adamw.state.get(p))), [["step", "expAvg", "expAvgSq"], ["step", "expAvg", "expAvgSq"]],
    "AdamW's state");
  assert(losses[29] < losses[0] / 2, `the loss falls: ${losses[0]} → ${losses[29]}`);
};
