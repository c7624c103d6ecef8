// npm test: build, then the suites in Node (vitest), Deno (deno test against the bundle)
// and headless Chromium (vitest browser mode), then the browser example end to end (vitest
// in Node driving Chromium through Playwright). Prints each run's counts and a total.
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync, rmSync, mkdirSync } from "node:fs";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const only = process.argv.slice(2);
const results = [];

function run(name, cmd, args, env, parse) {
  if (only.length && !only.includes(name)) return;
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

mkdirSync("build/test-results", { recursive: true });
const build = spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

for (const project of ["node", "browser", "e2e"]) {
  const out = `build/test-results/${project}.json`;
  rmSync(out, { force: true });
  run(project, bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { FORCE_COLOR: "0" }, () => vitestCounts(out));
}
// --allow-run: test/deno/wine_example_test.ts runs examples/deno/wine.ts in a child Deno.
run("deno", bin("deno"), ["test", "--no-remote", "--no-check", "--allow-read=test,build", `--allow-run=${realpathSync(bin("deno"))}`],
  { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", DENO_DIR: ".deno" }, (text) => {
    const m = /(?:ok|FAILED) \| (\d+) passed[^|]*\| (\d+) failed/.exec(text);
    return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 1 };
  });

console.log("\n=== summary ===");
let passed = 0, failed = 0, bad = false;
for (const r of results) {
  console.log(`${r.name.padEnd(8)} ${r.passed} passed, ${r.failed} failed (exit ${r.status})`);
  passed += r.passed; failed += r.failed;
  if (r.status !== 0) bad = true;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(bad || failed > 0 || passed === 0 ? 1 : 0);
