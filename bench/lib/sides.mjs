// The competitors and how a child process loads each one's library.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registerTfjsGradients } from "./tfjs_gradients.mjs";
import { BUILD_OF_SIDE, assertKernelBuild } from "./kernel_builds.mjs";

/** Column order of the tables; `c` runs bench/c's binary, the others a Node child. `torchlet`
 *  is its exact kernel build, `torchlet-relaxed` its relaxed-SIMD one (kernel_builds.mjs). */
export const SIDES = ["torchlet", "torchlet-relaxed", "tfjs-wasm", "tfjs-cpu", "js", "c"];
export const SIDE_NAMES = {
  torchlet: "torchlet",
  "torchlet-relaxed": "torchlet, relaxed SIMD",
  "tfjs-wasm": "tfjs-wasm",
  "tfjs-cpu": "tfjs-cpu",
  js: "plain JS",
  c: "C -O3",
};

export const TORCHLET_BUNDLE = fileURLToPath(new URL("../../build/torchlet.js", import.meta.url));

const require = createRequire(import.meta.url);

/** The folder holding tfjs-backend-wasm's .wasm files, as a path Node's fs reads. */
export function tfjsWasmDir() {
  return dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm")) + "/";
}

export async function loadTorchlet() {
  if (!existsSync(TORCHLET_BUNDLE)) throw new Error(`${TORCHLET_BUNDLE} is missing: run \`npm run build\` first`);
  return import(pathToFileURL(TORCHLET_BUNDLE).href);
}

/**
 * TensorFlow.js with one backend, ready, single-threaded; wasm with SIMD (XNNPACK). With
 * gradients and chained ops registered, as the `@tensorflow/tfjs` package has them.
 */
export async function loadTfjs(backend) {
  const tf = await import("@tensorflow/tfjs-core");
  await registerTfjsGradients();
  if (backend === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(tfjsWasmDir()); // from node_modules, never the network
  } else {
    await import("@tensorflow/tfjs-backend-cpu");
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`tfjs: asked for ${backend}, running on ${tf.getBackend()}`);
  if (backend === "wasm" && !tf.env().getBool("WASM_HAS_SIMD_SUPPORT")) {
    throw new Error("tfjs-wasm: this Node has no wasm SIMD; the comparison would be against the scalar build");
  }
  return tf;
}

/** Whose code a workload runs for a side: "torchlet" (either kernel build), "tfjs" (either backend), "js". */
export const libraryOf = (side) => (side.startsWith("torchlet") ? "torchlet" : side.startsWith("tfjs") ? "tfjs" : side);

/** The library a side's child process works with (null for plain JS). */
export async function loadSide(side) {
  if (BUILD_OF_SIDE[side]) {
    const torch = await loadTorchlet();
    assertKernelBuild(torch, BUILD_OF_SIDE[side]);
    return torch;
  }
  if (side === "tfjs-wasm") return loadTfjs("wasm");
  if (side === "tfjs-cpu") return loadTfjs("cpu");
  if (side === "js") return null;
  throw new Error(`no Node child for side ${side}`);
}
