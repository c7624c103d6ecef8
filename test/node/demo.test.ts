// npm run demo, run as a user runs it (node examples/boston.mjs in a child process, stdout a
// pipe): the seed's TestNet must beat predicting the mean, --compare must report all nine
// optimizers, and the SVGs it writes must be well-formed XML with one path per loss curve.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const OUT = mkdtempSync(join(tmpdir(), "torchlet-demo-"));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const NINE = ["Adadelta", "Adagrad", "Adam", "Adamax", "ASGD", "LBFGS", "RMSprop", "Rprop", "SGD"];

function demo(...args: string[]) {
  const r = spawnSync(process.execPath, ["examples/boston.mjs", ...args], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The two numbers after `label` on its line of the report. */
function numbersAfter(stdout: string, label: string): number[] {
  const line = stdout.split("\n").find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no line starting "${label}" in:\n${stdout}`);
  return line.slice(line.indexOf(label) + label.length).trim().split(/\s+/).slice(0, 2).map(Number);
}

// ---- a small XML reader: throws on anything not well-formed -------------------------------
interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[] }

function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => { throw new Error(`not well-formed XML: ${why} at offset ${i}: ${JSON.stringify(src.slice(i, i + 40))}`); };
  const checkText = (text: string) => {
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) fail("a bare &");
  };
  const skipSpace = () => { while (/\s/.test(src[i] ?? "")) i++; };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (src.startsWith("<!--", i)) i = src.indexOf("-->", i) + 3 || fail("an unclosed comment");
      else if (src.startsWith("<?", i)) i = src.indexOf("?>", i) + 2 || fail("an unclosed declaration");
      else return;
    }
  };
  const name = () => {
    const m = /^[A-Za-z_:][\w:.-]*/.exec(src.slice(i));
    if (!m) fail("a name expected");
    i += m![0].length;
    return m![0];
  };
  const element = (): XmlElement => {
    if (src[i] !== "<") fail("< expected");
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      skipSpace();
      if (src.startsWith("/>", i)) { i += 2; return el; }
      if (src[i] === ">") { i++; break; }
      const key = name();
      if (key in el.attrs) fail(`attribute ${key} twice`);
      skipSpace();
      if (src[i++] !== "=") fail("= expected");
      skipSpace();
      const quote = src[i++];
      if (quote !== '"' && quote !== "'") fail("a quoted value expected");
      const end = src.indexOf(quote, i);
      if (end < 0) fail("an unclosed attribute value");
      const value = src.slice(i, end);
      if (value.includes("<")) fail("< in an attribute value");
      checkText(value);
      el.attrs[key] = value;
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf("<", i);
      if (lt < 0) fail(`</${el.name}> missing`);
      checkText(src.slice(i, lt));
      i = lt;
      if (src.startsWith("</", i)) {
        i += 2;
        if (name() !== el.name) fail(`</${el.name}> expected`);
        skipSpace();
        if (src[i++] !== ">") fail("> expected");
        return el;
      }
      if (src.startsWith("<!--", i)) { i = src.indexOf("-->", i) + 3 || fail("an unclosed comment"); continue; }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== src.length) fail("content after the root element");
  return root;
}

function all(el: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  return [...(test(el) ? [el] : []), ...el.children.flatMap((c) => all(c, test))];
}
const curvesIn = (el: XmlElement) => all(el, (e) => e.name === "path" && e.attrs.class === "curve");
/** Points in a path's d: "M x,y L x,y …". */
const points = (d: string) => d.match(/[ML]-?[\d.]+,-?[\d.]+/g)?.length ?? 0;

/** The SVG whose path the demo printed after `label`, read and parsed. */
function svgPrinted(stdout: string, label: string): XmlElement {
  const path = new RegExp(`${label} (\\S+\\.svg)`).exec(stdout)?.[1];
  expect(path, stdout).toBeDefined();
  const full = join(ROOT, path!);
  expect(existsSync(full)).toBe(true);
  const svg = parseXml(readFileSync(full, "utf8"));
  expect(svg.name).toBe("svg");
  expect(svg.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
  return svg;
}

describe("npm run demo (examples/boston.mjs)", () => {
  it("the XML reader the SVG checks use refuses what is not well-formed", () => {
    expect(parseXml(`<?xml version="1.0"?>\n<svg a="1"><g><path d="M1,2L3,4"/></g><text>a &amp; b</text></svg>`).children.length).toBe(2);
    for (const bad of [`<svg><g></svg>`, `<svg a=1/>`, `<svg><text>a & b</text></svg>`, `<svg a="1" a="2"/>`, `<svg/><svg/>`, `<svg a="<"/>`]) {
      expect(() => parseXml(bad), bad).toThrow(/not well-formed/);
    }
  });

  it("trains the seed's TestNet to a test RMSE well below predicting the mean, and draws both loss curves", () => {
    const epochs = 100;
    const r = demo("--epochs", String(epochs), "--out", OUT);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("optimizer  Adam, per-layer param groups: lr 0.01 (hidden 0.001)");
    expect(r.stdout).toContain("schedule   StepLR(stepSize 33, gamma 0.5)");
    const [testRmse, testMae] = numbersAfter(r.stdout, "TestNet, test rows");
    const [baseRmse, baseMae] = numbersAfter(r.stdout, "predict the mean, test rows");
    const [trainRmse] = numbersAfter(r.stdout, "TestNet, training rows");
    expect(baseRmse).toBeGreaterThan(8); // MEDV's spread on the test rows: about 9.5 ($1000s)
    expect(testRmse).toBeLessThan(0.7 * baseRmse);
    expect(testMae).toBeLessThan(0.7 * baseMae);
    expect(trainRmse).toBeGreaterThan(0);
    expect(r.stdout).toMatch(new RegExp(`time +${epochs} epochs, ${epochs * 13} optimizer steps in [\\d.]+ s`));
    // Not a terminal: plain progress lines, no bar.
    expect(r.stdout).toMatch(/^epoch +1\/100 +loss +[\d.]+ +lr 1\.00e-2$/m);
    expect(r.stdout).not.toContain("\r");

    const curves = curvesIn(svgPrinted(r.stdout, "loss curve"));
    expect(curves.map((c) => c.attrs["data-name"])).toEqual(["training loss", "validation loss"]);
    for (const c of curves) expect(points(c.attrs.d)).toBe(epochs);
  });

  it("--compare trains all nine optimizers: a table of nine rows below the baseline and one SVG with nine curves a panel", () => {
    const epochs = 60;
    const r = demo("--compare", "--epochs", String(epochs), "--out", OUT);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf("test RMSE  test MAE"));
    const rows = table.split("\n").slice(1).filter((l) => NINE.includes(l.trim().split(/\s+/)[0]));
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(NINE);
    const [baseRmse] = numbersAfter(table, "predict the mean");
    for (const row of rows) {
      const m = /(\d+\.\d\d) +(\d+\.\d\d) +(\d+\.\d\d) s/.exec(row);
      expect(m, row).not.toBeNull();
      expect(Number(m![1]), row).toBeLessThan(baseRmse);
      expect(Number(m![3]), row).toBeGreaterThan(0);
    }
    expect(rows.filter((l) => l.includes("← best"))).toHaveLength(1);

    const svg = svgPrinted(r.stdout, "loss curves");
    const panels = all(svg, (e) => e.attrs.class === "panel");
    expect(panels.map((p) => p.attrs["data-title"])).toEqual(["training loss", "validation loss (test rows)"]);
    for (const panel of panels) {
      const curves = curvesIn(panel);
      expect(curves.map((c) => c.attrs["data-name"])).toEqual(NINE);
      for (const c of curves) expect(points(c.attrs.d)).toBe(epochs);
    }
    const legend = all(svg, (e) => e.attrs.class === "legend")[0];
    expect(all(legend, (e) => e.name === "text")).toHaveLength(10); // nine optimizers and the baseline
  });

  it("refuses an unknown name with the list and the nearest name, and a bad number naming the flag", () => {
    const cases: [string[], RegExp][] = [
      [["--optimizer", "adm"], /--optimizer: unknown name "adm" \(did you mean Adam\?\); expected one of Adadelta, Adagrad, Adam, Adamax, ASGD, LBFGS, RMSprop, Rprop, SGD/],
      [["--scheduler", "cosine"], /--scheduler: unknown name "cosine" \(did you mean CosineAnnealingLR\?\); expected one of StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, none/],
      [["--epochs", "2.5"], /--epochs: expected a positive whole number, got "2.5"/],
      [["--lr", "fast"], /--lr: expected a positive number, got "fast"/],
      [["--epoch", "5"], /unknown flag --epoch \(did you mean --epochs\?\)/],
      [["--compare", "--optimizer", "SGD"], /--compare trains all nine optimizers/],
    ];
    for (const [args, message] of cases) {
      const r = demo(...args, "--out", OUT);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    }
  });

  it("--help lists every flag; names are taken in any case", () => {
    const help = demo("--help");
    expect(help.status).toBe(0);
    for (const flag of ["--epochs", "--optimizer", "--lr", "--scheduler", "--compare", "--out", "--help"]) expect(help.stdout).toContain(flag);
    const r = demo("--optimizer", "lbfgs", "--scheduler", "reducelronplateau", "--epochs", "3", "--out", OUT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("optimizer  LBFGS, one param group: lr 1, maxIter 5, historySize 20, strong_wolfe, full batch");
    expect(r.stdout).toContain("schedule   ReduceLROnPlateau(");
  });
});
