// The page's thread: it starts the training worker, and turns the worker's reports into the
// charts, the four numbers and the grid of test digits. It never trains, so it never freezes.
// `document.body.dataset.state` is one of loading, ready, training, done, stopped, error.
import { lineChart } from "./charts.js";
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

let worker = null, epochs = 0, testCount = 0;

function setState(state, status) {
  document.body.dataset.state = state;
  $("status").textContent = status;
  const button = $("train");
  button.disabled = state === "loading" || state === "error";
  button.textContent = state === "training" ? "Stop" : state === "done" || state === "stopped" ? "Train again" : "Train";
  $("epochs").disabled = state === "training";
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
    setState("error", `Training failed: ${message}`);
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
  resetCharts();
  grid.clearPredictions();
  setState("training", `Training: epoch 1 of ${epochs}…`);
  worker.postMessage({ type: "train", epochs });
});

$("epochs").addEventListener("change", () => {
  if (["loading", "ready"].includes(document.body.dataset.state)) resetCharts(); // no run's curves to keep yet
});
$("mistakes-only").addEventListener("change", (event) => grid.setMistakesOnly(event.target.checked));

resetCharts();
setState("loading", "Loading torchlet and the digits…");
startWorker();
