// Subscription billing in the workspace: plans, usage, KHQR checkout (fake Bakong with the
// simulator), the read-only state of an unpaid workspace and the invoice/receipt PDFs.
// Fixtures of scripts/e2e-server.ts: `trialco` (Starter, trialing) and `lapsed` (Pro, suspended,
// open renewal invoice). The tests in this file run in order: the phone test only previews a
// checkout for trialco, the desktop test then buys (its new invoice voids the previewed one).
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

test.describe.configure({ mode: "serial" });

const INVOICE_NUMBER = /^INV-\d{4}-\d{6}$/;

async function openBilling(page: Page, sub: string, email: string) {
  await signedIn(page, sub, email);
  await page.waitForURL(`${origin(sub)}/`);
  await page.goto(`${origin(sub)}/billing`);
  await expect(page.getByTestId("billing-current")).toBeVisible();
}

async function expectTicking(page: Page) {
  const countdown = page.getByTestId("khqr-countdown");
  await expect(countdown).toHaveText(/Expires in (09|10):\d\d/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first ?? "", { timeout: 4000 });
}

async function expectQrImage(page: Page) {
  const img = page.getByTestId("khqr-image");
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute("src", /^data:image\/png;base64,/);
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth >= 200)).toBe(true);
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the billing page and the KHQR checkout fit the screen, with Open in Bakong and expiry", async ({ page }) => {
    // a controllable browser clock (it runs normally until fast-forwarded) for the expiry below
    await page.clock.install();
    await signedIn(page, "trialco", "owner@trialco.test");
    await page.waitForURL(`${origin("trialco")}/`);
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "Billing" }).click();
    await expect(page.getByTestId("subscription-status")).toHaveText("Trial");
    await expect(page.getByTestId("subscription-detail")).toContainText("days left in your trial");
    await expect(page.getByTestId("invoices-cards").or(page.getByText("No invoices yet."))).toBeVisible();
    await noHorizontalScroll(page);
    await page.screenshot({ path: "test-results/billing-mobile.png", fullPage: true });

    await page.getByRole("button", { name: "Yearly" }).click();
    await expect(page.getByTestId("plan-price-pro")).toContainText("$490.00");
    await expect(page.getByTestId("plan-action-pro")).toHaveAttribute("data-action", "upgrade");
    await page.getByTestId("plan-action-pro").click();
    await page.waitForURL(/\/billing\/pay\/[0-9a-f-]{36}$/);
    await expectQrImage(page);
    await expect(page.getByTestId("khqr-amount")).toHaveText("$490.00");
    await expect(page.getByTestId("checkout-status")).toHaveAttribute("data-status", "pending");
    await expectTicking(page);
    // the deep link is shown on phones only
    await expect(page.getByTestId("khqr-deeplink")).toBeVisible();
    await expect(page.getByTestId("khqr-deeplink")).toHaveAttribute("href", /^https?:\/\//);
    const box = await page.getByTestId("khqr-image").boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(260);
    await noHorizontalScroll(page);
    await page.screenshot({ path: "test-results/billing-checkout-mobile.png", fullPage: true });

    // ten minutes later the code is dead: no countdown, no simulate button, a "New QR" offer
    await page.clock.fastForward("10:05");
    await expect(page.getByTestId("checkout-status")).toHaveAttribute("data-status", "expired");
    await expect(page.getByTestId("checkout-status")).toHaveText("QR expired");
    await expect(page.getByTestId("khqr-expired")).toBeVisible();
    await expect(page.getByTestId("khqr-new")).toBeVisible();
    await expect(page.getByTestId("khqr-countdown")).toHaveCount(0);
    await expect(page.getByTestId("simulate-payment")).toHaveCount(0);
    await expect(page.getByTestId("khqr-deeplink")).toHaveCount(0);
  });
});

test("a trial workspace upgrades by KHQR and gets the bigger plan without a reload", async ({ page }) => {
  await openBilling(page, "trialco", "owner@trialco.test");
  await expect(page.getByTestId("subscription-status")).toHaveText("Trial");
  await expect(page.getByTestId("current-plan-name")).toHaveText("Starter");
  await expect(page.getByTestId("usage-members-value")).toHaveText("1 / 5");
  // Starter has no custom roles: the UI says so with the same answer the server enforces
  await page.goto(`${origin("trialco")}/roles`);
  await expect(page.getByRole("button", { name: "New role" })).toBeDisabled();
  await expect(page.getByTestId("upgrade-hint-custom_roles")).toContainText("Custom roles is not included in your Starter plan.");
  await expect(page.getByTestId("upgrade-hint-custom_roles").getByRole("link")).toHaveText("Upgrade to Pro");
  await page.getByTestId("upgrade-hint-custom_roles").getByRole("link").click();
  await page.waitForURL(`${origin("trialco")}/billing`);
  // the phone test left a yearly invoice open
  await expect(page.getByTestId("open-invoices").getByTestId("pay-invoice")).toHaveCount(1);

  await page.getByRole("button", { name: "Monthly" }).click();
  await expect(page.getByTestId("plan-action-pro")).toHaveAttribute("data-action", "upgrade");
  await expect(page.getByTestId("plan-action-free")).toHaveAttribute("data-action", "switch");
  await page.getByTestId("plan-action-pro").click();
  await page.waitForURL(/\/billing\/pay\/[0-9a-f-]{36}$/);
  await expectQrImage(page);
  await expect(page.getByTestId("khqr-amount")).toHaveText("$49.00");
  await expect(page.getByTestId("khqr-merchant")).toHaveText("Phteah");
  await expect(page.getByTestId("checkout-invoice-number")).toHaveText(INVOICE_NUMBER);
  await expect(page.getByTestId("checkout-status")).toHaveAttribute("data-status", "pending");
  await expect(page.getByTestId("checkout-status")).toHaveText("Waiting for your payment…");
  await expectTicking(page);
  await expect(page.getByTestId("khqr-deeplink")).toBeHidden(); // desktop: scan the screen instead
  await page.screenshot({ path: "test-results/billing-checkout-desktop.png", fullPage: true });

  // a reload would lose this marker
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await page.getByTestId("simulate-payment").click();
  await expect(page.getByTestId("checkout-status")).toHaveAttribute("data-status", "paid", { timeout: 15_000 });
  await expect(page.getByTestId("checkout-paid")).toBeVisible();
  await expect(page.locator(".notyf__toast--success").last()).toContainText("Payment received for INV-");
  await expect(page.getByTestId("khqr-countdown")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  await page.getByTestId("checkout-done").click();
  await page.waitForURL(`${origin("trialco")}/billing`);
  await expect(page.getByTestId("current-plan-name")).toHaveText("Pro");
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByTestId("subscription-detail")).toContainText("Active until");
  await expect(page.getByTestId("usage-members-value")).toHaveText("1 / 25");
  await expect(page.getByTestId("plan-action-pro")).toHaveAttribute("data-action", "current");
  await expect(page.getByTestId("plan-action-pro")).toBeDisabled();
  // paying the monthly plan voided the yearly invoice the phone test left
  await expect(page.getByTestId("open-invoices")).toContainText("Nothing to pay.");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await page.screenshot({ path: "test-results/billing-desktop.png", fullPage: true });

  // the invoice and its receipt as PDFs, with the member's session cookie
  const table = page.getByTestId("invoices-table");
  const paidRow = table.locator("tr", { has: page.getByTestId("invoice-status").getByText("Paid", { exact: true }) });
  await expect(paidRow).toHaveCount(1);
  const number = (await paidRow.locator("td").first().textContent())!.trim();
  expect(number).toMatch(INVOICE_NUMBER);
  for (const [testId, filename] of [
    ["invoice-pdf", `${number}.pdf`],
    ["invoice-receipt", `${number}-receipt.pdf`],
  ] as const) {
    const href = await paidRow.getByTestId(testId).getAttribute("href");
    const res = await page.request.get(`${origin("trialco")}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    expect(res.headers()["content-disposition"]).toBe(`inline; filename="${filename}"`);
    expect(res.headers()["cache-control"]).toContain("no-store");
    expect((await res.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  }
  // a void invoice has a PDF but no receipt
  const voidRow = table.locator("tr", { has: page.getByTestId("invoice-status").getByText("Void", { exact: true }) });
  await expect(voidRow).toHaveCount(1);
  const voidHref = await voidRow.getByTestId("invoice-pdf").getAttribute("href");
  expect((await page.request.get(`${origin("trialco")}${voidHref}`)).status()).toBe(200);
  expect((await page.request.get(`${origin("trialco")}${voidHref}?kind=receipt`)).status()).toBe(404);
  // in Khmer too (the member's language)
  await page.context().addCookies([{ name: "phteah-locale", value: "km", domain: "trialco.localhost", path: "/" }]);
  const receiptHref = await paidRow.getByTestId("invoice-receipt").getAttribute("href");
  const km = await page.request.get(`${origin("trialco")}${receiptHref}`);
  expect(km.status()).toBe(200);
  expect((await km.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await page.context().clearCookies({ name: "phteah-locale" });
  // without the session: no PDF
  const anonymous = await page.context().browser()!.newContext();
  expect((await anonymous.request.get(`${origin("trialco")}${voidHref}`)).status()).toBe(401);
  await anonymous.close();

  // a smaller plan waits for the period end (after a confirmation), and can be taken back
  await page.getByTestId("plan-action-starter").click();
  const dialog = page.locator(".swal2-popup");
  await expect(dialog).toContainText("Switch to Starter?");
  await dialog.getByRole("button", { name: "Switch at period end" }).click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText("Starter starts on");
  await expect(page.getByTestId("scheduled-change")).toContainText("Switches to Starter (monthly)");
  await expect(page.getByTestId("plan-card-starter")).toContainText("Starts");
  await expect(page.getByTestId("current-plan-name")).toHaveText("Pro");
  await page.getByRole("button", { name: "Keep current plan" }).click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText("Your current plan stays.");
  await expect(page.getByTestId("scheduled-change")).toHaveCount(0);
  await expect(page.getByTestId("plan-action-starter")).toHaveAttribute("data-action", "switch");

  // the new limits apply: custom roles are now part of the plan
  await page.goto(`${origin("trialco")}/roles`);
  await expect(page.getByRole("button", { name: "New role" })).toBeEnabled();
  await expect(page.getByTestId("upgrade-hint-custom_roles")).toHaveCount(0);
});

test("a suspended workspace is read-only until it pays its renewal by KHQR", async ({ page }) => {
  await signedIn(page, "lapsed", "owner@lapsed.test");
  await page.waitForURL(`${origin("lapsed")}/`);
  const banner = page.getByTestId("subscription-banner");
  await expect(banner).toHaveAttribute("data-status", "suspended");
  await expect(banner).toContainText("read-only");

  // writes are refused, in the UI and on the API
  const email = `late-${Date.now().toString(36)}@example.test`;
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator(".notyf__toast--error").last()).toContainText("This workspace is read-only until its subscription is paid");
  const api = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/roles.create", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ json: { name: "Late desk", permissions: ["workspace.view"] } }),
    });
    return { status: r.status, body: await r.text() };
  });
  expect(api.status).toBe(403);
  expect(api.body).toContain("read-only");

  // Billing stays open: pay the renewal
  await banner.getByRole("link", { name: "Open Billing" }).click();
  await page.waitForURL(`${origin("lapsed")}/billing`);
  await expect(page.getByTestId("subscription-status")).toHaveText("Suspended");
  await expect(page.getByTestId("current-plan-name")).toHaveText("Pro");
  const open = page.getByTestId("open-invoices");
  await expect(open.getByTestId("pay-invoice")).toHaveCount(1);
  await expect(open).toContainText("Pro renewal (monthly)");
  await open.getByTestId("pay-invoice").click();
  await page.waitForURL(/\/billing\/pay\/[0-9a-f-]{36}$/);
  await expectQrImage(page);
  await expect(page.getByTestId("khqr-amount")).toHaveText("$49.00");
  await expectTicking(page);
  await page.getByTestId("simulate-payment").click();
  await expect(page.getByTestId("checkout-status")).toHaveAttribute("data-status", "paid", { timeout: 15_000 });
  // the frame refreshes without a reload: the banner goes away
  await expect(page.getByTestId("subscription-banner")).toHaveCount(0);

  await page.getByTestId("checkout-done").click();
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByTestId("open-invoices")).toContainText("Nothing to pay.");

  // and the write works again
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText(`Invitation sent to ${email}`);
});
