// npm run build: asc → build/torchlet.wasm (SIMD, optimised), build/torchlet-relaxed.wasm
// (the same with relaxed SIMD: fused multiply-adds in the large matrix products) and
// build/kernels.d.ts (the kernels' signatures); esbuild → build/torchlet.js (one ESM file
// with both builds' bytes inside; src/runtime/wasm_build.ts picks one at load); tsc →
// build/types (declarations).
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
  await runAsc(["assembly/index.ts", "--target", "release"]);
  await runAsc(["assembly/index.ts", "--target", "release", "--enable", "relaxed-simd", "--outFile", "build/torchlet-relaxed.wasm"]);
}

async function runAsc(args) {
  const { error } = await asc.main(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    writeFile(name, contents, baseDir) {
      if (name.endsWith(".js") || (name.endsWith(".d.ts") && args.includes("relaxed-simd"))) return;
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
// The esbuild settings every bundle shares.
const common = {
  bundle: true,
  format: "esm",
  target: ["es2022"], // top-level await
  minify: true,
  // Short lines: an uncaught error then echoes one line of code, not a 100 KB line that
  // holds the embedded wasm (whose base64 string is a line of its own).
  lineLimit: 160,
  keepNames: true, // class names appear in messages (constructor.name)
  sourcemap: "linked",
  legalComments: "none",
};

/** Swaps src/runtime/wasm_source.ts for one of its variants (wasm_source_<variant>.ts). */
function wasmSourceVariant(variant) {
  return {
    name: "wasm-source",
    setup(b) {
      b.onResolve({ filter: /\/wasm_source\.js$/ }, (args) => ({ path: join(args.resolveDir, `wasm_source_${variant}.ts`) }));
      // the edge variant's .wasm import stays an import, resolved by the runtime next to the bundle
      b.onResolve({ filter: /^\.\/torchlet\.wasm$/ }, () => ({ path: "./torchlet.wasm", external: true }));
    },
  };
}

/** `import x from "embedded-wasm:exact"` (or relaxed): that build's bytes as a base64 string. */
const embeddedWasm = {
  name: "embedded-wasm",
  setup(b) {
    b.onResolve({ filter: /^embedded-wasm:/ }, (args) => ({ path: args.path.slice("embedded-wasm:".length), namespace: "embedded-wasm" }));
    b.onLoad({ filter: /.*/, namespace: "embedded-wasm" }, (args) => {
      const file = { exact: "build/torchlet.wasm", relaxed: "build/torchlet-relaxed.wasm" }[args.path];
      if (!file) throw new Error(`embedded-wasm: no build ${JSON.stringify(args.path)}`);
      return { contents: readFileSync(file).toString("base64"), loader: "text" };
    });
  },
};

if (!only || only === "js") {
  // The default bundle: the wasm inside, ready on import (Node, Deno, browsers, bundlers).
  await build({ ...common, entryPoints: ["src/index.ts"], outfile: "build/torchlet.js", plugins: [embeddedWasm] });
  // The edge bundle (package.json's "workerd" and "edge-light" conditions): imports
  // ./torchlet.wasm, which those runtimes hand over compiled.
  await build({ ...common, entryPoints: ["src/index.ts"], outfile: "build/torchlet-edge.js", plugins: [wasmSourceVariant("module")] });
  // torchlet/init: `await torch.init(wasm)` first; the library's modules load after it, so
  // its exports are live bindings filled by init(). Their names come from the default bundle.
  const names = Object.keys(await import(new URL("../build/torchlet.js", import.meta.url).href)).sort();
  const initEntry = [
    'import { provideWasm } from "../runtime/wasm_source_init.js";',
    'import { wasmFrom, type WasmInput } from "./init_source.js";',
    // local names for the bindings (an export may be a reserved word: torch.var)
    `let ${names.map((_, i) => `x${i}`).join(", ")};`,
    `export { ${names.map((n, i) => `x${i} as ${n}`).join(", ")} };`,
    "let loading;",
    "/** Instantiates the kernels from `input` (a WebAssembly.Module, the bytes, or a URL) and loads the library; idempotent. */",
    "export function init(input: WasmInput): Promise<void> {",
    "  loading ??= (async () => {",
    "    provideWasm(await wasmFrom(input));",
    '    const m = await import("../index.js");',
    `    ({ ${names.map((n, i) => `${JSON.stringify(n)}: x${i}`).join(", ")} } = m);`,
    "  })().catch((e) => { loading = undefined; throw e; }); // a refused input can be retried",
    "  return loading;",
    "}",
  ].join("\n");
  await build({
    ...common,
    stdin: { contents: initEntry, resolveDir: "src/entries", sourcefile: "init.ts", loader: "ts" },
    outdir: "build/init",
    entryNames: "torchlet-init",
    chunkNames: "chunk-[hash]",
    splitting: true,
    plugins: [wasmSourceVariant("init")],
  });
  run(bin("tsc"), ["-p", "tsconfig.json"]);
  // declarations of the other entries: the same API (init adds init())
  writeFileSync("build/types/edge.d.ts", 'export * from "./index.js";\n');
  writeFileSync("build/types/init.d.ts", 'export * from "./index.js";\n' +
    'export type WasmInput = WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string | Response;\n' +
    "/** Instantiates the kernels from `input` (a WebAssembly.Module, the bytes, or a URL) and loads the library; idempotent. */\n" +
    "export declare function init(input: WasmInput): Promise<void>;\n");
  const js = readFileSync("build/torchlet.js");
  console.log(`build/torchlet.js: ${statSync("build/torchlet.js").size} bytes, ${gzipSync(js).length} gzip; ` +
    `wasm ${statSync("build/torchlet.wasm").size} bytes, relaxed ${statSync("build/torchlet-relaxed.wasm").size}`);
}
