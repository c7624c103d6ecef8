// The error for an option name a function does not know, with the nearest known name as a
// suggestion ("did you mean"), shared by optimizers, schedulers, modules and losses: a
// misspelt option must never be silently ignored.

/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The known name closest to `name` (snake_case compared as camelCase), or null if none is close. */
export function nearestName(name: string, known: readonly string[]): string | null {
  const camel = name.replace(/_([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = Math.min(distance(name, k), distance(camel, k));
    if (d < bestD) { bestD = d; best = k; }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

/**
 * Throws TypeError if `options` has a key not in `known`:
 * `Linear: unknown option "bais" (did you mean "bias"?; options: bias)`.
 */
export function refuseUnknownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    throw new TypeError(`${owner}: unknown option ${JSON.stringify(key)}` +
      `${near !== null ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; options: ${known.join(", ") || "none"}`);
  }
}
