// Issue 18, USD and riel (docs/CURRENCY.md): on a phone in Khmer a renter opens the pay link of a
// USD invoice, sees its riel value at the rate of its issue day, chooses "pay in riel", gets a KHQR
// in riel (the open amount at today's rate, rounded up to 100 riel), pays it through the Bakong
// fake's simulated transfer and sees it paid. Screenshot: docs/screenshots/pay-riel-km.png.
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { km } from "../lib/i18n/messages/km";

const TOKEN = "e2e-rielco-usd".padEnd(43, "0"); // server/testing/factories.ts E2E_PAY_TOKENS.riel

test("a USD invoice paid in riel from the pay link, on a phone in Khmer", async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: "km-KH",
    timezoneId: "Asia/Phnom_Penh",
  });
  await context.addCookies([{ name: "phteah-locale", value: "km", domain: "rielco.localhost", path: "/" }]);
  const page = await context.newPage();
  await page.goto(`${origin("rielco")}/pay/${TOKEN}`);
  await expect(page.locator("html")).toHaveAttribute("lang", "km");
  // $280.00 at 4,100 riel per dollar (the issue day's rate)
  await expect(page.getByTestId("pay-equivalent")).toContainText("1,148,000៛");
  await expect(page.getByTestId("pay-khqr-amount")).toContainText("$");

  await page.getByRole("link", { name: km.currency.pay.inRiel }).click();
  await page.waitForURL(/\?pay=KHR$/);
  await expect(page.getByTestId("pay-in-other-note")).toContainText("1,148,000៛");
  // the KHQR asks riel: the server rendered it in the page
  await expect(page.getByTestId("pay-khqr-amount")).toHaveText("1,148,000៛");
  await expect(page.getByTestId("pay-khqr-image")).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/pay-riel-km.png", fullPage: true });

  await page.getByTestId("pay-simulate").click();
  await expect(page.getByTestId("pay-paid")).toBeVisible({ timeout: 15_000 });
  await context.close();
});
