// Training inside Cloudflare's runtime: workerd (the npm package ships the binary) serves
// test/workerd/worker.js with a compatibility date before 2025-05-05, so neither
// FinalizationRegistry nor WeakRef exists and compiling wasm from bytes is refused, as on
// Workers. Three requests in a row carry the checkpoint forward (50 Adam steps each); the
// third answer's parameters must equal the same 150 steps run here in Node.
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import * as torch from "../../build/torchlet.js";

const root = new URL("../../", import.meta.url).pathname;
const dir = `${root}build/workerd-test/`;
let workerd: ChildProcess;
let url = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  copyFileSync(`${root}test/workerd/worker.js`, `${dir}worker.js`);
  copyFileSync(`${root}build/torchlet-edge.js`, `${dir}torchlet-edge.js`);
  copyFileSync(`${root}build/torchlet.wasm`, `${dir}torchlet.wasm`);
  const port = await freePort();
  writeFileSync(`${dir}config.capnp`, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .trainer)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const trainer :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "torchlet", esModule = embed "torchlet-edge.js"),
    (name = "torchlet.wasm", wasm = embed "torchlet.wasm"),
  ],
  compatibilityDate = "2024-09-01",
);
`);
  workerd = spawn(`${root}node_modules/.bin/workerd`, ["serve", `${dir}config.capnp`], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  workerd.stdout!.on("data", (d) => { log += d; });
  workerd.stderr!.on("data", (d) => { log += d; });
  url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url);
      if (r.status === 405) return;
    } catch { /* not listening yet */ }
    if (workerd.exitCode !== null) throw new Error(`workerd exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workerd did not start: ${log}`);
}, 60_000);

afterAll(() => { workerd?.kill(); });

function testNet() {
  const { nn } = torch;
  return new nn.Sequential(new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU()), new nn.Linear(10, 1));
}

it("a Worker on workerd trains 3 × 50 Adam steps from posted checkpoints and ends where Node does", async () => {
  torch.manualSeed(7);
  const model = testNet();
  const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
  let body = torch.save({ model: model.stateDict(), optimizer: null, x, y });
  let answer: Response | null = null;
  for (let request = 0; request < 3; request++) {
    answer = await fetch(url, { method: "POST", body });
    expect(answer.status, await answer.clone().text().catch(() => "")).toBe(200);
    body = new Uint8Array(await answer.arrayBuffer());
  }
  expect(answer!.headers.get("x-finalization-registry")).toBe("undefined");
  expect(answer!.headers.get("x-compile-from-bytes")).toMatch(/^refused/); // the runtime's rule is in force
  // the same 150 steps here
  const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-2 });
  const lossFn = new torch.nn.MSELoss();
  for (let step = 0; step < 150; step++) {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
  }
  const fromWorker = torch.load(body).model as Record<string, torch.Tensor>;
  for (const [name, p] of model.namedParameters()) {
    expect(Array.from(fromWorker[name].toArray()), name).toEqual(Array.from(p.toArray()));
  }
}, 120_000);
