// One cold start inside Cloudflare's workerd (the npm package's binary): a fresh workerd
// serving a Worker that imports torchlet's edge build (its .wasm handed over compiled, as on
// Workers) and answers its first request with a computation, and a fresh workerd serving an
// empty Worker; each timed from the process's start until the first answer arrives. The
// result is the difference: what torchlet adds to a Worker's first request. The two run in
// alternating order on every call.
// Usage: node cold_workerd.mjs EDGE_BUNDLE_PATH WASM_PATH ORDER(0|1)
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const [edgeBundle, wasm, order] = process.argv.slice(2);
const WORKERD = fileURLToPath(new URL("../../node_modules/.bin/workerd", import.meta.url));
const DIR = fileURLToPath(new URL("../.cache/workerd/", import.meta.url));

const WORKERS = {
  torchlet: `import * as torch from "torchlet";
export default { fetch() { return new Response(String(torch.tensor([1, 2]).add(1).sum().item())); } };`,
  empty: `export default { fetch() { return new Response("5"); } };`,
};

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawning workerd to the first answer of `worker`. */
async function firstAnswer(worker) {
  const port = await freePort();
  const modules = [`(name = "worker.js", esModule = embed "${worker}.js")`];
  if (worker === "torchlet") modules.push('(name = "torchlet", esModule = embed "torchlet-edge.js")', '(name = "torchlet.wasm", wasm = embed "torchlet.wasm")');
  writeFileSync(`${DIR}${worker}.capnp`, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const w :Workerd.Worker = (modules = [${modules.join(", ")}], compatibilityDate = "2024-09-01");
`);
  const t0 = performance.now();
  const child = spawn(WORKERD, ["serve", `${DIR}${worker}.capnp`], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => { log += d; });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`workerd exited: ${log.trim().split("\n").slice(-3).join(" | ")}`);
      if (performance.now() - t0 > 60_000) throw new Error(`workerd (${worker}) did not answer within 60 s`);
      try {
        const text = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        if (text !== "5") throw new Error(`the ${worker} Worker answered ${JSON.stringify(text)}, not 5`);
        return performance.now() - t0;
      } catch (e) {
        if (!String(e?.cause?.code ?? "").startsWith("ECONNREFUSED")) throw e;
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  } finally {
    child.kill();
  }
}

mkdirSync(DIR, { recursive: true });
for (const [name, src] of Object.entries(WORKERS)) writeFileSync(`${DIR}${name}.js`, src);
copyFileSync(edgeBundle, `${DIR}torchlet-edge.js`);
copyFileSync(wasm, `${DIR}torchlet.wasm`);
const ms = {};
for (const worker of order === "1" ? ["empty", "torchlet"] : ["torchlet", "empty"]) ms[worker] = await firstAnswer(worker);
console.log("BENCH_RESULT " + JSON.stringify({ ms: [ms.torchlet - ms.empty], torchletMs: ms.torchlet, emptyMs: ms.empty }));
