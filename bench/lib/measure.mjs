// Timing inside one child process: warm up until the per-call time stops improving (V8
// tiers code up by call counts, so a fixed short warm-up can time the baseline tier), size
// a batch of calls long enough to time, then time several batches. The process reports
// every batch; run.mjs takes the median.

const now = () => performance.now();

function timeCalls(fn, n) {
  const t0 = now();
  for (let k = 0; k < n; k++) fn();
  return now() - t0;
}

/**
 * Milliseconds per call of fn, one figure per timed batch of calls.
 * - Warm-up: at least warmupMs and two calls, and also 2,000 calls (a fast call may need
 *   thousands before V8 optimises it) unless that takes over a second; one call is enough
 *   when it takes over a second.
 * - Calls shorter than sampleMs / 4 are batched so one batch lasts about sampleMs (sized
 *   on a batch of a quarter of that), and batches keep warming while they get more than 3%
 *   faster (for at most maxMs).
 * - samples batches are timed, fewer when they would take over maxMs in all (at least 3,
 *   or 1 when one batch takes over maxMs / 3).
 */
export function measure(fn, { warmupMs, sampleMs, samples, maxMs }) {
  const t0 = now();
  let calls = 0, last = 0;
  for (;;) {
    const elapsed = now() - t0;
    if (calls >= (last >= 1000 ? 1 : 2) && elapsed >= warmupMs && (calls >= 2000 || elapsed >= 1000)) break;
    last = timeCalls(fn, 1);
    calls++;
  }
  // One slow call (a GC pause, the scheduler) must not pass a fast fn for a slow one.
  let inner = 1, perCall = Math.min(last, (now() - t0) / calls);
  if (perCall < sampleMs / 4) {
    let n = Math.max(1, Math.floor(sampleMs / 4 / perCall)), t = timeCalls(fn, n);
    while (t < sampleMs / 4) { n *= 2; t = timeCalls(fn, n); }
    perCall = t / n;
    inner = Math.max(1, Math.round(sampleMs / perCall));
    const w0 = now();
    for (;;) {
      const next = timeCalls(fn, inner) / inner;
      if (next > perCall * 0.97 || now() - w0 > maxMs) break;
      perCall = next;
      inner = Math.max(1, Math.round(sampleMs / perCall));
    }
  }
  const batchMs = inner * perCall;
  const batches = Math.min(samples, Math.max(batchMs > maxMs / 3 ? 1 : 3, Math.floor(maxMs / batchMs)));
  const ms = [];
  for (let s = 0; s < batches; s++) ms.push(timeCalls(fn, inner) / inner);
  return { ms, inner };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
