// The demo's command line (node:util parseArgs): flags checked completely, a bad one
// refused with the flag, the value and the expected form.
import { parseArgs } from "node:util";
import { nearest, pickName } from "./names.mjs";
import { OPTIMIZER_NAMES, OPTIMIZER_SETTINGS } from "./optimizers.mjs";
import { SCHEDULER_NAMES } from "./schedulers.mjs";

export const DEFAULTS = { epochs: 300, optimizer: "Adam", scheduler: "StepLR", out: "build/demo" };

const FLAGS = {
  epochs: { type: "string" },
  optimizer: { type: "string" },
  lr: { type: "string" },
  scheduler: { type: "string" },
  compare: { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
};

export const USAGE = `Usage: npm run demo -- [flags]      (or: node examples/boston.mjs [flags], after npm run build)

Trains the seed's TestNet (hidden = Sequential(Linear(13, 10), ReLU()), regression =
Linear(10, 1)) on the Boston housing data: per-layer param groups (hidden at a tenth of the
lr), minibatches of 32, zeroGrad → forward → loss → backward → step, a scheduler per epoch.

  --epochs <n>         epochs to train (default ${DEFAULTS.epochs})
  --optimizer <name>   ${OPTIMIZER_NAMES.join(", ")} (default ${DEFAULTS.optimizer})
  --lr <x>             the default lr; the hidden layer's group gets a tenth of it
                       (default: the optimizer's own, e.g. Adam ${OPTIMIZER_SETTINGS.Adam.lr})
  --scheduler <name>   ${SCHEDULER_NAMES.join(", ")}
                       (default ${DEFAULTS.scheduler})
  --compare            train with each of the nine optimizers in turn: a table of test RMSE
                       and time, and one SVG with all nine loss curves
  --out <dir>          where the SVG is written (default ${DEFAULTS.out})
  -h, --help           this text
`;

function positiveNumber(flag, text, integer) {
  const v = Number(text);
  const ok = text.trim() !== "" && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v));
  if (!ok) throw new Error(`--${flag}: expected a positive ${integer ? "whole number" : "number"}, got "${text}"`);
  return v;
}

/** The options of `argv`, defaults filled in; anything it throws is a mistake in `argv`. */
export function readFlags(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (e) {
    const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(e.message)?.[1];
    if (unknown) {
      const near = nearest(unknown.replace(/^-+/, ""), Object.keys(FLAGS));
      throw new Error(`unknown flag ${unknown} (did you mean --${near}?)`);
    }
    throw e;
  }
  if (values.help) return { help: true };
  const options = {
    compare: Boolean(values.compare),
    epochs: values.epochs === undefined ? DEFAULTS.epochs : positiveNumber("epochs", values.epochs, true),
    optimizer: pickName("--optimizer", values.optimizer ?? DEFAULTS.optimizer, OPTIMIZER_NAMES),
    scheduler: pickName("--scheduler", values.scheduler ?? DEFAULTS.scheduler, SCHEDULER_NAMES),
    lr: values.lr === undefined ? undefined : positiveNumber("lr", values.lr, false),
    out: values.out ?? DEFAULTS.out,
  };
  if (options.compare && (values.optimizer !== undefined || values.lr !== undefined)) {
    throw new Error(`--compare trains all nine optimizers, each at its own lr: it takes no --optimizer or --lr`);
  }
  return options;
}
