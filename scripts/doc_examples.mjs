// The ```ts examples in the public TSDoc (check_docs.mjs finds them), type-checked against
// build/types and run against build/torchlet.js. Each is a program of its own after the
// preamble
//   import * as torch from "torchlet"; const { nn, optim } = torch; const F = nn.functional;
// and what a line shows in its trailing comment is checked, so the docs cannot drift:
//   torch.tensor([1, 2]).sum();       // tensor(3.)          String(value), spaces aside
//   x.index(0);                       // x[0]: tensor([0, 1]) words before a tensor are a label
//   ds.getItem(0);                    // [tensor([1., 2.]), tensor(0.)]  arrays and objects of tensors
//   x.shape;                          // [2, 3]              a JS value; numbers within 1e-5 + 1e-4·|b|
//   loader.length;                    // 4: 3 full, 1 short  "value: why" and "what: value" too
//   const y = x.toArray();            // Float32Array [1, 2] (a declaration shows its value)
//   new optim.SGD([p], { lr: -1 });   // throws: Invalid learning rate
// A trailing comment that is not a value (prose) is left alone. `console.log(v); // …`
// checks v.
//
//   node scripts/doc_examples.mjs [pattern]   (after npm run build) type-checks and runs
// the examples of the symbols whose name matches the pattern (all without one).
import ts from "typescript";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exampleCode, publicSymbols } from "./check_docs.mjs";

const PREAMBLE_NAMES = ["torch", "nn", "optim", "F"];

/** Every example of the public symbols under `typesDir`: `{ id, symbol, file, line, code }`. */
export function docExamples(typesDir = "build/types") {
  return publicSymbols(typesDir).flatMap((s) => s.examples.map((raw, i) => ({
    id: s.examples.length > 1 ? `${s.name} (example ${i + 1})` : s.name,
    symbol: s.name, file: s.file, line: s.line, code: exampleCode(raw),
  })));
}

/**
 * Type-checks the examples as strict TypeScript modules against the declarations in
 * `typesDir`. Returns one `{ id, message }` per error, its line counted within the example.
 */
export function typecheckExamples(examples, typesDir = "build/types") {
  const index = resolve(typesDir, "index.js");
  // import aliases, so that nn.Linear or F.SoftmaxOptions also name types
  const preamble = `import * as torch from ${JSON.stringify(index)}; import nn = torch.nn; import optim = torch.optim; import F = torch.nn.functional;\n`;
  const dir = resolve(typesDir, "..", "__doc_examples__");
  const files = new Map(examples.map((e, i) => [resolve(dir, `example_${i}.ts`), { e, text: `${preamble}${e.code}\nexport {};\n` }]));
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.esnext.disposable.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) => {
    const f = files.get(resolve(name));
    return f ? ts.createSourceFile(name, f.text, lang) : getSourceFile.call(host, name, lang, ...rest);
  };
  host.fileExists = (name) => files.has(resolve(name)) || fileExists.call(host, name);
  host.readFile = (name) => files.get(resolve(name))?.text ?? readFile.call(host, name);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = [];
  for (const [name, { e }] of files) {
    for (const d of program.getSemanticDiagnostics(program.getSourceFile(name)).concat(program.getSyntacticDiagnostics(program.getSourceFile(name)))) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      errors.push({ id: e.id, message: `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}` });
    }
  }
  return errors;
}

/**
 * The example as JavaScript for an async function of (torch, nn, optim, F, console, show,
 * throws): types stripped, and each line with a trailing value comment turned into a check.
 */
export function runnableCode(code) {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits = [];
  for (const st of sf.statements) {
    const comment = ts.getTrailingCommentRanges(code, st.end)?.find((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    if (!comment) continue;
    const said = code.slice(comment.pos + 2, comment.end).trim();
    const line = sf.getLineAndCharacterOfPosition(st.getStart()).line + 1;
    if (ts.isExpressionStatement(st)) {
      let e = st.expression;
      const text = (n) => code.slice(n.getStart(), n.end);
      if (/^throws:/.test(said)) {
        edits.push([st.getStart(), st.end, `await throws(async () => { ${text(e)}; }, ${JSON.stringify(said)}, ${line});`]);
        continue;
      }
      if (ts.isCallExpression(e) && text(e.expression) === "console.log" && e.arguments.length === 1) e = e.arguments[0];
      edits.push([st.getStart(), st.end, `show((${text(e)}), ${JSON.stringify(said)}, ${line});`]);
    } else if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 && ts.isIdentifier(st.declarationList.declarations[0].name)) {
      edits.push([st.end, st.end, ` show(${st.declarationList.declarations[0].name.text}, ${JSON.stringify(said)}, ${line});`]);
    }
  }
  let out = code;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
  return ts.transpileModule(out, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

/** The value a comment states, or undefined when the comment is prose. */
function stated(said) {
  try {
    return { value: new Function(`"use strict"; return (${said});`)() };
  } catch {
    return undefined;
  }
}

const TYPED = /^(Float32Array|Int32Array|Uint8Array)\s+(.*)$/s;

/** Why `value` is not what comment `said` shows, or null when it is (or the comment is prose). */
export function mismatch(value, said, torch) {
  const squash = (s) => s.replace(/\s+/g, "");
  if (/^["'`]/.test(said)) { // a string, even one that holds "tensor("
    const want = stated(said);
    return want === undefined ? null : differs(value, want.value, torch);
  }
  if (/^[[{]/.test(said) && said.includes("tensor(")) {
    // arrays and objects holding tensors: compared as printed, tensors as String(t)
    const shown = render(value, torch);
    return squash(shown) === squash(said) ? null : `shows ${said} but the value prints as ${shown}`;
  }
  if (said.includes("tensor(")) {
    said = said.slice(said.indexOf("tensor("));
    if (!(value instanceof torch.Tensor)) return `shows ${said} but the value is ${describe(value)}`;
    return squash(String(value)) === squash(said) ? null : `shows ${said} but the value prints as ${String(value)}`;
  }
  const typed = TYPED.exec(said);
  if (typed) {
    if (value?.constructor?.name !== typed[1]) return `shows a ${typed[1]} but the value is ${describe(value)}`;
    const want = stated(typed[2]);
    if (!want) return `cannot read ${typed[2]} as a value`;
    return differs(Array.from(value), want.value, torch);
  }
  const want = stated(said) ?? labelled(said);
  return want === undefined ? null : differs(value, want.value, torch);
}

/** The value of "value: why" or "what: value", or undefined when neither side is a value. */
function labelled(said) {
  const first = said.indexOf(": ");
  if (first <= 0) return undefined;
  return stated(said.slice(0, first)) ?? stated(said.slice(said.lastIndexOf(": ") + 2));
}

/** `value` printed as an example's comment shows it: tensors as PyTorch prints them, arrays and objects as literals. */
function render(value, torch) {
  if (value instanceof torch.Tensor) return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => render(v, torch)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${render(v, torch)}`).join(", ")} }`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function differs(value, want, torch, at = "") {
  const where = at ? ` at ${at}` : "";
  if (value instanceof torch.Tensor) return `the value${where} is a Tensor (${String(value)}); show it as tensor(...)`;
  if (typeof want === "number" && typeof value === "number") {
    if (Number.isNaN(want) ? Number.isNaN(value) : Math.abs(value - want) <= 1e-5 + 1e-4 * Math.abs(want) || value === want) return null;
    return `shows ${want}${where} but the value is ${value}`;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(value) || value.length !== want.length) return `shows ${JSON.stringify(want)}${where} but the value is ${describe(value)}`;
    for (let i = 0; i < want.length; i++) {
      const d = differs(value[i], want[i], torch, `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (want !== null && typeof want === "object") {
    if (value === null || typeof value !== "object") return `shows an object${where} but the value is ${describe(value)}`;
    const keys = Object.keys(want), got = Object.keys(value);
    if (keys.length !== got.length || keys.some((k) => !got.includes(k))) {
      return `shows keys ${keys.join(", ")}${where} but the value has ${got.join(", ")}`;
    }
    for (const k of keys) {
      const d = differs(value[k], want[k], torch, `${at}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(value, want) ? null : `shows ${JSON.stringify(want)}${where} but the value is ${describe(value)}`;
}

function describe(v) {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === "object") return `${v.constructor?.name ?? "an object"} ${JSON.stringify(v)?.slice(0, 200) ?? ""}`;
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

const AsyncFunction = (async () => {}).constructor;
const quiet = { ...console, log() {}, info() {}, warn() {} };

/** Runs one example against the library module `torch`; rejects with what went wrong. */
export async function runExample(example, torch) {
  const failures = [];
  const show = (value, said, line) => {
    const why = mismatch(value, said, torch);
    if (why) failures.push(`line ${line}: ${why}`);
  };
  const throws = async (fn, said, line) => {
    const want = said.replace(/^throws:\s*/, "");
    try {
      await fn();
    } catch (e) {
      if (!String(e?.message).includes(want)) failures.push(`line ${line}: should throw "${want}", threw "${e?.message}"`);
      return;
    }
    failures.push(`line ${line}: should throw "${want}" but did not`);
  };
  const fn = new AsyncFunction(...PREAMBLE_NAMES, "console", "show", "throws", runnableCode(example.code));
  await fn(torch, torch.nn, torch.optim, torch.nn.functional, quiet, show, throws);
  if (failures.length) throw new Error(failures.join("\n"));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pattern = new RegExp(process.argv[2] ?? "");
  const examples = docExamples().filter((e) => pattern.test(e.id));
  const torch = await import(pathToFileURL(resolve("build/torchlet.js")).href);
  let bad = 0;
  for (const { id, message } of typecheckExamples(examples)) { bad++; console.log(`type error: ${id}: ${message}`); }
  for (const e of examples) {
    try {
      await runExample(e, torch);
    } catch (err) {
      bad++;
      console.log(`failed: ${e.id} (${e.file.replace(`${resolve("build/types")}/`, "")}:${e.line}):\n  ${String(err?.stack ?? err).split("\n").slice(0, 4).join("\n  ")}`);
    }
  }
  console.log(`${examples.length} examples, ${bad} problems`);
  process.exit(bad ? 1 : 0);
}
