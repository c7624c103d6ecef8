import { defineConfig } from "vitest/config";
import { playwright } from "@vitest/browser-playwright";
import { RELAXED_PROBE } from "./test/relaxed_probe.mjs";

// The relaxed pass (TORCHLET_WASM=relaxed, scripts/test.mjs) needs V8's flag in a Node that
// has relaxed SIMD only behind it (Node 20); a Node that has it natively needs nothing.
const nodeExecArgv = process.env.TORCHLET_WASM === "relaxed" && !WebAssembly.validate(RELAXED_PROBE)
  ? ["--experimental-wasm-relaxed-simd"] : [];

// Two projects over the same shared cases: Node, and headless Chromium from Debian's
// package (no browser download is possible here). Both test the built bundle. A third,
// e2e, runs in Node and drives the browser example through Playwright in that Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/vitest/**/*.test.ts", "test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          execArgv: nodeExecArgv,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 240_000,
          hookTimeout: 60_000,
        },
      },
      {
        define: { __TORCHLET_WASM__: JSON.stringify(process.env.TORCHLET_WASM ?? "") },
        test: {
          name: "browser",
          include: ["test/vitest/**/*.test.ts"],
          // the bundle reads TORCHLET_WASM from a global in browsers
          setupFiles: ["test/vitest/wasm_build_setup.ts"],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
                args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run"],
              },
            }),
            instances: [{ browser: "chromium" }],
          },
        },
      },
    ],
  },
});
