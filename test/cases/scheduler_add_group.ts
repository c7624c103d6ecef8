// Schedulers after opt.addParamGroup(), against PyTorch (test/fixtures/schedulers.json,
// "addParamGroup", written by test/golden/gen_schedulers.py).
//
// A scheduler on a one-group SGD (or Adagrad) steps a few times, a group {lr: 0.2} is added,
// and stepping goes on. The chainable schedulers carry the new group along exactly as
// PyTorch does; the ones that read values saved per group at creation (baseLrs, lrLambdas,
// momentums, minLrs; initialLr/maxLr/minLr/… or swaLr in the groups) refuse at the step where
// PyTorch raises (KeyError, or ValueError from a strict zip): with a message naming the key
// and the group, and nothing changed: not the scheduler's state, not any group's lr or
// momentum (PyTorch writes lr = NaN nowhere either, but may half-apply before raising).
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/schedulers.json" with { type: "json" };
import { assertEqual, assertThrows } from "./assert.ts";
import {
  closeLr, drive, groupsSnapshot, makeOptimizer, makeScheduler, nSteps, type OptimizerSpec, type SchedulerSpec,
} from "./schedulers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

interface AddGroupCase {
  name: string;
  optimizer: OptimizerSpec;
  scheduler: SchedulerSpec;
  before: number;
  newGroup: Record<string, number>;
  steps?: number;
  metrics?: number[];
  epochs?: number[];
  /** lr[k][g] after construction (k = 0) and after step k, up to the refused step */
  lr: number[][];
  raises: null | { step: number; type: "KeyError"; key: string } | { step: number; type: "ValueError" | "RuntimeError"; message: string };
}

/** What our message must say where PyTorch raises. */
function refusal(r: NonNullable<AddGroupCase["raises"]>): RegExp {
  // KeyError 'max_lr': the group lacks a key the scheduler writes into its groups
  if (r.type === "KeyError") return new RegExp(`paramGroups\\[1\\] has no [^(]*\\b${r.key}\\b`);
  // ValueError from zip(strict=True) / ReduceLROnPlateau's RuntimeError: per-group values for fewer groups
  return /(for 2 param groups \(a param group was added|the number of param groups in the optimizer \(2\) differs)/;
}

function addGroupCase(c: AddGroupCase): void {
  const opt = makeOptimizer(c.optimizer);
  const sched = makeScheduler(opt, c.scheduler);
  const lrs = (): number[] => opt.paramGroups.map((g: Any) => g.lr);
  closeLr(lrs(), c.lr[0], `${c.name}: lr after construction`);
  for (let i = 1; i <= c.before; i++) {
    drive(sched, c, i);
    closeLr(lrs(), c.lr[i], `${c.name}: lr after step ${i}`);
  }
  opt.addParamGroup({ params: [torch.zeros([2], { requiresGrad: true })], ...c.newGroup });
  const last = c.raises ? c.raises.step - 1 : nSteps(c);
  for (let i = c.before + 1; i <= last; i++) {
    drive(sched, c, i);
    closeLr(lrs(), c.lr[i], `${c.name}: lr after step ${i} (the new group's included)`);
  }
  if (c.raises === null) return;
  const groups = groupsSnapshot(opt);
  const state = sched.stateDict();
  const at = `${c.name}: step ${c.raises.step}, where PyTorch raises ${c.raises.type}`;
  for (const attempt of ["first", "second"]) {
    assertThrows(() => drive(sched, c, c.raises!.step), refusal(c.raises), `${at} (${attempt} attempt)`);
    assertEqual(groupsSnapshot(opt), groups, `${at}: param groups unchanged`);
    assertEqual(sched.stateDict(), state, `${at}: scheduler state unchanged`);
  }
}

const cases = (fx as unknown as { addParamGroup: AddGroupCase[] }).addParamGroup;

export const tests: Record<string, () => void> = {
  ...Object.fromEntries(cases.map((c) => [`after addParamGroup: ${c.name}`, () => addGroupCase(c)])),

  "every scheduler has an addParamGroup case": () => {
    const names = new Set(cases.map((c) => c.scheduler.type));
    for (const n of [
      "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
      "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
      "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "SWALR",
    ]) {
      if (!names.has(n)) throw new Error(`${n}: no addParamGroup case`);
    }
  },
};
