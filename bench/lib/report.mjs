// From raw per-round figures to the medians, spreads, ratios and target verdicts that
// run.mjs prints and writes to bench/results.json.
import { median } from "./measure.mjs";
import { SIDE_NAMES } from "./sides.mjs";
import { RELAXED_SIDE } from "./kernel_builds.mjs";

/** Median and min–max over rounds of one side on one workload (ms; GFLOP/s beside it). */
export function stats(roundsMs, w) {
  if (!roundsMs?.length) return null;
  const s = { medianMs: median(roundsMs), minMs: Math.min(...roundsMs), maxMs: Math.max(...roundsMs) };
  if (w.flops) {
    const gf = (ms) => w.flops / (ms * 1e6);
    Object.assign(s, { gflops: gf(s.medianMs), minGflops: gf(s.maxMs), maxGflops: gf(s.minMs) });
  }
  return s;
}

export function fmtMs(ms) {
  if (ms < 1) {
    const us = ms * 1000;
    return `${us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0)} µs`;
  }
  return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
}

const fmtNum = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
export const fmtRatio = (x) => `${fmtNum(x)}×`;

/** "6.93 ms (6.51–7.70)" or "14.5 GFLOP/s (12.1–15.0)": the median, then min–max. */
export function fmtCell(s, w) {
  if (w.flops) return `${fmtNum(s.gflops)} GFLOP/s (${fmtNum(s.minGflops)}–${fmtNum(s.maxGflops)})`;
  const unit = fmtMs(s.medianMs).split(" ")[1];
  const inUnit = (ms) => fmtNum(unit === "µs" ? ms * 1000 : ms);
  return `${fmtMs(s.medianMs)} (${inUnit(s.minMs)}–${inUnit(s.maxMs)})`;
}

/**
 * A target's verdict for torchlet's side `side` (its exact build unless told): met
 * true/false (null when it cannot be judged), the measured value and the text printed.
 * Speed-ups are another side's median time over torchlet's; "time" targets are torchlet's
 * median time over the reference's.
 */
export function judge(target, w, results, byId, side = "torchlet") {
  const ours = results[w.id]?.[side];
  const ourName = SIDE_NAMES[side];
  const usable = (r, who) => {
    if (!r) return `${who}: not run`;
    if (r.skipped) return `${who}: ${r.skipped}`;
    if (r.error) return `${who}: error`;
    if (r.check && !r.check.ok) return `${who}: its result differs`;
    if (!r.stats) return `${who}: no figures`;
    return null;
  };
  if (target.absoluteAtMost !== undefined) {
    const text = `≤ ${target.absoluteAtMost} ms`;
    const why = usable(ours, ourName);
    if (why) return { text, met: null, result: `— (${why})` };
    const value = ours.stats.medianMs;
    const met = value <= target.absoluteAtMost;
    return { text, met, value, result: `${met ? "✓" : "✗"} ${fmtMs(value)}` };
  }
  const refW = byId[target.of ?? w.id];
  const what = target.what ?? SIDE_NAMES[target.vs];
  const text = target.atLeast !== undefined ? `≥ ${target.atLeast}× ${what}` : `time ≤ ${target.timeAtMost}× ${what}`;
  const ref = results[refW.id]?.[target.vs];
  const why = usable(ours, ourName) ?? usable(ref, what);
  if (why) return { text, met: null, result: `— (${why})` };
  const speedup = ref.stats.medianMs / ours.stats.medianMs;
  const value = target.atLeast !== undefined ? speedup : 1 / speedup;
  const met = target.atLeast !== undefined ? value >= target.atLeast : value <= target.timeAtMost;
  return { text, met, value, result: `${met ? "✓" : "✗"} ${fmtRatio(value)}` };
}

/** A markdown table with padded columns. */
export function markdownTable(header, rows) {
  const width = (s) => [...String(s)].length;
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ""))));
  const line = (r) => "| " + r.map((v, c) => String(v ?? "") + " ".repeat(widths[c] - width(v ?? ""))).join(" | ") + " |";
  return [line(header), "| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |", ...rows.map(line)].join("\n");
}

/**
 * The relaxed-SIMD build's verdict on a target, printed after the exact build's
 * ("✓ 11.2×"), or why it cannot be judged in a word (the reference's trouble, if any, is
 * already in the exact build's verdict).
 */
function relaxedVerdict(target, w, results, byId) {
  const r = results[w.id][RELAXED_SIDE];
  const { met, value, result } = judge(target, w, results, byId, RELAXED_SIDE);
  const trouble = r.skipped ? "skipped" : r.error ? "error" : r.check && !r.check.ok ? "its result differs" : "—";
  return { met, value, result: met === null ? trouble : result };
}

/** The end of the summary line: the targets the relaxed build meets that the exact build
 *  does not (and the converse, when there are any). Empty when it was not judged. */
export function relaxedSummary(verdicts, skipped) {
  if (!verdicts.some((v) => v.relaxed)) return "";
  if (skipped) return "; the relaxed-SIMD build was not run";
  const list = (vs) => vs.map((v) => `${v.workload} ${v.text} (${v.relaxed.result})`).join(", ");
  const meets = verdicts.filter((v) => v.relaxed && v.met !== true && v.relaxed.met === true);
  const misses = verdicts.filter((v) => v.relaxed && v.met === true && v.relaxed.met === false);
  return `; the relaxed-SIMD build meets ${meets.length} more${meets.length ? ` (${list(meets)})` : ""}` +
    (misses.length ? ` and misses ${misses.length} the exact build meets (${list(misses)})` : "");
}

/** The printed table: per workload a row of medians (min–max) and a row of torchlet's
 *  speed-up against each side with the workload's targets. In the relaxed-SIMD column that
 *  row has the relaxed build's speed-up over the exact one, and each target a clause for
 *  the relaxed build after the exact build's. */
export function resultTable(workloads, results, sides) {
  const byId = Object.fromEntries(workloads.map((w) => [w.id, w]));
  const header = ["workload", ...sides.map((s) => SIDE_NAMES[s]), "targets"];
  const rows = [];
  const verdicts = [];
  for (const w of workloads) {
    const res = results[w.id];
    const cell = (side) => {
      if (!w.sides.includes(side)) return "";
      const r = res[side];
      if (!r) return "not run";
      if (r.skipped) return "skipped";
      if (r.error) return "error";
      return fmtCell(r.stats, w) + (r.check && !r.check.ok ? " ‡" : "");
    };
    rows.push([w.label, ...sides.map(cell), ""]);
    const ours = res.torchlet?.stats;
    const ratio = (side) => {
      if (side === "torchlet" || !w.sides.includes(side)) return "";
      const s = res[side]?.stats;
      if (!ours || !s) return "";
      return side === RELAXED_SIDE ? `${fmtRatio(ours.medianMs / s.medianMs)} over exact` : fmtRatio(s.medianMs / ours.medianMs);
    };
    const judged = w.targets.map((t) => ({
      workload: w.id,
      ...judge(t, w, results, byId),
      ...(res[RELAXED_SIDE] ? { relaxed: relaxedVerdict(t, w, results, byId) } : {}),
    }));
    verdicts.push(...judged);
    const targetText = (j) => `${j.text}: ${j.result}${j.relaxed ? ` (relaxed SIMD: ${j.relaxed.result})` : ""}`;
    rows.push(["  ↳ torchlet's speed-up", ...sides.map(ratio), judged.map(targetText).join("; ")]);
  }
  return { table: markdownTable(header, rows), verdicts };
}
