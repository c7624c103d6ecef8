// Picking a name from a fixed list on the command line: case-insensitive, and a name that
// is not on the list is refused with the list and the nearest name.

/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
function distance(a, b) {
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

/** The known name closest to `name`: one that contains it ("cosine"), else the fewest edits away. */
export function nearest(name, known) {
  const containing = known.filter((k) => k.toLowerCase().includes(name.toLowerCase()));
  const pool = name && containing.length ? containing : known;
  return pool.reduce((best, k) => (distance(name, k) < distance(name, best) ? k : best));
}

/** `known`'s spelling of `name` (any case); throws naming the flag, the value and the choices. */
export function pickName(flag, name, known) {
  const hit = known.find((k) => k.toLowerCase() === name.toLowerCase());
  if (hit) return hit;
  throw new Error(`${flag}: unknown name "${name}" (did you mean ${nearest(name, known)}?); expected one of ${known.join(", ")}`);
}
