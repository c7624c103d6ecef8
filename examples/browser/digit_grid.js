// The held-out digits, each drawn from its 8×8 pixels onto a tiny canvas (scaled up by CSS
// with crisp pixels) with the network's reading below it; wrong readings are marked and
// show the true digit struck through. Shows the first `shown` digits, or every mistake.
import { PIXELS, INK_MAX, SIDE } from "./digits.js";

const INK = [15, 23, 42], PAPER = [248, 250, 252]; // the page's --ink and --paper

function drawDigit(canvas, pixels) {
  const context = canvas.getContext("2d");
  const image = context.createImageData(SIDE, SIDE);
  pixels.forEach((v, i) => {
    const t = v / INK_MAX;
    for (let c = 0; c < 3; c++) image.data[4 * i + c] = Math.round(PAPER[c] + (INK[c] - PAPER[c]) * t);
    image.data[4 * i + 3] = 255;
  });
  context.putImageData(image, 0, 0);
}

/** `{ setDigits(test), setPredictions(predictions), setMistakesOnly(flag) }` over `grid`; `caption` says what is shown. */
export function digitGrid(grid, caption, { shown = 100 } = {}) {
  let cells = [], labels = new Uint8Array(0), predictions = null, mistakesOnly = false;

  function describe() {
    const total = labels.length;
    const wrong = predictions ? predictions.reduce((s, p, i) => s + (p !== labels[i]), 0) : 0;
    grid.querySelector(".empty")?.remove();
    if (!mistakesOnly) {
      caption.textContent = `The first ${Math.min(shown, total)} of the ${total} held-out digits, with the network's reading of each.`;
    } else if (!predictions) {
      caption.textContent = "No readings yet: train the network first.";
    } else {
      caption.textContent = wrong === 0 ? `No mistakes among the ${total} held-out digits.`
        : `All ${wrong} mistake${wrong === 1 ? "" : "s"} among the ${total} held-out digits.`;
    }
    if (mistakesOnly && wrong === 0) grid.insertAdjacentHTML("beforeend", `<p class="empty">Nothing to show.</p>`);
  }

  return {
    setDigits(test) {
      labels = test.labels;
      predictions = null;
      cells = Array.from({ length: test.count }, (_, i) => {
        const cell = document.createElement("figure");
        cell.className = i < shown ? "digit" : "digit extra";
        const canvas = Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE });
        drawDigit(canvas, test.pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
        const reading = document.createElement("figcaption");
        reading.className = "reading";
        cell.append(canvas, reading);
        return cell;
      });
      grid.replaceChildren(...cells);
      describe();
    },
    setPredictions(next) {
      predictions = next;
      cells.forEach((cell, i) => {
        const right = next[i] === labels[i];
        cell.classList.toggle("right", right);
        cell.classList.toggle("wrong", !right);
        cell.children[1].innerHTML = right ? `${next[i]}` : `${next[i]}<span class="truth">${labels[i]}</span>`;
        cell.title = right ? `a ${labels[i]}, read right` : `a ${labels[i]}, read as ${next[i]}`;
      });
      describe();
    },
    clearPredictions() {
      predictions = null;
      for (const cell of cells) {
        cell.classList.remove("right", "wrong");
        cell.children[1].textContent = "";
        cell.title = "";
      }
      describe();
    },
    setMistakesOnly(flag) {
      mistakesOnly = flag;
      grid.classList.toggle("mistakes-only", flag);
      describe();
    },
  };
}
