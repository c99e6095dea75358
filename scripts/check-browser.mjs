// Before the e2e suite: make sure a Chromium is there, and say how to get one if not.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

// the same order as playwright.config.ts
const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  Boolean,
);
const system = candidates.find((p) => existsSync(p));
let bundled = null;
try {
  bundled = chromium.executablePath();
} catch {
  bundled = null;
}
if (!system && !(bundled && existsSync(bundled))) {
  console.error(
    "✖ No Chromium for the e2e suite.\n" +
      "  Debian/Ubuntu: sudo apt-get install -y chromium-headless-shell (or chromium)\n" +
      "  Anywhere with internet: npx playwright install chromium\n" +
      "  Or point CHROMIUM_PATH at a Chromium/Chrome binary.",
  );
  process.exit(1);
}
console.log(`▸ e2e browser: ${system ?? bundled}`);
