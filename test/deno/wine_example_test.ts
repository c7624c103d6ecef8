// examples/deno/wine.ts, run as its header says (`deno run --allow-read examples/deno/wine.ts`,
// no other permission) in a child process: it must train, then report a test accuracy of at
// least 90% on the 45 held-out wines, with a confusion table that agrees with it.
const ROOT = new URL("../../", import.meta.url);

Deno.test("examples/deno/wine.ts trains with SGD (nesterov) and OneCycleLR to ≥ 90% test accuracy", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "examples/deno/wine.ts"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  }).output();
  const out = new TextDecoder().decode(stdout), err = new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`exit ${code}\n${out}\n${err}`);

  const epochs = [...out.matchAll(/^epoch +(\d+)\/40 +training loss ([\d.]+) +lr ([\d.e+-]+)$/gm)];
  if (epochs.map((m) => Number(m[1])).join() !== "1,10,20,30,40") throw new Error(`epoch lines:\n${out}`);
  const [first, last] = [epochs[0], epochs.at(-1)!].map((m) => Number(m[2]));
  if (!(last < first / 10)) throw new Error(`the training loss fell from ${first} to only ${last}`);
  // OneCycleLR ends at initialLr / finalDivFactor = 0.1 / 25 / 1e4 = 4e-7 after its last step;
  // the line for epoch 40 prints the lr just before that last step, far below the peak.
  if (!(Number(epochs.at(-1)![3]) < 1e-4)) throw new Error(`lr at the end: ${epochs.at(-1)![3]}`);

  const acc = /^test accuracy ([\d.]+)% \((\d+) of 45 wines\)/m.exec(out);
  if (!acc) throw new Error(`no accuracy line:\n${out}`);
  const [percent, correct] = [Number(acc[1]), Number(acc[2])];
  if (percent < 90) throw new Error(`test accuracy ${percent}%`);
  if (Math.abs(percent - (100 * correct) / 45) > 0.05) throw new Error(`${percent}% is not ${correct} of 45`);

  const rows = [...out.matchAll(/^ +class_(\d) +(\d+) +(\d+) +(\d+)$/gm)].map((m) => m.slice(2).map(Number));
  if (rows.length !== 3) throw new Error(`confusion table:\n${out}`);
  const total = rows.flat().reduce((a, b) => a + b, 0), diagonal = rows[0][0] + rows[1][1] + rows[2][2];
  if (total !== 45 || diagonal !== correct) throw new Error(`confusion table sums to ${total}, diagonal ${diagonal}, accuracy says ${correct}`);
});
