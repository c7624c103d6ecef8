// End to end: a character-level model (Embedding, LayerNorm, an MLP) trained with a
// shuffled DataLoader to predict the next character of a public-domain paragraph, the
// opening of Charles Dickens' "A Tale of Two Cities" (1859). Its loss must fall clearly:
// the last epoch's mean below a third of the first's, and below 1 nat. Prints the losses
// and the time taken.
import { expect, it } from "vitest";
import * as torch from "../../build/torchlet.js";

type Tensor = torch.Tensor;
const { nn, optim } = torch;
const { DataLoader, TensorDataset } = torch.utils.data;

const TEXT = "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age " +
  "of foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it " +
  "was the season of Darkness, it was the spring of hope, it was the winter of despair, we had everything before " +
  "us, we had nothing before us, we were all going direct to Heaven, we were all going direct the other way - in " +
  "short, the period was so far like the present period, that some of its noisiest authorities insisted on its " +
  "being received, for good or for evil, in the superlative degree of comparison only.";

const CONTEXT = 8, EMBED = 16, HIDDEN = 128;

class CharMLP extends nn.Module {
  embed: InstanceType<typeof nn.Embedding>;
  norm = new nn.LayerNorm(CONTEXT * EMBED);
  mlp: InstanceType<typeof nn.Sequential>;
  constructor(vocab: number) {
    super();
    this.embed = new nn.Embedding(vocab, EMBED);
    this.mlp = new nn.Sequential(new nn.Linear(CONTEXT * EMBED, HIDDEN), new nn.GELU(), new nn.Linear(HIDDEN, vocab));
  }
  forward(context: Tensor): Tensor {
    const e = this.embed.forward(context); // [B, CONTEXT, EMBED]
    return this.mlp.forward(this.norm.forward(e.flatten(1)));
  }
}

it("e2e: a character-level Embedding + LayerNorm + MLP trained with DataLoader brings its loss down clearly", () => {
  const start = performance.now();
  const chars = [...new Set(TEXT)].sort();
  const ids = Array.from(TEXT, (c) => chars.indexOf(c));
  const n = ids.length - CONTEXT;
  const contexts = new Int32Array(n * CONTEXT), next = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    contexts.set(ids.slice(i, i + CONTEXT), i * CONTEXT);
    next[i] = ids[i + CONTEXT];
  }
  const ds = new TensorDataset(torch.tensor(contexts, { dtype: "int32", shape: [n, CONTEXT] }), torch.tensor(next, { dtype: "int32" }));
  torch.manualSeed(0);
  const model = new CharMLP(chars.length);
  const optimizer = new optim.AdamW(model.parameters(), { lr: 3e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const loader = new DataLoader(ds, { batchSize: 32, shuffle: true, generator: new torch.Generator().manualSeed(0) });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 40; epoch++) {
    let sum = 0;
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = lossFn.forward(model.forward(xb), yb);
      loss.backward();
      optimizer.step();
      sum += loss.item();
    }
    losses.push(sum / loader.length);
  }
  const seconds = (performance.now() - start) / 1000;
  const [first, last] = [losses[0], losses[losses.length - 1]];
  console.log(`char MLP: ${chars.length} characters, ${n} windows of ${CONTEXT}, ${losses.length} epochs; mean loss ` +
    `${first.toFixed(3)} → ${last.toFixed(3)} (ln ${chars.length} = ${Math.log(chars.length).toFixed(3)}), ${seconds.toFixed(1)} s`);
  expect(last).toBeLessThan(first / 3);
  expect(last).toBeLessThan(1);
}, 120_000);
