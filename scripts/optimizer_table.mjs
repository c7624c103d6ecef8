// Prints the README's optimizer table from the built bundle: every optimizer's options with
// PyTorch's defaults (the constructor's `defaults`), so the table cannot drift from the code.
//   node scripts/optimizer_table.mjs
import * as torch from "../build/torchlet.js";

const PYTORCH = { ASGD: "ASGD", Adadelta: "Adadelta", Adagrad: "Adagrad", Adam: "Adam", AdamW: "AdamW", Adamax: "Adamax",
  LBFGS: "LBFGS", NAdam: "NAdam", RAdam: "RAdam", RMSprop: "RMSprop", Rprop: "Rprop", SGD: "SGD", Adafactor: "Adafactor", Muon: "Muon" };
// ScheduleFree keeps its per-group running state in `defaults`, as its reference does; not options.
const GROUP_STATE = new Set(["k", "trainMode", "weightSum", "lrMax", "scheduledLr"]);
const show = (v) => (v === null ? "null" : typeof v === "function" ? "a function" : JSON.stringify(v).replace(/,/g, ", "));
const p = torch.zeros([2, 2], { requiresGrad: true });
const rows = ["| optimizer | from | options (defaults) |", "| --- | --- | --- |"];
const names = Object.keys(torch.optim).filter((n) => /^[A-Z]/.test(n) && n !== "Optimizer" && typeof torch.optim[n] === "function");
for (const name of names.sort((a, b) => a.localeCompare(b))) {
  let opt;
  try { opt = new torch.optim[name]([p]); } catch { opt = new torch.optim[name]([p], { lr: 1e-3 }); }
  const from = PYTORCH[name] !== undefined ? "torch.optim" : "beyond PyTorch";
  rows.push(`| \`${name}\` | ${from} | ${Object.entries(opt.defaults).filter(([k]) => !GROUP_STATE.has(k)).map(([k, v]) => `\`${k}\` ${show(v)}`).join(", ")} |`);
}
console.log(rows.join("\n"));
