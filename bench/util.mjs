// Timing helpers: median of repeated runs, each run long enough to time reliably.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds per call of fn over `runs` runs of `inner` calls each. */
export function time(fn, { runs = 15, inner = 0, warmup = 3 } = {}) {
  // Warm up for 200 ms first so the JIT has settled before calibrating and timing.
  const w0 = performance.now();
  while (performance.now() - w0 < 200) fn();
  if (inner === 0) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 20) { fn(); n++; }
    inner = Math.max(1, Math.ceil(n / 2));
  }
  for (let i = 0; i < warmup; i++) for (let k = 0; k < inner; k++) fn();
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let k = 0; k < inner; k++) fn();
    samples.push((performance.now() - t0) / inner);
  }
  return median(samples);
}

export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const [i, r] of rows.entries()) {
    console.log("| " + r.map((v, c) => String(v).padEnd(widths[c])).join(" | ") + " |");
    if (i === 0) console.log("| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |");
  }
}

export const fmtMs = (ms) => (ms < 0.01 ? `${(ms * 1000).toFixed(2)} µs` : ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
