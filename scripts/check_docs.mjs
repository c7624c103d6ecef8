// npm run check:docs: every public symbol in the declarations that `npm run build` writes
// (build/types) has a TSDoc block, and one with a ```ts example. "Public" is what
// src/index.ts exports, followed through `export * as` namespaces (nn, nn.functional,
// nn.init, optim, optim.lrScheduler, optim.swaUtils, utils.data, autograd), the public
// members of exported classes (inherited ones included, counted once where declared), and
// the Tensor methods that op families merge into the class from `declare module` blocks.
// It reads the declarations through the TypeScript checker, not line by line, so overloads,
// accessor pairs, re-exports under two names (nn.F, nn.functional) and merged interfaces
// count as TypeScript and an editor see them.
//
// What is required of each:
// - functions, classes, class members, Tensor methods, interfaces, type aliases, consts:
//   a doc block with a ```ts (or ```js) example; every overload carries its own block,
//   since an editor shows the block of the overload a call resolves to.
// - fields of exported interfaces (options objects): a doc block; the interface's own
//   example shows them in use.
// - accessor pairs: the getter's block (what an editor shows for both).
// Names starting with `_` are left out: they mirror PyTorch's private members
// (`_get_closed_form_lr`, `_step_count`), which subclasses override and PyTorch does not
// document either. `@internal` members are gone already (stripInternal).
//
//   node scripts/check_docs.mjs [build/types] [--list]
// prints { total, noDoc, noExample } (and with --list, each symbol that lacks one) and
// exits 1 when anything lacks its doc or example.
import ts from "typescript";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** A fenced block whose info string names TypeScript or JavaScript: an example. */
const EXAMPLE_FENCE = /```(?:ts|typescript|js|javascript)\b[^\n]*\n([\s\S]*?)```/g;

/**
 * Every public symbol of the declarations under `typesDir`: `{ name, kind, file, line,
 * needsExample, docs, examples }`, where `docs` holds one doc text per declaration that must
 * carry one ("" where it has none) and `examples` the code of every example in them.
 */
export function publicSymbols(typesDir = "build/types") {
  const entry = resolve(typesDir, "index.d.ts");
  const program = ts.createProgram([entry], {
    noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`check_docs: ${entry} not found; run npm run build first`);
  const seen = new Set();
  const out = [];

  const aliased = (s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const isModule = (s) => (s.flags & ts.SymbolFlags.ValueModule) !== 0 && (s.declarations ?? []).some(ts.isSourceFile);
  const hidden = (d) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
  const memberName = (s) => (s.name.startsWith("__@") ? `[Symbol.${s.name.slice(3).replace(/@\d+$/, "")}]` : s.name);

  /** Records symbol `name` documented by `decls` (each must carry a block), once per declaration set. */
  function record(name, kind, decls, needsExample) {
    decls = decls.filter((d) => !seen.has(d));
    if (decls.length === 0) return;
    for (const d of decls) seen.add(d);
    const docs = decls.map(docText);
    const examples = docs.flatMap((t) => [...t.matchAll(EXAMPLE_FENCE)].map((m) => m[1]));
    const sf = decls[0].getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(decls[0].getStart()).line + 1;
    out.push({ name, kind, file: sf.fileName, line, needsExample, docs, examples });
  }

  function members(owner, type, isStatic) {
    for (const m of checker.getPropertiesOfType(type)) {
      if (m.name.startsWith("_") && !m.name.startsWith("__@")) continue; // PyTorch's private names
      if (isStatic && m.name === "prototype") continue;
      let decls = m.declarations ?? [];
      if (decls.length === 0 || decls.some(hidden)) continue;
      const getter = decls.find(ts.isGetAccessorDeclaration);
      if (getter) decls = [getter];
      const kind = getter ? "getter" : ts.SyntaxKind[decls[0].kind].replace(/Declaration|Signature/, "").toLowerCase();
      record(`${owner}${isStatic ? "." : "#"}${memberName(m)}`, (isStatic ? "static " : "") + kind, decls, true);
    }
  }

  function walk(moduleSymbol, prefix) {
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      const s = aliased(e);
      const name = prefix + e.name;
      if (isModule(s)) {
        walk(s, name + ".");
        continue;
      }
      const decls = s.declarations ?? [];
      const cls = decls.find(ts.isClassDeclaration);
      if (cls) {
        // Tensor: the class, plus the interfaces op families merge into it (their members below)
        record(name, "class", [cls], true);
        members(name, checker.getDeclaredTypeOfSymbol(s), false);
        members(name, checker.getTypeOfSymbol(s), true);
        continue;
      }
      for (const d of decls) {
        const kind = ts.SyntaxKind[d.kind].replace("Declaration", "").toLowerCase();
        if (ts.isFunctionDeclaration(d)) continue; // below, all overloads together
        record(name, kind === "variable" ? "const" : kind, [d], true);
        if (ts.isInterfaceDeclaration(d)) {
          for (const f of d.members) {
            if (!f.name) continue;
            record(`${name}.${f.name.getText()}`, "field", [f], false);
          }
        }
      }
      const fns = decls.filter(ts.isFunctionDeclaration);
      if (fns.length > 0) record(name, "function", fns, true);
    }
  }

  walk(checker.getSymbolAtLocation(source), "torch.");
  return out;
}

/** The TSDoc block(s) attached to a declaration (a const's sit on its statement), or "". */
function docText(d) {
  return ts.getJSDocCommentsAndTags(d).filter(ts.isJSDoc).map((j) => j.getText()).join("\n");
}

/** What each symbol lacks: "doc" when a declaration has no block, "example" when a required example is missing. */
export function lacking(symbol) {
  if (symbol.docs.some((t) => t === "")) return "doc";
  if (symbol.needsExample && symbol.docs.some((t) => ![...t.matchAll(EXAMPLE_FENCE)].length)) return "example";
  return null;
}

/** The text inside an example block, with the leading ` * ` of each line removed. */
export function exampleCode(raw) {
  return raw.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n").trim();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "build/types";
  const symbols = publicSymbols(dir);
  const missing = symbols.map((s) => [s, lacking(s)]).filter(([, why]) => why !== null);
  const total = symbols.length;
  const noDoc = missing.filter(([, why]) => why === "doc").length;
  const noExample = missing.filter(([, why]) => why === "example").length;
  console.log({ total, noDoc, noExample });
  if (process.argv.includes("--list")) {
    for (const [s, why] of missing) console.log(`${s.file.replace(`${resolve(dir)}/`, "")}:${s.line}: no ${why}: ${s.kind} ${s.name}`);
  }
  process.exit(missing.length ? 1 : 0);
}
