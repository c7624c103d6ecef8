// One cold start, measured in a fresh process: nothing is imported before the clock starts.
// Usage: node cold_import.mjs SIDE BUNDLE_URL TFJS_WASM_DIR
const [side, bundleUrl, wasmDir] = process.argv.slice(2);

const t0 = performance.now();
let t1, check;
if (side === "torchlet") {
  const torch = await import(bundleUrl);
  t1 = performance.now();
  check = () => torch.tensor([1, 2]).add(1).sum().item();
} else {
  const tf = await import("@tensorflow/tfjs-core");
  const backend = side === "tfjs-wasm" ? "wasm" : "cpu";
  if (backend === "wasm") (await import("@tensorflow/tfjs-backend-wasm")).setWasmPaths(wasmDir);
  else await import("@tensorflow/tfjs-backend-cpu");
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  t1 = performance.now();
  check = () => tf.sum(tf.add(tf.tensor1d([1, 2]), 1)).dataSync()[0];
}
// Ready means computing at once: 1+1 + 2+1.
if (check() !== 5) throw new Error(`${side}: the first computation after import went wrong`);
console.log("BENCH_RESULT " + JSON.stringify({ ms: [t1 - t0] }));
