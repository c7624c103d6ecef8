// Scheduler state dicts you can trust.
//
// 1. Every scheduler's stateDict(), through JSON.parse(JSON.stringify(…)) or structuredClone,
//    loads into a fresh scheduler on a fresh optimizer (optimizer state loaded too, the
//    scheduler created first as PyTorch's docs ask) and continues exactly (===) as the run
//    that was not interrupted: every group's lr and momentum/betas[0], at several points.
// 2. One table of malformed state dicts, each thrown at loadStateDict of a scheduler that has
//    stepped a few times: each is refused with a message that names the scheduler and the
//    key, and the scheduler's whole state (stateDict()), its prototype and the param groups
//    are unchanged, and it goes on stepping exactly as an untouched twin.
// 3. A step that throws part-way (a user's lrLambda) changes nothing either, nor one that
//    would write a NaN lr (refused, where PyTorch would write it).
import { assert, assertEqual, AssertionError, assertThrows } from "./assert.ts";
import { build, lrAndMomentum, sameNumbers, setup, SETUPS, stepOnce, type Setup } from "./scheduler_catalogue.ts";
import * as torch from "../../build/torchlet.js";
import { groupsSnapshot } from "./schedulers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const S: Any = torch.optim.lrScheduler;

// ---------------------------------------------------------------------- round trips

const STEPS = 16;
const SPLITS = [0, 1, 4, 9];

const COPIES: Record<string, (x: Any) => Any> = {
  "JSON.parse(JSON.stringify())": (x) => JSON.parse(JSON.stringify(x)),
  structuredClone: (x) => structuredClone(x),
};

function roundTrip(s: Setup, via: string): void {
  const copy = COPIES[via];
  const straight = build(s);
  const expected: number[][] = [];
  for (let i = 1; i <= STEPS; i++) {
    stepOnce(s, straight.sched, i);
    expected.push(lrAndMomentum(straight.opt));
  }
  for (const k of SPLITS) {
    const saved = build(s, k);
    const optState = copy(saved.opt.stateDict());
    const schedState = copy(saved.sched.stateDict());
    const resumed = build(s);
    resumed.opt.loadStateDict(optState);
    resumed.sched.loadStateDict(schedState);
    assertEqual(resumed.sched.stateDict(), saved.sched.stateDict(), `${s.name} via ${via} at ${k}: loaded state`);
    for (let i = k + 1; i <= STEPS; i++) {
      stepOnce(s, resumed.sched, i);
      const got = lrAndMomentum(resumed.opt);
      if (!sameNumbers(got, expected[i - 1])) {
        throw new AssertionError(`${s.name} via ${via}, resumed after ${k}: step ${i} gives ${got}, the run not interrupted ${expected[i - 1]}`);
      }
    }
  }
}

// ---------------------------------------------------------------------- malformed dicts

/** Path segments of "a.b[1].c". */
function segments(path: string): (string | number)[] {
  return path.split(/\.|(?=\[)/).map((p) => (p.startsWith("[") ? Number(p.slice(1, -1)) : p));
}

function parentOf(sd: Any, path: string): [Any, string | number] {
  const segs = segments(path);
  let o = sd;
  for (const s of segs.slice(0, -1)) o = o[s];
  return [o, segs[segs.length - 1]];
}

/** Sets `path` to `v` as an own data property (so "__proto__" is a key, as JSON.parse makes it). */
const set = (path: string, v: unknown) => (sd: Any): Any => {
  const [o, k] = parentOf(sd, path);
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return sd;
};
const drop = (path: string) => (sd: Any): Any => {
  const [o, k] = parentOf(sd, path);
  if (Array.isArray(o)) o.splice(k as number, 1);
  else delete o[k];
  return sd;
};
const both = (...fs: ((sd: Any) => Any)[]) => (sd: Any): Any => fs.reduce((x, f) => f(x), sd);
/** `{"__proto__": …, …sd}` through JSON.parse, which makes "__proto__" an own key. */
const protoJson = (inner: string) => (sd: Any): Any => JSON.parse(`{"__proto__": ${inner}, ${JSON.stringify(sd).slice(1)}`);

/** [setup, what, make the bad dict from a copy of the good one, the message] */
type Row = [string, string, (sd: Any) => unknown, RegExp];

/** Rows every setup gets. */
function commonRows(s: Setup): Row[] {
  return [
    [s.name, "null", () => null, /the state dict must be a plain object as returned by stateDict\(\), got null/],
    [s.name, "_lastLr missing", drop("_lastLr"), /missing key "_lastLr" \(a state dict has .*_lastLr/],
    [s.name, "a misspelt extra key", set("_lastLR", [0.1, 0.1]), /unknown key "_lastLR" \(did you mean "_lastLr"\?\); a state dict has /],
    [s.name, "__proto__ from JSON.parse", protoJson('{"lastEpoch": 99}'), /refused key "__proto__"/],
    [s.name, "_lastLr for 3 groups", set("_lastLr", [0.1, 0.1, 0.1]), /_lastLr must be an array of 2 finite numbers \(one per param group\), got \[0\.1, 0\.1, 0\.1\]/],
  ];
}

const ROWS: Row[] = [
  ...SETUPS.flatMap(commonRows),
  // not a state dict at all
  ["StepLR", "undefined", () => undefined, /the state dict must be a plain object .*got undefined/],
  ["StepLR", "an array", () => [], /the state dict must be a plain object .*got \[\]/],
  ["StepLR", "a string", (sd) => JSON.stringify(sd), /the state dict must be a plain object .*got "\{/],
  ["StepLR", "a number", () => 3, /the state dict must be a plain object .*got 3/],
  ["StepLR", "a Map", (sd) => new Map(Object.entries(sd)), /the state dict must be a plain object .*got a Map/],
  ["StepLR", "a Date", () => new Date(0), /the state dict must be a plain object .*got a Date/],
  ["StepLR", "an optimizer's state dict", () => ({ state: {}, paramGroups: [] }), /missing key "stepSize"/],
  // epochs and counters: finite safe integers
  ["StepLR", 'lastEpoch "abc"', set("lastEpoch", "abc"), /lastEpoch must be a finite number, got "abc"/],
  ["StepLR", "lastEpoch -2", set("lastEpoch", -2), /lastEpoch must be an integer >= -1, got -2/],
  ["StepLR", "lastEpoch 2.5", set("lastEpoch", 2.5), /lastEpoch must be an integer >= -1, got 2.5/],
  ["StepLR", "lastEpoch 2^53", set("lastEpoch", 2 ** 53), /lastEpoch must be an integer >= -1, got 9007199254740992/],
  ["StepLR", "lastEpoch NaN", set("lastEpoch", NaN), /lastEpoch must be a finite number, got NaN/],
  ["StepLR", "lastEpoch null", set("lastEpoch", null), /lastEpoch must be a finite number, got null/],
  ["StepLR", "lastEpoch true", set("lastEpoch", true), /lastEpoch must be a finite number, got true/],
  ["StepLR", "lastEpoch undefined", set("lastEpoch", undefined), /missing key "lastEpoch"/],
  ["StepLR", "_stepCount -1", set("_stepCount", -1), /_stepCount must be an integer >= 0, got -1/],
  ["StepLR", "_isInitial true", set("_isInitial", true), /_isInitial must be false \(it is true only during a step\), got true/],
  ["StepLR", '_getLrCalledWithinStep "false"', set("_getLrCalledWithinStep", "false"), /_getLrCalledWithinStep must be false .*got "false"/],
  // options and lrs
  ["StepLR", "stepSize 0", set("stepSize", 0), /stepSize must be a positive integer, got 0/],
  ["StepLR", "gamma Infinity", set("gamma", Infinity), /gamma must be a finite number, got Infinity/],
  ["StepLR", 'gamma "0.1"', set("gamma", "0.1"), /gamma must be a finite number, got "0\.1"/],
  ["StepLR", 'baseLrs[1] "x"', set("baseLrs[1]", "x"), /baseLrs\[1\] must be a finite number, got "x"/],
  ["StepLR", "baseLrs a number", set("baseLrs", 0.1), /baseLrs must be an array of 2 finite numbers \(one per param group\), got 0\.1/],
  ["StepLR", "baseLrs for 1 group", set("baseLrs", [0.1]), /baseLrs must be an array of 2 finite numbers/],
  ["StepLR", "baseLrs with a hole", set("baseLrs", [0.1, undefined]), /baseLrs\[1\] must be a finite number, got undefined/],
  ["StepLR", "an optimizer key", set("optimizer", {}), /unknown key "optimizer"/],
  ["StepLR", "constructor from JSON.parse", (sd) => JSON.parse(`{"constructor": {"name": "x"}, ${JSON.stringify(sd).slice(1)}`), /refused key "constructor"/],
  ["MultiStepLR", "milestone -1", set("milestones", [2, -1]), /milestones\[0\] must be an integer >= 0|milestones\[1\] must be an integer >= 0, got -1/],
  ["MultiStepLR", "milestones an object", set("milestones", { 0: 2 }), /milestones must be an array of integers, got an object/],
  ["ConstantLR", "factor 1.5", set("factor", 1.5), /factor must be in \[0, 1\], got 1\.5/],
  ["ConstantLR", "totalIters 0", set("totalIters", 0), /totalIters must be a positive integer, got 0/],
  ["LinearLR", "startFactor 0", set("startFactor", 0), /startFactor must be in \(0, 1\], got 0/],
  ["LinearLR", "endFactor null", set("endFactor", null), /endFactor must be a finite number, got null/],
  ["ExponentialLR", "gamma null (JSON's Infinity)", set("gamma", null), /gamma must be a finite number, got null/],
  ["ExponentialLR", "gamma missing", drop("gamma"), /missing key "gamma"/],
  ["PolynomialLR", 'power "2"', set("power", "2"), /power must be a finite number, got "2"/],
  ["PolynomialLR", "totalIters -1", set("totalIters", -1), /totalIters must be a positive integer, got -1/],
  ["CosineAnnealingLR", "TMax 0", set("TMax", 0), /TMax must be a positive number, got 0/],
  ["CosineAnnealingLR", "etaMin NaN", set("etaMin", NaN), /etaMin must be a finite number, got NaN/],
  ["CosineAnnealingWarmRestarts", 'TCur "1"', set("TCur", "1"), /TCur must be a finite number, got "1"/],
  ["CosineAnnealingWarmRestarts", "TI 0", set("TI", 0), /TI must be a positive integer, got 0/],
  ["CosineAnnealingWarmRestarts", "TMult 1.5", set("TMult", 1.5), /TMult must be a positive integer, got 1\.5/],
  ["CosineAnnealingWarmRestarts", "T0 missing", drop("T0"), /missing key "T0"/],
  // functions are not saved: their places hold null
  ["LambdaLR", "lrLambdas for 1 group", set("lrLambdas", [null]), /lrLambdas must be an array of 2 nulls \(functions are not saved\), got \[null\]/],
  ["LambdaLR", "lrLambdas holding an object", set("lrLambdas[0]", {}), /lrLambdas\[0\] must be null \(functions are not saved; give them to the constructor\), got an object/],
  ["LambdaLR", "lrLambdas missing", drop("lrLambdas"), /missing key "lrLambdas"/],
  ["MultiplicativeLR", 'lrLambdas "fn"', set("lrLambdas", "fn"), /lrLambdas must be an array of 2 nulls/],
  ["CyclicLR", 'mode "sine"', set("mode", "sine"), /mode must be one of "triangular", "triangular2", "exp_range", got "sine"/],
  ["CyclicLR", "scaleMode not the mode's", set("scaleMode", "iterations"), /scaleMode must be "cycle" with mode "triangular2", got "iterations"/],
  ["CyclicLR", '_scaleFnCustom "x"', set("_scaleFnCustom", "x"), /_scaleFnCustom must be null \(functions are not saved; give them to the constructor\), got "x"/],
  ["CyclicLR", 'cycleMomentum "yes"', set("cycleMomentum", "yes"), /cycleMomentum must be true or false, got "yes"/],
  ["CyclicLR", "baseMomentums missing", drop("baseMomentums"), /missing key "baseMomentums"/],
  ["CyclicLR", "useBeta1 true for SGD", set("useBeta1", true), /useBeta1 must be false for SGD \(its groups have momentum\), got true/],
  ["CyclicLR", "maxLrs for 3 groups", set("maxLrs", [0.1, 0.1, 0.1]), /maxLrs must be an array of 2 finite numbers/],
  ["CyclicLR", "stepRatio 0", set("stepRatio", 0), /stepRatio must be in \(0, 1\], got 0/],
  ["CyclicLR", "totalSize -4", set("totalSize", -4), /totalSize must be a positive number, got -4/],
  ["CyclicLR/Adam betas", "useBeta1 false for Adam", set("useBeta1", false), /useBeta1 must be true for Adam \(its groups have betas\), got false/],
  ["CyclicLR/Adam betas", "maxMomentums[1] null", set("maxMomentums[1]", null), /maxMomentums\[1\] must be a finite number, got null/],
  ["CyclicLR/no momentum", "momentum keys without cycleMomentum", set("baseMomentums", [0.8, 0.8]), /unknown key "baseMomentums"/],
  ["CyclicLR/no momentum", "cycleMomentum true without its keys", set("cycleMomentum", true), /missing key "useBeta1"/],
  ["CyclicLR/no momentum", "cycleMomentum on Adagrad", both(set("cycleMomentum", true), set("useBeta1", false), set("baseMomentums", [0.8, 0.8]), set("maxMomentums", [0.9, 0.9])),
    /optimizer must support momentum or beta1 with `cycleMomentum` option enabled/],
  ["OneCycleLR", "_schedulePhases empty", set("_schedulePhases", []), /_schedulePhases must be two or three phases \{ endStep, startLr, endLr, startMomentum, endMomentum \}/],
  ["OneCycleLR", 'a phase reading "__proto__"', set("_schedulePhases[0].startLr", "__proto__"), /_schedulePhases\[0\]\.startLr must be "initialLr", got "__proto__"/],
  ["OneCycleLR", 'endStep "x"', set("_schedulePhases[1].endStep", "x"), /_schedulePhases\[1\]\.endStep must be a finite number, got "x"/],
  ["OneCycleLR", "totalSteps not the phases'", set("totalSteps", 40), /_schedulePhases\[1\]\.endStep must be totalSteps - 1 = 39, got 29/],
  ["OneCycleLR", "phases out of order", set("_schedulePhases[0].endStep", 35), /_schedulePhases\[1\]\.endStep must be >= the previous phase's \(35\), got 29/],
  ["OneCycleLR", "a phase with an extra key", set("_schedulePhases[0].endLR", "maxLr"), /_schedulePhases\[0\]\.endLR must be absent/],
  ["OneCycleLR", "a phase that is a string", set("_schedulePhases[0]", "phase"), /_schedulePhases\[0\] must be a phase/],
  ["OneCycleLR", '_annealFuncType "exp"', set("_annealFuncType", "exp"), /_annealFuncType must be one of "cos", "linear", got "exp"/],
  ["OneCycleLR", "totalSteps 0", set("totalSteps", 0), /totalSteps must be a positive integer, got 0/],
  ["OneCycleLR", "useBeta1 missing", drop("useBeta1"), /missing key "useBeta1"/],
  ["OneCycleLR/Adam three phases", "two of three phases", drop("_schedulePhases[2]"), /_schedulePhases\[1\]\.endLr must be "minLr", got "initialLr"/],
  ["ReduceLROnPlateau", "best null (JSON's Infinity)", set("best", null), /best must be a number, "Infinity" or "-Infinity", got null/],
  ["ReduceLROnPlateau", "best NaN", set("best", NaN), /best must be a number, "Infinity" or "-Infinity", got NaN/],
  ["ReduceLROnPlateau", 'best "inf"', set("best", "inf"), /best must be a number, "Infinity" or "-Infinity", got "inf"/],
  ["ReduceLROnPlateau", "modeWorse not the mode's", set("modeWorse", "-Infinity"), /modeWorse must be "Infinity" with mode "min", got "-Infinity"/],
  ["ReduceLROnPlateau", 'mode "avg"', set("mode", "avg"), /mode must be one of "min", "max", got "avg"/],
  ["ReduceLROnPlateau", "patience -1", set("patience", -1), /patience must be an integer >= 0, got -1/],
  ["ReduceLROnPlateau", "numBadEpochs 1.5", set("numBadEpochs", 1.5), /numBadEpochs must be an integer >= 0, got 1\.5/],
  ["ReduceLROnPlateau", 'cooldownCounter "0"', set("cooldownCounter", "0"), /cooldownCounter must be a finite number, got "0"/],
  ["ReduceLROnPlateau", 'defaultMinLr "0"', set("defaultMinLr", "0"), /defaultMinLr must be a finite number, got "0"/],
  ["ReduceLROnPlateau", "factor 1", set("factor", 1), /factor must be in \[0, 1\), got 1/],
  ["ReduceLROnPlateau", "eps Infinity", set("eps", Infinity), /eps must be a finite number, got Infinity/],
  ["ReduceLROnPlateau/max, minLr per group", "minLrs for 1 group", set("minLrs", [0.005]), /minLrs must be an array of 2 finite numbers \(one per param group\), got \[0\.005\]/],
  ["ReduceLROnPlateau/max, minLr per group", 'minLrs[1] "x"', set("minLrs[1]", "x"), /minLrs\[1\] must be a finite number, got "x"/],
  ["ReduceLROnPlateau/max, minLr per group", "modeWorse +Infinity in max mode", set("modeWorse", Infinity), /modeWorse must be "-Infinity" with mode "max", got "Infinity"/],
  // nested schedulers: checked whole, all or nothing
  ["SequentialLR", "_schedulers a string", set("_schedulers", "x"), /_schedulers must be an array of 3 state dicts \(one per scheduler\), got "x"/],
  ["SequentialLR", "_schedulers for 2 schedulers", drop("_schedulers[2]"), /_schedulers must be an array of 3 state dicts/],
  ["SequentialLR", 'a child\'s gamma "x"', set("_schedulers[1].gamma", "x"), /_schedulers\[1\]\.gamma must be a finite number, got "x"/],
  ["SequentialLR", "a child null", set("_schedulers[2]", null), /_schedulers\[2\] must be a plain object as returned by stateDict\(\), got null/],
  ["SequentialLR", "a child with __proto__", (sd) => { sd._schedulers[0] = protoJson("null")(sd._schedulers[0]); return sd; },
    /refused key "_schedulers\[0\]\.__proto__"/],
  ["SequentialLR", "a child with an extra key", set("_schedulers[0].foo", 1), /unknown key "_schedulers\[0\]\.foo"/],
  ["SequentialLR", "a child missing baseLrs", drop("_schedulers[1].baseLrs"), /missing key "_schedulers\[1\]\.baseLrs"/],
  ["SequentialLR", "a child's state for another scheduler", (sd) => { sd._schedulers[1] = sd._schedulers[2]; return sd; },
    /missing key "_schedulers\[1\]\.gamma"|unknown key "_schedulers\[1\]\.stepSize"/],
  ["SequentialLR", "good parent values, a bad last child", both(set("lastEpoch", 5), set("_milestones", [2, 6]), set("_schedulers[2].lastEpoch", "x")),
    /_schedulers\[2\]\.lastEpoch must be a finite number, got "x"/],
  ["SequentialLR", "one milestone for three schedulers", set("_milestones", [3]), /_milestones must be 2 milestones \(one fewer than the schedulers\), got \[3\]/],
  ["SequentialLR", "milestones decreasing", set("_milestones", [8, 3]), /_milestones must be strictly increasing, got \[8, 3\]/],
  ["ChainedScheduler", "a child's factor 2", set("_schedulers[0].factor", 2), /_schedulers\[0\]\.factor must be in \[0, 1\], got 2/],
  ["ChainedScheduler", "_schedulers empty", set("_schedulers", []), /_schedulers must be an array of 2 state dicts/],
  ["ChainedScheduler", "a child mid-step", set("_schedulers[1]._isInitial", true), /_schedulers\[1\]\._isInitial must be false/],
  ["ChainedScheduler", "a child's lastEpoch -5", set("_schedulers[1].lastEpoch", -5), /_schedulers\[1\]\.lastEpoch must be an integer >= -1, got -5/],
  ["SWALR", '_annealStrategy "step"', set("_annealStrategy", "step"), /_annealStrategy must be one of "cos", "linear", got "step"/],
  ["SWALR", "annealEpochs -1", set("annealEpochs", -1), /annealEpochs must be an integer >= 0, got -1/],
  ["SWALR", "annealFunc saved", set("annealFunc", "cos"), /unknown key "annealFunc"/],
  ["SWALR/linear per group", "baseLrs[0] Infinity", set("baseLrs[0]", Infinity), /baseLrs\[0\] must be a finite number, got Infinity/],
];

/** Steps before the state dict is taken: past the first milestones and phases. */
const BEFORE = 5;

function refusedRow([name, what, makeBad, re]: Row): void {
  const s = setup(name);
  const { opt, sched } = build(s, BEFORE);
  const twin = build(s, BEFORE);
  const state = sched.stateDict();
  const groups = groupsSnapshot(opt);
  const proto = Object.getPrototypeOf(sched);
  const bad = makeBad(structuredClone(state));
  const at = `${name}: ${what}`;
  const err = assertThrows(() => sched.loadStateDict(bad), re, at);
  const owner = `${s.scheduler.type}.loadStateDict: `;
  assert(err.message.startsWith(owner), `${at}: message ${JSON.stringify(err.message)} does not start with ${owner}`);
  assertEqual(sched.stateDict(), state, `${at}: scheduler state unchanged`);
  assertEqual(groupsSnapshot(opt), groups, `${at}: param groups unchanged`);
  assert(Object.getPrototypeOf(sched) === proto, `${at}: prototype unchanged`);
  for (let i = BEFORE + 1; i <= BEFORE + 3; i++) {
    stepOnce(s, sched, i);
    stepOnce(s, twin.sched, i);
    assert(sameNumbers(lrAndMomentum(opt), lrAndMomentum(twin.opt)), `${at}: step ${i} as an untouched scheduler`);
  }
}

// ---------------------------------------------------------------------- a step that throws

/**
 * A scheduler whose step throws part-way must leave everything as it was (PyTorch would have
 * moved last_epoch, and with ChainedScheduler stepped the schedulers before the one that failed).
 */
function throwingStep(what: string, make: (opt: Any, fail: () => boolean) => Any, re = /lrLambda failed/): void {
  let failing = false;
  const s = setup("StepLR"); // only for its optimizer spec
  const { opt } = build(s);
  const sched = make(opt, () => failing);
  for (let i = 0; i < 3; i++) sched.step();
  const state = sched.stateDict();
  const groups = groupsSnapshot(opt);
  failing = true;
  assertThrows(() => sched.step(), re, what);
  assertEqual(sched.stateDict(), state, `${what}: scheduler state unchanged`);
  assertEqual(groupsSnapshot(opt), groups, `${what}: param groups unchanged`);
  failing = false;
  sched.step(); // and it goes on from where it was
  assertEqual(sched.stateDict().lastEpoch ?? sched.stateDict()._schedulers[0].lastEpoch, 4, `${what}: lastEpoch after the next step`);
}

export const tests: Record<string, () => void> = {
  "a LambdaLR whose lrLambda throws changes nothing": () => throwingStep("LambdaLR", (opt, fail) =>
    new S.LambdaLR(opt, { lrLambda: (e: number) => { if (fail()) throw new Error("lrLambda failed"); return 0.9 ** e; } })),
  "a lrLambda that returns NaN: refused (PyTorch would set lr = NaN), nothing changed": () => throwingStep("LambdaLR NaN", (opt, fail) =>
    new S.LambdaLR(opt, { lrLambda: (e: number) => (fail() ? NaN : 0.9 ** e) }),
  /^LambdaLR: step\(\) computed lr NaN for paramGroups\[0\] from the scheduler's state and the group's values; nothing was changed$/),
  "a lrLambda that returns a string: refused, nothing changed": () => throwingStep("MultiplicativeLR string", (opt, fail) =>
    new S.MultiplicativeLR(opt, { lrLambda: () => (fail() ? "0.9" : 0.9) }),
  /^MultiplicativeLR: lrLambda \(for paramGroups\[0\]\) returned "0\.9" at epoch 4; it must return a number$/),
  "a CyclicLR scaleFn that returns a string: refused, nothing changed": () => throwingStep("CyclicLR string", (opt, fail) =>
    new S.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, scaleFn: () => (fail() ? "1" : 1) }),
  /^CyclicLR: scaleFn returned "1"; it must return a number$/),
  "a ChainedScheduler whose second scheduler throws puts the first back": () => throwingStep("ChainedScheduler", (opt, fail) =>
    new S.ChainedScheduler([
      new S.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }),
      new S.MultiplicativeLR(opt, { lrLambda: () => { if (fail()) throw new Error("lrLambda failed"); return 0.9; } }),
    ])),
  "a SequentialLR whose current scheduler throws changes nothing": () => throwingStep("SequentialLR", (opt, fail) =>
    new S.SequentialLR(opt, {
      schedulers: [
        new S.ExponentialLR(opt, { gamma: 0.9 }),
        new S.LambdaLR(opt, { lrLambda: (e: number) => { if (fail()) throw new Error("lrLambda failed"); return 1 / (e + 1); } }),
      ],
      milestones: [2],
    })),

  ...Object.fromEntries(SETUPS.flatMap((s) => Object.keys(COPIES).map((via) =>
    [`round trip through ${via}: ${s.name}`, () => roundTrip(s, via)]))),
  ...Object.fromEntries(ROWS.map((row) => [`refused: ${row[0]}, ${row[1]}`, () => refusedRow(row)])),

  "every scheduler has a setup and refused rows of its own": () => {
    for (const n of [
      "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
      "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
      "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "SWALR",
    ]) {
      const own = ROWS.filter(([name]) => setup(name).scheduler.type === n).length;
      if (own < 6) throw new Error(`${n}: ${own} rows`);
    }
  },

  "loadStateDict(null) names the scheduler, not an internal TypeError": () => {
    const { sched } = build(setup("StepLR"), 2);
    const err = assertThrows(() => sched.loadStateDict(null), /^StepLR\.loadStateDict: the state dict must be a plain object/);
    assert(err instanceof TypeError, "a TypeError");
  },

  "the loaded dict is copied: changing it afterwards changes nothing": () => {
    const s = setup("SequentialLR");
    const a = build(s, BEFORE);
    const b = build(s);
    const sd = a.sched.stateDict();
    b.sched.loadStateDict(sd);
    sd._lastLr[0] = 99;
    sd._schedulers[1].baseLrs[0] = 99;
    sd._milestones.push(100);
    assertEqual(b.sched.stateDict(), a.sched.stateDict(), "state after the dict was changed");
  },
};
