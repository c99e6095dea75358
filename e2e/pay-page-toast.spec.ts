// Issue 17 defect: "a success toast shows twice on the pay page". Once a KHQR payment has settled
// and every poll, refetch and frame refresh has answered, exactly one "Payment received" toast is
// on the page: the renter's pay page (/pay/<token>) on a phone and on a desktop, and the
// workspace's own pay page (/billing/pay/<invoice>), whose frame refreshes when the payment
// lifts the suspension.
import { expect, test, type Page } from "./fixtures/test";
import { login, origin } from "./fixtures/helpers";

const TOKEN = "e2e-payco-toast".padEnd(43, "0"); // server/testing/factories.ts E2E_PAY_TOKENS.toast

async function oneSuccessToast(page: Page, text: string | RegExp) {
  const toasts = page.locator(".notyf__toast--success");
  await expect(toasts.first()).toContainText(text);
  // the simulator's refetch, the poll and any refresh have answered: count once nothing is in flight
  await page.waitForLoadState("networkidle");
  await expect(toasts).toHaveCount(1);
  // one Notyf container: the toast helper never makes a second instance
  await expect(page.locator(".notyf")).toHaveCount(1);
}

test.describe.configure({ mode: "serial" });

test("the renter's pay page: a settled KHQR payment shows one success toast", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${origin("payco")}/pay/${TOKEN}`);
  await expect(page.getByTestId("pay-khqr-image")).toBeVisible();
  const number = (await page.getByTestId("pay-invoice-number").textContent())!.trim();
  await page.getByTestId("pay-simulate").click();
  await expect(page.getByTestId("pay-paid")).toBeVisible({ timeout: 15_000 });
  await oneSuccessToast(page, `Payment received for ${number}.`);
  await context.close();
});

test("the workspace's pay page: paying the renewal that lifts a suspension shows one success toast", async ({ page }) => {
  await login(page, "toastco", "owner@toastco.test");
  await page.waitForURL(`${origin("toastco")}/`);
  await page.goto(`${origin("toastco")}/billing`);
  const open = page.getByTestId("open-invoices");
  await expect(open.getByTestId("pay-invoice")).toHaveCount(1);
  await open.getByTestId("pay-invoice").click();
  await page.waitForURL(/\/billing\/pay\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("simulate-payment")).toBeVisible();
  await page.getByTestId("simulate-payment").click();
  await expect(page.getByTestId("checkout-status")).toHaveAttribute("data-status", "paid", { timeout: 15_000 });
  // the frame refreshed: the suspension banner is gone
  await expect(page.getByTestId("subscription-banner")).toHaveCount(0);
  await oneSuccessToast(page, /^Payment received for INV-/);
});
