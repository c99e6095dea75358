// The renter pay page (/pay/<token> on the tenant host, no login), against the production build
// and the fake Bakong API with the simulator. Fixtures (scripts/e2e-server.ts → seedPayPageFixture):
// `payco` (Pro, own Bakong account, an open USD 280.00 invoice) and `paycash` (Free plan, KHR).
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";

const TOKENS = {
  khqr: "e2e-payco-khqr".padEnd(43, "0"),
  revoked: "e2e-payco-revoked".padEnd(43, "0"),
  cashOnly: "e2e-paycash-open".padEnd(43, "0"),
};

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe.configure({ mode: "serial" });

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("a renter opens the link, sees the invoice and a ticking KHQR with Open in Bakong, pays, and the page flips to paid", async ({
    page,
  }) => {
    await page.goto(`${origin("payco")}/pay/${TOKENS.khqr}`);
    await expect(page.getByTestId("pay-workspace")).toContainText("Payco Apartments");
    await expect(page.getByTestId("pay-invoice-number")).toHaveText(/^R-2026-9\d{5}$/);
    await expect(page.getByTestId("pay-invoice")).toContainText("October 2026");
    await expect(page.getByTestId("pay-invoice")).toContainText("Electricity 120 kWh");
    await expect(page.getByTestId("pay-amount-due")).toHaveText("$280.00");
    await expect(page.getByTestId("pay-status")).toHaveAttribute("data-status", "issued");

    const img = page.getByTestId("pay-khqr-image");
    await expect(img).toBeVisible();
    await expect(img).toHaveAttribute("src", /^data:image\/png;base64,/);
    await expect(page.getByTestId("pay-khqr-amount")).toHaveText("$280.00");
    const countdown = page.getByTestId("pay-khqr-countdown");
    await expect(countdown).toHaveText(/Expires in (09|10):\d\d/);
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first ?? "", { timeout: 4000 });
    await expect(page.getByTestId("pay-khqr-deeplink")).toBeVisible();
    await expect(page.getByTestId("pay-khqr-deeplink")).toHaveAttribute("href", /.+/);
    await noHorizontalScroll(page);
    await page.screenshot({ path: "test-results/pay-page-mobile.png", fullPage: true });

    // the simulator plays Bakong's signed callback; the page polls and flips by itself
    await page.getByTestId("pay-simulate").click();
    await expect(page.getByTestId("pay-paid")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("pay-status")).toHaveAttribute("data-status", "paid");
    await expect(page.getByTestId("pay-amount-due")).toHaveText("$0.00");
    await expect(page.getByTestId("pay-khqr")).toHaveCount(0);

    // opened again later: paid, no QR
    await page.reload();
    await expect(page.getByTestId("pay-paid")).toBeVisible();
    await expect(page.getByTestId("pay-khqr-image")).toHaveCount(0);
  });
});

test.describe("on a desktop", () => {
  test("without KHQR (Free plan, no Bakong account) the page says how to pay in cash or by transfer", async ({ page }) => {
    await page.goto(`${origin("paycash")}/pay/${TOKENS.cashOnly}`);
    await expect(page.getByTestId("pay-workspace")).toContainText("Paycash House");
    await expect(page.getByTestId("pay-amount-due")).toContainText("1,000,000");
    await expect(page.getByTestId("pay-manual")).toContainText("Pay Paycash House in cash or by bank transfer");
    await expect(page.getByTestId("pay-khqr")).toHaveCount(0);
    await expect(page.getByTestId("pay-khqr-deeplink")).toHaveCount(0);
  });

  test("an unknown or revoked token, or a token on another workspace's host, is the plain 404", async ({ page }) => {
    for (const url of [
      `${origin("payco")}/pay/${TOKENS.revoked}`,
      `${origin("payco")}/pay/not-a-token`,
      `${origin("paycash")}/pay/${TOKENS.khqr}`,
    ]) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(404);
      await expect(page.getByTestId("pay-invoice")).toHaveCount(0);
    }
  });

  test("the pay page needs no session and does not redirect to the sign-in page", async ({ page }) => {
    const res = await page.goto(`${origin("paycash")}/pay/${TOKENS.cashOnly}`);
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${origin("paycash")}/pay/${TOKENS.cashOnly}`);
  });
});
