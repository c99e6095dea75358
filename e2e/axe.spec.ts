// Issue 17: an axe check (axe-core through @axe-core/playwright, WCAG 2.1 A and AA rules) of the main
// pages in English and in Khmer: no serious or critical violation. A failure lists each rule, its
// impact and the first elements it found.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

const PAY_TOKENS = {
  khqr: "e2e-payco-look".padEnd(43, "0"), // server/testing/factories.ts E2E_PAY_TOKENS.look
  cash: "e2e-paycash-open".padEnd(43, "0"),
};

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
}

async function useLocale(page: Page, locale: "en" | "km", hosts: string[]) {
  await page
    .context()
    .addCookies(hosts.map((h) => ({ name: "phteah-locale", value: locale, domain: h === "" ? "localhost" : `${h}.localhost`, path: "/" })));
}

for (const locale of ["en", "km"] as const) {
  test.describe(`axe, ${locale}`, () => {
    test("sign-in page", async ({ page }) => {
      await useLocale(page, locale, ["acme"]);
      await page.goto(`${origin("acme")}/login`);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.locator("form").first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("pay page with a KHQR, and without", async ({ page }) => {
      await useLocale(page, locale, ["payco", "paycash"]);
      await page.goto(`${origin("payco")}/pay/${PAY_TOKENS.khqr}`);
      await expect(page.getByTestId("pay-khqr-image")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(`${origin("paycash")}/pay/${PAY_TOKENS.cash}`);
      await expect(page.getByTestId("pay-manual")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    for (const [path, name] of [
      ["/", "dashboard"],
      ["/properties", "properties"],
      ["/renters", "renters"],
      ["/invoices", "invoices"],
      ["/payments", "payments"],
      ["/settings", "settings"],
    ] as const) {
      test(`the owner's ${name} page`, async ({ page }) => {
        await useLocale(page, locale, ["acme"]);
        await signedIn(page, "acme", "owner@acme.test");
        if (path !== "/") await page.goto(`${origin("acme")}${path}`);
        await expect(page.locator("html")).toHaveAttribute("lang", locale);
        await expect(page.locator("main").first()).toBeVisible();
        // lists and figures have loaded (no skeleton or "loading" line left)
        await expect(page.locator("[aria-busy='true']")).toHaveCount(0);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  });
}
