// The Web Worker that trains (a module worker: `new Worker(url, { type: "module" })`), so
// the page's own thread only draws. On start it loads and splits the digits and posts
// `{ type: "ready", test, trainCount, model }`; `{ type: "train", choice }` then starts a run
// with `choice` = `{ optimizer, lr, scheduler, epochs }` (choices.js) whose reports
// (training.js) it posts back; anything that throws is posted as `{ type: "error", message }`.
// To stop a run, the page terminates the worker.
import { loadDigits } from "./digits.js";
import { describeModel, splitForTraining, trainDigits } from "./training.js";

const DATA = new URL("../../data/digits.csv.gz", import.meta.url);

// A macrotask between reports lets the worker take messages mid-run and hands each report
// to the page as it is made.
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

const fail = (error) => self.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });

const split = loadDigits(DATA).then(splitForTraining);
split.then(({ train, test }) => self.postMessage({ type: "ready", test, trainCount: train.count, model: describeModel() }), fail);

self.onmessage = async ({ data }) => {
  if (data?.type !== "train") return;
  try {
    await trainDigits(await split, data.choice, { report: (message) => self.postMessage(message), pause });
  } catch (error) {
    fail(error);
  }
};
