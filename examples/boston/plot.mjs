// Loss curves as a standalone SVG: one or more panels side by side (loss on a shared log
// scale against epoch, axes with ticks and labels), a legend on the right, and dashed
// reference lines (the predict-the-mean baseline).

// Tableau 10, its yellow replaced by an olive that reads on white.
export const COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#bcbd22", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f"];
const REFERENCE = "#555555";

const PANEL_W = 520, GAP = 56, LEFT = 76, LEGEND_W = 210, PANEL_H = 380, BOTTOM = 58;
const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\"";

const escape = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (v) => String(Number(v.toPrecision(3)));
const r1 = (v) => Math.round(v * 10) / 10;

/** Ticks m × 10^k between lo and hi: m in 1, 2, 5 (fewer over a wide range, more over a narrow one). */
function logTicks(lo, hi) {
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 3 ? [1] : decades < 0.8 ? [1, 1.5, 2, 3, 5, 7] : [1, 2, 5];
  const ticks = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) if (m * 10 ** e >= lo && m * 10 ** e <= hi) ticks.push(m * 10 ** e);
  }
  return ticks;
}

/** About six round ticks from 0 to `max`. */
function linearTicks(max) {
  const raw = max / 6, p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const ticks = [];
  for (let v = 0; v <= max + 1e-9; v += step) ticks.push(v);
  return ticks;
}

function drawPanel(out, panel, box, { lo, hi, epochs, yLabel, colourOf, index }) {
  const x = (epoch) => box.left + (box.width * epoch) / epochs;
  const y = (v) => box.top + box.height - (box.height * Math.log10(Math.min(hi, Math.max(lo, v)) / lo)) / Math.log10(hi / lo);
  const right = box.left + box.width, bottom = box.top + box.height;
  out.push(`<g class="panel" data-title="${escape(panel.title ?? "")}">`);
  if (panel.title) out.push(`<text x="${box.left}" y="${box.top - 10}" font-size="13" font-weight="600" fill="#333">${escape(panel.title)}</text>`);
  out.push(`<g class="y-axis" fill="#555" text-anchor="end">`);
  for (const v of logTicks(lo, hi)) {
    const yy = r1(y(v));
    out.push(`<line x1="${box.left}" x2="${right}" y1="${yy}" y2="${yy}" stroke="#e8e8e8"/>`);
    out.push(`<line x1="${box.left - 5}" x2="${box.left}" y1="${yy}" y2="${yy}" stroke="#888"/>`);
    out.push(`<text x="${box.left - 8}" y="${yy + 4}">${fmt(v)}</text>`);
  }
  out.push(`</g>`);
  out.push(`<g class="x-axis" fill="#555" text-anchor="middle">`);
  for (const e of linearTicks(epochs)) {
    const xx = r1(x(e));
    out.push(`<line x1="${xx}" x2="${xx}" y1="${box.top}" y2="${bottom}" stroke="#f2f2f2"/>`);
    out.push(`<line x1="${xx}" x2="${xx}" y1="${bottom}" y2="${bottom + 5}" stroke="#888"/>`);
    out.push(`<text x="${xx}" y="${bottom + 19}">${fmt(e)}</text>`);
  }
  out.push(`</g>`);
  out.push(`<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${box.left + box.width / 2}" y="${bottom + 40}" text-anchor="middle" fill="#333">epoch</text>`);
  out.push(`<text transform="translate(${box.left - 54} ${box.top + box.height / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escape(yLabel)}</text>`);
  for (const ref of panel.references ?? []) {
    const yy = r1(y(ref.value));
    out.push(`<line class="reference" data-name="${escape(ref.name)}" x1="${box.left}" x2="${right}" y1="${yy}" y2="${yy}" stroke="${REFERENCE}" stroke-width="1.2" stroke-dasharray="6 4"/>`);
  }
  // Curves, clipped to the panel; value k is epoch k + 1.
  out.push(`<clipPath id="clip-${index}"><rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}"/></clipPath>`);
  out.push(`<g clip-path="url(#clip-${index})" fill="none" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round">`);
  for (const s of panel.series) {
    const d = s.values.map((v, k) => `${k ? "L" : "M"}${r1(x(k + 1))},${r1(y(v))}`).join("");
    out.push(`<path class="curve" data-name="${escape(s.name)}" stroke="${colourOf(s.name)}" d="${d}"/>`);
  }
  out.push(`</g></g>`);
}

/**
 * SVG text of loss curves. `panels`: `[{ title?, series: [{ name, values (one per epoch) }],
 * references?: [{ name, value }] }]`, drawn side by side on one log scale; a name has one
 * colour in every panel. `notes`: `{ name → text }` shown beside names in the legend.
 */
export function lossCurvesSvg({ title, subtitle = "", yLabel = "MSE loss (log scale)", panels, notes = {} }) {
  const values = panels.flatMap((p) => [...p.series.flatMap((s) => s.values), ...(p.references ?? []).map((r) => r.value)])
    .filter((v) => v > 0 && Number.isFinite(v));
  const min = Math.min(...values), max = Math.max(...values);
  const pad = Math.log10(max / min) * 0.04 || 0.05;
  const lo = 10 ** (Math.log10(min) - pad), hi = 10 ** (Math.log10(max) + pad);
  const epochs = Math.max(...panels.flatMap((p) => p.series.map((s) => s.values.length)));
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const colourOf = (name) => COLOURS[names.indexOf(name) % COLOURS.length];
  const referenceNames = [...new Set(panels.flatMap((p) => (p.references ?? []).map((r) => r.name)))];

  const width = LEFT + panels.length * PANEL_W + (panels.length - 1) * GAP + LEGEND_W;
  const top = panels.some((p) => p.title) ? 84 : 66;
  const height = top + PANEL_H + BOTTOM;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="28" font-size="17" font-weight="600" fill="#222">${escape(title)}</text>`];
  if (subtitle) out.push(`<text x="${LEFT}" y="48" fill="#666">${escape(subtitle)}</text>`);
  panels.forEach((panel, i) => {
    const box = { left: LEFT + i * (PANEL_W + GAP), top, width: PANEL_W, height: PANEL_H };
    drawPanel(out, panel, box, { lo, hi, epochs, yLabel: i === 0 ? yLabel : "", colourOf, index: i });
  });

  const lx = width - LEGEND_W + 22;
  out.push(`<g class="legend">`);
  [...names.map((name) => ({ name, colour: colourOf(name) })), ...referenceNames.map((name) => ({ name, colour: REFERENCE, reference: true }))]
    .forEach((item, i) => {
      const ly = top + 8 + i * 22;
      const stroke = item.reference ? `stroke-width="1.2" stroke-dasharray="6 4"` : `stroke-width="2.5"`;
      const note = notes[item.name] === undefined ? "" : `<tspan fill="#777"> ${escape(notes[item.name])}</tspan>`;
      out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${item.colour}" ${stroke}/>`);
      out.push(`<text x="${lx + 32}" y="${ly + 4}" fill="#222">${escape(item.name)}${note}</text>`);
    });
  out.push(`</g>`, `</svg>`);
  return out.join("\n") + "\n";
}
