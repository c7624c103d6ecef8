// Live line charts drawn with uPlot (served from node_modules by serve.mjs): x is the epoch,
// fixed to [0, epochs] so the curves grow left to right as training runs. Each chart has a
// small legend of its own in the card's head that shows the latest value of every series.
import uPlot from "../../node_modules/uplot/dist/uPlot.esm.js";

// Canvas text takes no CSS variables: the axes get the page's font family as resolved.
const FONT = `12px ${getComputedStyle(document.body).fontFamily}`;
const AXIS = { stroke: "#64748b", font: FONT, grid: { stroke: "#eef2f6", width: 1 }, ticks: { show: false }, gap: 6 };

/**
 * A chart in `container`, its legend in `legendBox`, one line per entry of `series` ({ label, color, dash? }).
 * `y` is uPlot scale options plus `splits` (the axis's ticks), `format(value)` for the axis
 * and `legend(value)` for the legend.
 * Returns `{ reset(epochs), push(x, values) }`.
 */
export function lineChart(container, legendBox, { series, y }) {
  const { format, legend: legendFormat, splits, ...yScale } = y;
  let epochs = 1;
  let data = [[], ...series.map(() => [])];

  const plot = new uPlot({
    width: container.clientWidth,
    height: container.clientHeight,
    padding: [10, 12, 0, 0],
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    scales: { x: { time: false, range: () => [0, epochs] }, y: yScale },
    axes: [
      { ...AXIS, size: 24, label: "epoch", labelSize: 18, labelGap: 0, labelFont: FONT, values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : "")) },
      // Every split labelled (uPlot would otherwise thin a log axis's labels to the powers of ten).
      { ...AXIS, size: 52, splits: splits && ((u, axis, min, max) => splits.filter((v) => v >= min && v <= max)), filter: (u, ticks) => ticks, values: (u, ticks) => ticks.map((t) => (t == null ? "" : format(t))) },
    ],
    series: [{}, ...series.map(({ label, color, dash }) => ({
      label, stroke: color, width: 2, dash, spanGaps: true, points: { show: false },
    }))],
  }, data, container);

  const entries = series.map(({ label, color, dash }) => {
    const item = document.createElement("span");
    item.className = "series";
    item.innerHTML = `<i style="border-color:${color};border-style:${dash ? "dashed" : "solid"}"></i>${label} <b>–</b>`;
    legendBox.append(item);
    return item.querySelector("b");
  });

  new ResizeObserver(() => plot.setSize({ width: container.clientWidth, height: container.clientHeight })).observe(container);

  return {
    reset(totalEpochs) {
      epochs = totalEpochs;
      data = [[], ...series.map(() => [])];
      plot.setData(data);
      for (const e of entries) e.textContent = "–";
    },
    push(x, values) {
      data[0].push(x);
      values.forEach((v, i) => {
        data[i + 1].push(v);
        if (v !== null) entries[i].textContent = legendFormat(v);
      });
      plot.setData(data);
    },
  };
}
