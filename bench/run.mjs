// npm run bench: every harness in bench/, one after another in this process's children.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

for (const file of ["core.mjs", "optim.mjs", "optim_1e6.mjs"]) {
  const path = new URL(file, import.meta.url).pathname;
  if (!existsSync(path)) continue;
  console.log(`\n## bench/${file}\n`);
  execFileSync(process.execPath, [path], { stdio: "inherit" });
}
