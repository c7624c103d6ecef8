// npm run build: asc → build/torchlet.wasm (SIMD, optimised) and build/kernels.d.ts (the
// kernels' signatures); esbuild → build/torchlet.js (one ESM file with the wasm bytes
// inside); tsc → build/types (declarations).
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import asc from "assemblyscript/asc";
import { statSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
const only = process.argv[2]; // "wasm" | "js" | undefined (all)

if (!only || only === "wasm") await buildWasm();

/**
 * asc in this process. The release target asks for raw bindings (asconfig.json), which asc
 * names after the .wasm: build/torchlet.js, the bundle's own name. Only their declarations
 * are kept, as build/kernels.d.ts, from which src/runtime/wasm.ts types every kernel and
 * every exported layout constant; the instance is made by wasm.ts, not by the bindings' JS.
 */
async function buildWasm() {
  const { error } = await asc.main(["assembly/index.ts", "--target", "release"], {
    stdout: process.stdout,
    stderr: process.stderr,
    writeFile(name, contents, baseDir) {
      if (name.endsWith(".js")) return;
      const out = join(baseDir, name.endsWith(".d.ts") ? join(dirname(name), "kernels.d.ts") : name);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, contents);
    },
  });
  if (error) {
    console.error(error.message);
    process.exit(1);
  }
}
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
