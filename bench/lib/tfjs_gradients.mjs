// tfjs-core's Node build (dist/tf-core.node.js, what `import "@tensorflow/tfjs-core"` loads)
// registers no gradients: the `@tensorflow/tfjs` package, which is not installed here, adds
// them from tfjs-core's ESM sources, which Node cannot load as they are (extensionless
// imports in a CommonJS package). This bundles that registration with esbuild into one
// file Node can import. tfjs keeps its registries and engine on the global object and its
// Tensor `instanceof` is duck-typed, so the bundle's gradients serve the CommonJS core.
import { createRequire } from "node:module";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const CACHE = fileURLToPath(new URL("../.cache/", import.meta.url));

/** The path of the bundled gradient registration, built on first use. */
export async function tfjsGradientsBundle() {
  const corePkg = require.resolve("@tensorflow/tfjs-core/package.json");
  const { version } = require(corePkg);
  const out = join(CACHE, `tfjs-core-${version}-gradients.mjs`);
  if (!existsSync(out)) {
    const { build } = await import("esbuild");
    mkdirSync(CACHE, { recursive: true });
    const dist = join(dirname(corePkg), "dist");
    await build({
      stdin: {
        contents: [
          `import ${JSON.stringify(join(dist, "register_all_gradients.js"))};`,
          `import ${JSON.stringify(join(dist, "public/chained_ops/register_all_chained_ops.js"))};`,
        ].join("\n"),
        resolveDir: dist,
      },
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: out,
      logLevel: "error",
    });
  }
  return out;
}

/** Registers tfjs's gradients (for optimizer.minimize) in this process. */
export async function registerTfjsGradients() {
  await import(pathToFileURL(await tfjsGradientsBundle()).href);
}
