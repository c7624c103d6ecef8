// Runs every shared case module (test/cases/*.ts exporting `tests`) under `deno test`,
// against the built bundle.
const dir = new URL("../cases/", import.meta.url);
const names: string[] = [];
for await (const entry of Deno.readDir(dir)) if (entry.isFile && entry.name.endsWith(".ts")) names.push(entry.name);
names.sort();
for (const name of names) {
  const mod = await import(new URL(name, dir).href);
  if (mod.tests === undefined) continue;
  for (const [test, fn] of Object.entries(mod.tests as Record<string, () => unknown>)) {
    Deno.test(`${name.replace(/\.ts$/, "")} > ${test}`, async () => { await fn(); });
  }
}
