// npm run build: asc → build/torchlet.wasm (SIMD, optimised); esbuild → build/torchlet.js
// (one ESM file with the wasm bytes inside); tsc → build/types (declarations).
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import { statSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
const only = process.argv[2]; // "wasm" | "js" | undefined (all)

if (!only || only === "wasm") run(bin("asc"), ["assembly/index.ts", "--target", "release"]);
if (!only || only === "js") {
  await build({
    entryPoints: ["src/index.ts"],
    outfile: "build/torchlet.js",
    bundle: true,
    format: "esm",
    // es2022: top-level await, and without a target esbuild's binary loader emits
    // Uint8Array.fromBase64, which Node 20 lacks
    target: ["es2022"],
    loader: { ".wasm": "binary" },
    minify: true,
    // Short lines: an uncaught error then echoes one line of code, not a 100 KB line that
    // holds the embedded wasm (whose base64 string is a line of its own).
    lineLimit: 160,
    keepNames: true, // class names appear in messages (constructor.name)
    sourcemap: "linked",
    legalComments: "none",
  });
  run(bin("tsc"), ["-p", "tsconfig.json"]);
  const js = readFileSync("build/torchlet.js");
  console.log(`build/torchlet.js: ${statSync("build/torchlet.js").size} bytes, ${gzipSync(js).length} gzip; ` +
    `wasm ${statSync("build/torchlet.wasm").size} bytes`);
}
