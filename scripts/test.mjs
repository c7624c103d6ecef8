// npm test: build, then the suites in Node (vitest), headless Chromium (vitest browser mode)
// and Deno (deno test against the bundle), each once per kernel build (TORCHLET_WASM exact,
// then relaxed: src/runtime/wasm_build.ts), then the browser example end to end (vitest in
// Node driving Chromium through Playwright). A runtime without relaxed SIMD gets no relaxed
// run, and the summary says so. Prints each run's counts and a total.
// `node scripts/test.mjs node deno-relaxed …` runs only the runtimes or the runs named.
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync, rmSync, mkdirSync } from "node:fs";
import { RELAXED_PROBE } from "../test/relaxed_probe.mjs";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const only = process.argv.slice(2);
const results = [];
const notes = [];

function run(name, cmd, args, env, parse) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
  process.stdout.write(r.stdout ?? "");
  const counts = parse(r.stdout ?? "");
  results.push({ name, status: r.status, ...counts });
}

function vitestCounts(file) {
  try {
    const j = JSON.parse(readFileSync(file, "utf8"));
    return { passed: j.numPassedTests, failed: j.numFailedTests + (j.numTotalTests === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function vitestProject(project, name, env) {
  const out = `build/test-results/${name}.json`;
  rmSync(out, { force: true });
  run(name, bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { FORCE_COLOR: "0", ...env }, () => vitestCounts(out));
}

const DENO_ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", DENO_DIR: ".deno" };

function denoSuite(name, env) {
  // --allow-run: test/deno/wine_example_test.ts runs examples/deno/wine.ts in a child Deno.
  run(name, bin("deno"), ["test", "--no-remote", "--no-check", "--allow-read=test,build", "--allow-env=TORCHLET_WASM",
    `--allow-run=${realpathSync(bin("deno"))}`], { ...DENO_ENV, ...env }, (text) => {
    const m = /(?:ok|FAILED) \| (\d+) passed[^|]*\| (\d+) failed/.exec(text);
    return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 1 };
  });
}

const probeJs = `WebAssembly.validate(new Uint8Array([${RELAXED_PROBE}]))`;

/** Whether a runtime has relaxed SIMD (Node: with V8's flag where it needs one; vitest.config.ts passes it). */
async function relaxedSupport(runtime) {
  if (runtime === "node") {
    const probe = (args) => spawnSync(process.execPath, [...args, "-p", probeJs], { encoding: "utf8" }).stdout?.trim() === "true";
    return probe([]) || probe(["--experimental-wasm-relaxed-simd"]);
  }
  if (runtime === "deno") {
    const r = spawnSync(bin("deno"), ["eval", `console.log(${probeJs})`], { encoding: "utf8", env: { ...process.env, ...DENO_ENV } });
    return r.stdout?.trim() === "true";
  }
  const { chromium } = await import("playwright");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    return await (await browser.newPage()).evaluate(probeJs);
  } finally {
    await browser.close();
  }
}

mkdirSync("build/test-results", { recursive: true });
const build = spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

for (const wasm of ["exact", "relaxed"]) {
  for (const runtime of ["node", "browser", "deno"]) {
    const name = `${runtime}-${wasm}`;
    if (only.length && !only.includes(runtime) && !only.includes(name)) continue;
    if (wasm === "relaxed" && !(await relaxedSupport(runtime))) {
      notes.push(`${name}: not run: this ${runtime === "browser" ? "Chromium" : runtime === "node" ? "Node" : "Deno"}'s WebAssembly has no relaxed SIMD`);
      continue;
    }
    if (runtime === "deno") denoSuite(name, { TORCHLET_WASM: wasm });
    else vitestProject(runtime, name, { TORCHLET_WASM: wasm });
  }
}
if (!only.length || only.includes("e2e")) vitestProject("e2e", "e2e", {});

console.log("\n=== summary ===");
let passed = 0, failed = 0, bad = false;
for (const r of results) {
  console.log(`${r.name.padEnd(16)} ${r.passed} passed, ${r.failed} failed (exit ${r.status})`);
  passed += r.passed; failed += r.failed;
  if (r.status !== 0) bad = true;
}
for (const n of notes) console.log(n);
console.log(`${passed} passed, ${failed} failed`);
process.exit(bad || failed > 0 || passed === 0 ? 1 : 0);
