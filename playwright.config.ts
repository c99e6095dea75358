import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium where it is installed (CI, this machine); elsewhere Playwright's own browser
// (`npx playwright install chromium` on a laptop with internet). Debian's headless shell first
// (`apt-get install chromium-headless-shell`, as .ci/run does): the browser Playwright itself runs
// headless tests in. The full `chromium` in its headless mode is the whole desktop browser: each
// new window (every test's context) also starts a renderer for the browser's own toolbar UI, CPU
// the two-core machine's server and pages then lack.
const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p && existsSync(p),
);
const launchOptions = {
  ...(chromium ? { executablePath: chromium } : {}),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
const port = Number(process.env.E2E_PORT ?? 3100);

// Parallel workers share one server and its seeded workspaces (docs/TESTING.md, "The e2e suite"):
// the files are spread over the workers, the tests of one file run in order in one worker.
const workers = Number(process.env.E2E_WORKERS ?? 2);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers,
  retries: 0,
  // two workers on two cores: a test's pages answer more slowly than with the machine to itself
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    locale: "en-US",
    // a failed test keeps its trace (actions, DOM snapshots, network, console); without the
    // screencast: its frames cost every test about a tenth of the run's CPU, kept or not
    trace: { mode: "retain-on-failure", screenshots: false },
    launchOptions,
  },
  projects: [
    // signs the shared members and the admin in once (e2e/auth.setup.ts); the others reuse the states
    { name: "setup", use: { ...devices["Desktop Chrome"], launchOptions }, testMatch: /auth\.setup\.ts/ },
    // the phone project first: the workers take files in this order, and its Khmer journey (~50 s,
    // one test) was last, one worker running it alone for half a minute at the end of the suite
    {
      name: "mobile",
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, launchOptions },
      testMatch: /mobile\.spec\.ts/,
    },
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], launchOptions },
      testIgnore: /mobile\.spec\.ts/,
      dependencies: ["setup"],
    },
  ],
  webServer: {
    command: "npx tsx --conditions=react-server scripts/e2e-server.ts",
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
