import { defineConfig } from "vitest/config";
import { playwright } from "@vitest/browser-playwright";

// The relaxed pass (TORCHLET_WASM=relaxed, scripts/test.mjs) needs V8's flag in a Node that
// has relaxed SIMD only behind it (Node 20); a Node that has it natively needs nothing.
// (module (func (param v128 v128 v128) (result v128) local.get 0..2 f32x4.relaxed_madd))
const relaxedProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 0x60, 3, 0x7b, 0x7b, 0x7b, 1, 0x7b,
  3, 2, 1, 0, 10, 13, 1, 11, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfd, 0x85, 0x02, 0x0b]);
const nodeExecArgv = process.env.TORCHLET_WASM === "relaxed" && !WebAssembly.validate(relaxedProbe)
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
