import { defineConfig } from "vitest/config";
import { playwright } from "@vitest/browser-playwright";

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
        test: {
          name: "browser",
          include: ["test/vitest/**/*.test.ts"],
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
