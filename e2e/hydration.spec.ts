// The main pages hydrate without a React hydration error (#418/#423/#425) in the production build,
// whatever the browser's time zone and language: the server renders every date and number the
// browser would otherwise format differently. Helper: e2e/fixtures/hydration.ts (any spec can use it).
// The renter pay page has no React (a route handler's HTML and one script, server/pay-page/): its
// script takes over the server's HTML without an error and without changing what it shows.
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";
import { expectHydratesCleanly, recordHydrationErrors } from "./fixtures/hydration";

const PAY_TOKEN = "e2e-paycash-open".padEnd(43, "0");
const WORKSPACE_PAGES = ["/", "/invoices", "/payments", "/renters", "/billing"];

async function walk(page: Page) {
  const errors = recordHydrationErrors(page);
  await signedIn(page, "acme", "owner@acme.test");
  for (const path of WORKSPACE_PAGES) await expectHydratesCleanly(page, errors, `${origin("acme")}${path}`);
  await payScriptTakesOver(page, `${origin("paycash")}/pay/${PAY_TOKEN}`);
}

async function payScriptTakesOver(page: Page, url: string) {
  const pageErrors: string[] = [];
  const onError = (error: Error) => pageErrors.push(`${error.name}: ${error.message}`);
  page.on("pageerror", onError);
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  const served = await response!.text();
  const main = /<main id="main"[^]*<\/main>/.exec(served)?.[0];
  expect(main, "the server's page").toBeTruthy();
  await expect(page.locator("html[data-pay-ready]")).toHaveCount(1);
  // no framework on the page, and the script left the server's HTML as it was
  expect(await page.evaluate(() => document.querySelectorAll('script[src*="/_next/"]').length)).toBe(0);
  const parsed = await page.evaluate((html) => new DOMParser().parseFromString(html, "text/html").querySelector("main")!.outerHTML, main!);
  expect(await page.evaluate(() => document.querySelector("main")!.outerHTML)).toBe(parsed);
  page.off("pageerror", onError);
  expect(pageErrors, url).toEqual([]);
}

// far from both the server (UTC) and the workspaces (Asia/Phnom_Penh): a date formatted in the
// browser's zone differs from the server's for part of every day
for (const timezoneId of ["America/Los_Angeles", "Asia/Phnom_Penh", "Pacific/Kiritimati"]) {
  test.describe(`a browser in ${timezoneId}`, () => {
    test.use({ timezoneId });

    test("the dashboard, invoices, payments, renters, billing and the pay page hydrate without errors", async ({ page }) => {
      await walk(page);
    });
  });
}

test.describe("a browser set to Khmer", () => {
  test.use({ locale: "km-KH", timezoneId: "Asia/Phnom_Penh" });

  test("the same pages hydrate without errors", async ({ page }) => {
    await walk(page);
  });
});
