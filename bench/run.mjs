// npm run bench: torchlet against TensorFlow.js 4.22 (wasm backend — XNNPACK, SIMD — and cpu
// backend), plain-JS Float32Array loops of the same computation and, for Adam, a C -O3
// loop. torchlet runs its exact kernel build and, on the workloads of matrix products
// (matmul, the training steps, the CNN), its relaxed-SIMD build too (lib/kernel_builds.mjs).
// Every competitor runs each workload in a process of its own (a non-shared memory.grow in
// one process slows every typed-array loop in it), the sides alternating over rounds; each
// result is first checked against torchlet's. Prints medians with the min–max over rounds,
// torchlet's speed-ups and the targets; writes bench/results.json.
//
//   node bench/run.mjs [--quick] [--only GROUP_OR_ID,...] [--rounds N]
import { writeFileSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { basename } from "node:path";
import { WORKLOADS, GROUPS } from "./workloads/index.mjs";
import { SIDES, SIDE_NAMES, TORCHLET_BUNDLE, tfjsWasmDir } from "./lib/sides.mjs";
import { median } from "./lib/measure.mjs";
import { runNodeChild, runColdImport, runColdWorkerd, buildC, runC, probeTorchlet } from "./lib/processes.mjs";
import { stats, resultTable, relaxedSummary, fmtMs, markdownTable } from "./lib/report.mjs";
import { compareChecks } from "./lib/compare.mjs";
import { machine, loadNow } from "./lib/machine.mjs";
import { RELAXED_SIDE, relaxedSimdSupport } from "./lib/kernel_builds.mjs";

const USAGE = `usage: node bench/run.mjs [--quick] [--only GROUP_OR_ID,...] [--rounds N]
  --quick     2 rounds of shorter timings (a few minutes) instead of 5
  --only      a comma-separated subset: groups ${GROUPS.join(", ")}, or workload ids
              (${WORKLOADS.map((w) => w.id).join(", ")})
  --rounds N  rounds of alternating processes (default 5, --quick 2)`;

function parseArgs(argv) {
  const o = { quick: false, only: null, rounds: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a.split("=")[0]} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--quick") o.quick = true;
    else if (a === "--only" || a.startsWith("--only=")) o.only = value().split(",").map((s) => s.trim()).filter(Boolean);
    else if (a === "--rounds" || a.startsWith("--rounds=")) {
      o.rounds = Number(value());
      if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1, got ${JSON.stringify(argv[i])}\n${USAGE}`);
    } else if (a === "--help" || a === "-h") { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument ${JSON.stringify(a)}\n${USAGE}`);
  }
  return o;
}

/** The workloads asked for, with those their targets compare against, in table order. */
function select(only) {
  if (!only) return WORKLOADS;
  const wanted = new Set();
  for (const name of only) {
    const hits = WORKLOADS.filter((w) => w.group === name || w.id === name);
    if (!hits.length) throw new Error(`--only: no group or workload ${JSON.stringify(name)}\n${USAGE}`);
    for (const w of hits) wanted.add(w.id);
  }
  for (const w of WORKLOADS) if (wanted.has(w.id)) for (const t of w.targets) if (t.of) wanted.add(t.of);
  return WORKLOADS.filter((w) => wanted.has(w.id));
}

const log = (msg) => process.stderr.write(msg + "\n");
const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);

let opts, workloads;
try {
  opts = parseArgs(process.argv.slice(2));
  workloads = select(opts.only);
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
const rounds = opts.rounds ?? (opts.quick ? 2 : 5);
const timing = opts.quick
  ? { warmupMs: 150, sampleMs: 40, samples: 3, maxMs: 1500 }
  : { warmupMs: 300, sampleMs: 100, samples: 5, maxMs: 4000 };
const coldRepeats = opts.quick ? 3 : 5;
const started = new Date();
const loadAtStart = loadNow();

// The C ceiling, built now with this machine's gcc (skipped without one).
const cBuild = workloads.some((w) => w.sides.includes("c")) ? buildC("adam") : null;
if (cBuild?.skipped) log(`C -O3: skipped (${cBuild.skipped})`);
// How a child runs torchlet's relaxed-SIMD build here (skipped where this Node cannot).
const relaxedSimd = workloads.some((w) => w.sides.includes(RELAXED_SIDE)) ? relaxedSimdSupport() : null;
if (relaxedSimd?.skipped) log(`${SIDE_NAMES[RELAXED_SIDE]}: skipped (${relaxedSimd.skipped})`);
const unavailable = { c: cBuild?.skipped, [RELAXED_SIDE]: relaxedSimd?.skipped };
try {
  probeTorchlet(); // fails early, and clearly, when build/torchlet.js is missing
} catch (e) {
  console.error(`${e.message}\n(npm run bench builds first; node bench/run.mjs needs \`npm run build\`)`);
  process.exit(1);
}

// results[workload][side] = { check, rounds: [ms…], stats, error | skipped }
const results = Object.fromEntries(workloads.map((w) => [w.id, Object.fromEntries(w.sides.map((s) => [s, { rounds: [] }]))]));
const fail = (r, e) => { r.error = e.message; log(`  error: ${e.message}`); };

// 1. Each side computes each workload once from the same inputs; compared with torchlet's.
log(`checking that every competitor computes what torchlet computes (${workloads.length} workloads)…`);
for (const w of workloads) {
  if (w.cold) continue; // cold_import.mjs and cold_workerd.mjs check a first computation themselves
  for (const side of w.sides) {
    const r = results[w.id][side];
    const skipped = unavailable[side] ?? w.cannot?.[side];
    if (skipped) { r.skipped = skipped; continue; }
    try {
      r.values = (side === "c" ? runC(cBuild.binary, w, "check") : runNodeChild(w.id, side, "check")).check;
    } catch (e) { fail(r, e); }
  }
  const ref = results[w.id].torchlet.values;
  for (const side of w.sides) {
    const r = results[w.id][side];
    if (side === "torchlet" || !r.values || !ref) continue;
    r.check = compareChecks(r.values, ref);
    if (!r.check.ok) log(`  ${w.id}: ${SIDE_NAMES[side]} differs from torchlet: ${r.check.detail}`);
  }
}

// 2. Rounds: every workload, every side in a fresh process, the order rotating each round.
for (let round = 0; round < rounds; round++) {
  log(`round ${round + 1} of ${rounds} (load ${loadNow().join(" ")})`);
  for (const [wi, w] of workloads.entries()) {
    const order = rotate(w.sides, round + wi);
    const repeats = w.cold ? coldRepeats : 1;
    const perSide = {};
    for (let k = 0; k < repeats; k++) {
      for (const side of order) {
        const r = results[w.id][side];
        if (r.skipped || r.error) continue;
        try {
          const out = w.cold === "workerd" ? runColdWorkerd(k + round)
            : w.cold ? runColdImport(side)
            : side === "c" ? runC(cBuild.binary, w, "time", timing)
            : runNodeChild(w.id, side, "time", timing);
          (perSide[side] ??= []).push(...out.ms);
        } catch (e) { fail(r, e); }
      }
    }
    const line = [];
    for (const side of order) {
      if (!perSide[side]) continue;
      const ms = median(perSide[side]); // the process's median (cold: of its fresh processes)
      results[w.id][side].rounds.push(ms);
      line.push(`${SIDE_NAMES[side]} ${fmtMs(ms)}`);
    }
    log(`  ${w.id}: ${line.join(", ")}`);
  }
}
for (const w of workloads) for (const r of Object.values(results[w.id])) r.stats = stats(r.rounds, w);

// 3. Bundle sizes (raw and gzip): torchlet's one file, and what tfjs's ESM users ship.
const require = createRequire(import.meta.url);
const sizeOf = (files) => {
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  return { files: files.map((f) => basename(f)), raw: bytes.length, gzip: gzipSync(bytes).length };
};
const tfDist = (pkg, file) => require.resolve(`${pkg}/package.json`).replace(/package\.json$/, `dist/${file}`);
const bundles = {
  torchlet: sizeOf([TORCHLET_BUNDLE]),
  "tfjs-wasm": sizeOf([tfDist("@tensorflow/tfjs-core", "tf-core.fesm.min.js"), tfDist("@tensorflow/tfjs-backend-wasm", "tf-backend-wasm.fesm.min.js"), `${tfjsWasmDir()}tfjs-backend-wasm-simd.wasm`]),
  "tfjs-cpu": sizeOf([tfDist("@tensorflow/tfjs-core", "tf-core.fesm.min.js"), tfDist("@tensorflow/tfjs-backend-cpu", "tf-backend-cpu.fesm.min.js")]),
};

// 4. Report.
const sides = SIDES.filter((s) => workloads.some((w) => w.sides.includes(s)));
const { table, verdicts } = resultTable(workloads, results, sides);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const bundleTable = markdownTable(["bundle", "raw", "gzip", "files"],
  Object.entries(bundles).map(([side, b]) => [SIDE_NAMES[side], kb(b.raw), kb(b.gzip), b.files.join(" + ")]));
const m = machine(cBuild);
const loadAtEnd = loadNow();
const met = verdicts.filter((v) => v.met === true).length;
const failed = verdicts.filter((v) => v.met === false);
const unjudged = verdicts.filter((v) => v.met === null);
const buildsLine = !relaxedSimd ? [] : [
  `torchlet: its exact kernel build (TORCHLET_WASM=exact); ${SIDE_NAMES[RELAXED_SIDE]}: its relaxed-SIMD build` +
    (relaxedSimd.skipped ? ", skipped (below)"
      : `${relaxedSimd.nodeFlags.length ? `, Node started with ${relaxedSimd.nodeFlags.join(" ")}` : ""}; its speed-up is the exact build's median time / its`),
];
const differs = workloads.flatMap((w) => Object.entries(results[w.id])
  .filter(([, r]) => r.check && !r.check.ok).map(([s, r]) => `${w.id} ${SIDE_NAMES[s]}: ${r.check.detail}`));
const errors = workloads.flatMap((w) => Object.entries(results[w.id])
  .filter(([, r]) => r.error).map(([s, r]) => `${w.id} ${SIDE_NAMES[s]}: ${r.error}`));

const out = [
  `Machine: ${m.cpu} (${m.vector.join(", ") || "no vector flags read"}), ${m.cores} cores, Node ${m.node}${m.gcc ? `, ${m.gcc}` : ""}; ${started.toISOString().slice(0, 16).replace("T", " ")} UTC`,
  `Load average (1, 5, 15 min) at start ${loadAtStart.join(", ")}, at end ${loadAtEnd.join(", ")}`,
  `${rounds} round${rounds > 1 ? "s" : ""}${opts.quick ? " (--quick)" : ""}; each figure: median over rounds (min–max); each round a fresh process per side; speed-up = the side's median time / torchlet's`,
  ...buildsLine,
  "",
  table,
  "",
  bundleTable,
  "",
  ...(differs.length ? ["‡ result differs from torchlet's beyond the tolerance:", ...differs.map((d) => `  ${d}`), ""] : []),
  ...(errors.length ? ["errors:", ...errors.map((e) => `  ${e}`), ""] : []),
  ...workloads.flatMap((w) => Object.entries(w.cannot ?? {}).map(([side, why]) => `${w.id}, ${SIDE_NAMES[side]} skipped: ${why}`)),
  ...(relaxedSimd?.skipped ? [`${SIDE_NAMES[RELAXED_SIDE]} skipped: ${relaxedSimd.skipped}`] : []),
  `targets met: ${met} of ${verdicts.length}` +
    (failed.length ? `; not met: ${failed.map((v) => `${v.workload} ${v.text} (${v.result})`).join(", ")}` : "") +
    (unjudged.length ? `; not judged: ${unjudged.map((v) => `${v.workload} ${v.text} ${v.result}`).join(", ")}` : "") +
    relaxedSummary(verdicts, relaxedSimd?.skipped), // targets met counts the exact build
];
console.log(out.join("\n"));

const resultsPath = fileURLToPath(new URL("results.json", import.meta.url));
writeFileSync(resultsPath, JSON.stringify({
  date: started.toISOString(),
  machine: { ...m, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd },
  options: { quick: opts.quick, only: opts.only, rounds, timing, coldRepeats },
  // how the relaxed-SIMD side ran: { nodeFlags } or { skipped } (null: not in this run)
  relaxedSimd,
  workloads: workloads.map((w) => ({
    id: w.id, label: w.label, unit: w.unit, flops: w.flops,
    sides: Object.fromEntries(Object.entries(results[w.id]).map(([s, r]) => [s, {
      roundsMs: r.rounds, ...r.stats,
      check: r.check ?? null, error: r.error, skipped: r.skipped,
    }])),
    // met and value: the exact build's; relaxedSimd: the relaxed build's, where it ran
    targets: verdicts.filter((v) => v.workload === w.id).map(({ text, met: ok, value, relaxed }) => ({
      text, met: ok, value: value ?? null,
      ...(relaxed ? { relaxedSimd: { met: relaxed.met, value: relaxed.value ?? null } } : {}),
    })),
  })),
  bundles,
}, null, 2) + "\n");
log(`wrote ${resultsPath}`);
// Unmet targets are findings; a competitor that failed or computed something else is a fault.
if (errors.length || differs.length) process.exitCode = 1;

// The other optimizers against plain JS (Adadelta, ASGD, Rprop, …) are not workloads here
// yet: their own harness runs after a full run, in a process of its own.
if (!opts.only) {
  console.log("\n## bench/optim_1e6.mjs (the other optimizers at 1e6, its own harness)\n");
  const r = spawnSync(process.execPath, [fileURLToPath(new URL("optim_1e6.mjs", import.meta.url))], { stdio: "inherit" });
  if (r.status !== 0) { log("bench/optim_1e6.mjs failed"); process.exitCode = 1; }
}
