// The page's thread: it starts the training worker, sends it the run the controls pick, and
// turns the worker's reports into the charts, the four numbers and the grid of test digits.
// It never trains, so it never freezes. `document.body.dataset.state` is one of loading,
// ready, training, done, stopped, failed (a run threw; the page can train again) and error
// (the worker could not load).
import { lineChart } from "./charts.js";
import { BEYOND_PYTORCH, DEFAULT_CHOICE, describeChoice, OPTIMIZERS, parseLr, SCHEDULERS } from "./choices.js";
import { digitGrid } from "./digit_grid.js";

const $ = (id) => document.getElementById(id);
const percent = (v, digits = 1) => `${(100 * v).toFixed(digits)}%`;
const count = (n) => n.toLocaleString("en-US");

const lossChart = lineChart($("loss-chart"), $("loss-legend"), {
  series: [{ label: "training", color: "#6366f1" }, { label: "test", color: "#f59e0b" }],
  // A log range from 4 (the start is chance: ln 10 ≈ 2.3) down to 0.005, or lower if need be.
  y: {
    distr: 3, log: 10, range: (u, min) => [Math.min(0.005, min ?? 1), 4],
    splits: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3], format: String, legend: (v) => v.toFixed(3),
  },
});
const accuracyChart = lineChart($("accuracy-chart"), $("accuracy-legend"), {
  series: [{ label: "training", color: "#6366f1" }, { label: "test", color: "#f59e0b" }],
  y: { range: [0, 1], splits: [0, 0.2, 0.4, 0.6, 0.8, 1], format: (v) => percent(v, 0), legend: (v) => percent(v) },
});
const grid = digitGrid($("digit-grid"), $("grid-caption"));

let worker = null, epochs = 0, testCount = 0, statusText = "";
const CONTROLS = ["optimizer", "lr", "scheduler", "epochs"];

/** The lr as typed, or the message saying what is wrong with it. */
function readLr() {
  try {
    return { lr: parseLr($("lr").value), problem: null };
  } catch (error) {
    return { lr: null, problem: error.message };
  }
}

function setState(state, status) {
  document.body.dataset.state = state;
  statusText = status;
  refresh();
}

/** The status line, the controls and the footer, from the state and the controls' values. */
function refresh() {
  const state = document.body.dataset.state;
  const { lr, problem } = readLr();
  // A bad lr is said where the status goes, in place of it, until it is fixed.
  $("status").textContent = problem ?? statusText;
  $("status").classList.toggle("problem", problem !== null);
  $("lr").setAttribute("aria-invalid", String(problem !== null));
  const button = $("train");
  button.disabled = state === "loading" || state === "error" || (state !== "training" && problem !== null);
  button.textContent = state === "training" ? "Stop" : ["done", "stopped", "failed"].includes(state) ? "Train again" : "Train";
  for (const id of CONTROLS) $(id).disabled = state === "training";
  if (problem === null) $("training-description").textContent = describeChoice(readChoice(lr));
}

/** What the controls pick: `{ optimizer, lr, scheduler, epochs }`. */
const readChoice = (lr) => ({ optimizer: $("optimizer").value, lr, scheduler: $("scheduler").value, epochs: Number($("epochs").value) });

/** The selects' options, from choices.js; then the default run's values. */
function fillControls() {
  const group = (label, names) => `<optgroup label="${label}">${names.map((n) => `<option value="${n}">${n}</option>`).join("")}</optgroup>`;
  const names = Object.keys(OPTIMIZERS);
  $("optimizer").innerHTML = group("torch.optim", names.filter((n) => !BEYOND_PYTORCH.includes(n))) + group("beyond PyTorch", BEYOND_PYTORCH);
  $("scheduler").innerHTML = Object.entries(SCHEDULERS).map(([n, s]) => `<option value="${n}">${s.label}</option>`).join("");
  $("optimizer").value = DEFAULT_CHOICE.optimizer;
  $("lr").value = String(DEFAULT_CHOICE.lr);
  $("scheduler").value = DEFAULT_CHOICE.scheduler;
  $("epochs").value = String(DEFAULT_CHOICE.epochs);
}

/** Empty charts whose x axes span the epochs chosen. */
function resetCharts() {
  epochs = Number($("epochs").value);
  lossChart.reset(epochs);
  accuracyChart.reset(epochs);
}

function startWorker() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => handlers[data.type]?.(data);
  worker.onerror = (event) => {
    event.preventDefault();
    setState("error", `The training worker failed to start: ${event.message || "see the console"}`);
  };
}

const handlers = {
  ready({ test, trainCount, model }) {
    if (testCount === 0) grid.setDigits(test);
    $("model-description").textContent = `${model.description} — ${count(model.parameters)} parameters.`;
    testCount = test.count;
    if (document.body.dataset.state === "loading") {
      setState("ready", `Ready: ${count(trainCount)} digits to train on, ${count(testCount)} held out to test. Press Train.`);
    }
  },
  progress(p) {
    lossChart.push(p.epoch, [p.trainLoss, p.testLoss]);
    accuracyChart.push(p.epoch, [p.trainAccuracy, p.testAccuracy]);
    grid.setPredictions(p.predictions);
    const right = Math.round(p.testAccuracy * testCount);
    const current = Math.min(epochs, Math.floor(p.epoch) + 1); // the epoch under way
    $("stat-epoch").textContent = `${current} / ${epochs}`;
    $("stat-lr").textContent = `learning rate ${p.lr.toExponential(1)}`;
    $("test-accuracy").textContent = percent(p.testAccuracy);
    $("test-accuracy").dataset.value = String(p.testAccuracy);
    $("stat-right").textContent = `${right} of ${testCount} digits read right`;
    $("stat-test-loss").textContent = p.testLoss.toFixed(3);
    $("stat-train-loss").textContent = p.trainLoss === null ? "\u00a0" : `training loss ${p.trainLoss.toFixed(3)}`;
    $("stat-time").textContent = `${p.seconds.toFixed(1)} s`;
    $("stat-speed").textContent = p.seconds > 0 ? `${count(Math.round(p.samples / p.seconds))} digits/s` : "\u00a0";
    if (p.epoch > 0) setState("training", `Training: epoch ${current} of ${epochs}…`);
  },
  done({ seconds }) {
    const accuracy = Number($("test-accuracy").dataset.value);
    setState("done", `Trained: ${percent(accuracy)} of the ${testCount} test digits read right after ${epochs} epochs, in ${seconds.toFixed(1)} s.`);
  },
  error({ message }) {
    if (document.body.dataset.state === "loading") setState("error", `Loading failed: ${message}`);
    else setState("failed", `Training failed: ${message}`);
  },
};

$("controls").addEventListener("submit", (event) => {
  event.preventDefault();
  if (document.body.dataset.state === "training") {
    worker.terminate(); // the worker is busy training; a fresh one replaces it
    startWorker();
    setState("stopped", `Stopped at epoch ${$("stat-epoch").textContent.split(" ")[0]} of ${epochs}.`);
    return;
  }
  const { lr, problem } = readLr();
  if (problem !== null) return; // the status line already says what is wrong
  resetCharts();
  grid.clearPredictions();
  setState("training", `Training: epoch 1 of ${epochs}…`);
  worker.postMessage({ type: "train", choice: readChoice(lr) });
});

$("optimizer").addEventListener("change", () => {
  const { lr, scheduleFree } = OPTIMIZERS[$("optimizer").value];
  $("lr").value = String(lr); // this optimizer's default here; the person can edit it
  if (scheduleFree) $("scheduler").value = "none"; // its averaging replaces a schedule
  refresh();
});
$("lr").addEventListener("input", refresh);
$("scheduler").addEventListener("change", refresh);
$("epochs").addEventListener("change", () => {
  if (["loading", "ready"].includes(document.body.dataset.state)) resetCharts(); // no run's curves to keep yet
  refresh();
});
$("mistakes-only").addEventListener("change", (event) => grid.setMistakesOnly(event.target.checked));

fillControls();
resetCharts();
setState("loading", "Loading torchlet and the digits…");
startWorker();
