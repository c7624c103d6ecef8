// The UCI handwritten digits (data/README.md): 1797 images of 8×8 pixels valued 0–16, read
// from the gzip'd CSV with the web's own DecompressionStream (browsers, Deno, Node ≥ 18),
// checked completely, and split the same way on every run. No torchlet here: the page's
// thread uses these constants to draw the digits without loading the library.
import { seededRandom, shuffleInPlace } from "../common/seeded_random.js";

export const SIDE = 8, PIXELS = SIDE * SIDE, CLASSES = 10, INK_MAX = 16;

/**
 * `{ pixels: Uint8Array [N·64], labels: Uint8Array [N], count }` from the file at `url`.
 * Accepts the gzip'd bytes, or the CSV itself when a server already undid the gzip.
 */
export async function loadDigits(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gzipped
    ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
    : new TextDecoder().decode(bytes);
  return parseDigits(text, String(url));
}

/** Every line: 64 whole numbers 0–16, then a digit 0–9. Throws naming the first bad line. */
export function parseDigits(text, source = "digits") {
  const lines = text.trim().split(/\r?\n/);
  const pixels = new Uint8Array(lines.length * PIXELS), labels = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    const values = line.split(",").map(Number);
    const ok = values.length === PIXELS + 1 && values.every(Number.isInteger) &&
      values.slice(0, PIXELS).every((v) => v >= 0 && v <= INK_MAX) && values[PIXELS] >= 0 && values[PIXELS] < CLASSES;
    if (!ok) throw new Error(`${source}, line ${i + 1}: expected ${PIXELS} whole numbers 0–${INK_MAX} and a digit 0–9, got ${JSON.stringify(line.slice(0, 60))}`);
    pixels.set(values.slice(0, PIXELS), i * PIXELS);
    labels[i] = values[PIXELS];
  });
  return { pixels, labels, count: lines.length };
}

/** `{ train, test }`, each `{ pixels, labels, count }`: a fixed-seed split, `testFraction` of the digits held out. */
export function splitDigits({ pixels, labels, count }, { testFraction, seed }) {
  const order = shuffleInPlace(Array.from({ length: count }, (_, i) => i), seededRandom(seed));
  const nTest = Math.round(count * testFraction);
  const take = (rows) => {
    const part = { pixels: new Uint8Array(rows.length * PIXELS), labels: new Uint8Array(rows.length), count: rows.length };
    rows.forEach((r, i) => {
      part.pixels.set(pixels.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
      part.labels[i] = labels[r];
    });
    return part;
  };
  return { test: take(order.slice(0, nTest)), train: take(order.slice(nTest)) };
}
