// The README's code blocks cannot rot: every ```js block runs, in order, in one Node module
// per block, against the built package ("torchlet" resolves to this repo). A block may use
// what a reader would have at hand, declared by the prelude below (torch, nn, optim, F, data
// tensors x and y, the seed's TestNet as model, an optimizer and a scheduler); blocks marked ```js no-run (a
// Worker's module, say) are only checked to parse.
import { expect, it } from "vitest";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

const root = new URL("../../", import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, "utf8");
const blocks = [...readme.matchAll(/^```js([^\n]*)\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i, run: !/no-run/.test(m[1]), code: m[2], line: readme.slice(0, m.index).split("\n").length,
}));

const PRELUDE = `
import * as torch from "torchlet";
const { nn, optim } = torch;
const F = nn.functional;
torch.manualSeed(0);
const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
class TestNet extends nn.Module { constructor() { super(); this.hidden = new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU()); this.regression = new nn.Linear(10, 1); } forward(x) { return this.regression.forward(this.hidden.forward(x)); } }
const model = new TestNet();
const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 10 });
`;

it("the README has code blocks to run", () => {
  expect(blocks.filter((b) => b.run).length).toBeGreaterThan(3);
});

for (const b of blocks) {
  it(`README block ${b.index + 1} (line ${b.line}) ${b.run ? "runs" : "parses"}`, () => {
    const dir = `${root}build/readme-blocks`;
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/block${b.index + 1}.mjs`;
    // a block that imports torch itself is complete; the prelude's names are declared only where the block does not declare them
    const ownImport = /import \* as torch from "torchlet(\/init)?"/.test(b.code);
    const names = (list: string): string[] => list.split(/[\s,]+/).filter((n) => n !== "");
    const declared = new Set([...b.code.matchAll(/(?:const|let|class|function)\s+\{?\s*([\w$, ]+)/g)].flatMap((m) => names(m[1])));
    const prelude = ownImport ? "" : PRELUDE.split("\n").filter((l) => {
      const m = /^const\s+\{?\s*([\w$, ]+)/.exec(l);
      return m === null || !names(m[1]).some((n) => declared.has(n));
    }).join("\n");
    writeFileSync(file, `${prelude}\n${b.code}`);
    const args = b.run ? [file] : ["--check", file];
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(r.status, `README line ${b.line}:\n${r.stderr}`).toBe(0);
  }, 130_000);
}
