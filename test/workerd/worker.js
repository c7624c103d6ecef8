// A Cloudflare Worker that trains: each request posts a checkpoint (torch.save bytes of
// { model, optimizer | null, x, y }), the Worker runs 50 Adam steps of the seed's 13-10-1
// network on the posted batch and answers with the new checkpoint. It imports "torchlet" as
// a Worker does; workerd resolves that to the edge build, which imports the .wasm compiled.
import * as torch from "torchlet";

const { nn, optim } = torch;

function testNet() {
  return new nn.Sequential(new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU()), new nn.Linear(10, 1));
}

/** Whether this runtime refuses to compile wasm from bytes (workerd does, as Workers do). */
function compileFromBytesRefused() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); // the empty module
    return "allowed";
  } catch (e) {
    return `refused: ${e.message}`;
  }
}

export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST a checkpoint", { status: 405 });
    const checkpoint = torch.load(new Uint8Array(await request.arrayBuffer()));
    const model = testNet();
    model.loadStateDict(checkpoint.model);
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
    if (checkpoint.optimizer !== null) optimizer.loadStateDict(checkpoint.optimizer);
    const lossFn = new nn.MSELoss();
    let loss = 0;
    for (let step = 0; step < 50; step++) {
      optimizer.zeroGrad();
      const l = lossFn.forward(model.forward(checkpoint.x), checkpoint.y);
      l.backward();
      optimizer.step();
      loss = l.item();
    }
    const out = torch.save({ model: model.stateDict(), optimizer, x: checkpoint.x, y: checkpoint.y });
    return new Response(out, { headers: { "content-type": "application/octet-stream", "x-loss": String(loss),
      "x-finalization-registry": typeof globalThis.FinalizationRegistry, "x-compile-from-bytes": compileFromBytesRefused() } });
  },
};
