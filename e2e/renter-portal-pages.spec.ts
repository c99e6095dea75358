// Issue 18, renter portal pages on a 390×844 phone in Khmer: the fixture's renter
// (server/testing/portal-fixture.ts), signed in with the e-mailed code, sees their balance and
// the invoice to pay on the home page, the invoice list as cards, opens one invoice, downloads its
// PDF, sees the receipts (and downloads one) and the statement of their contract. Another renter's invoice never shows; an id that is not
// theirs is "not found". Screenshots: docs/screenshots/renter-portal-*.png.
import { expect, test, type APIRequestContext, type Page } from "./fixtures/test";
import { emailsTo, origin } from "./fixtures/helpers";

const SLUG = "portalpages";
const PORTAL = origin(SLUG);
// the fixture's renter (server/testing/portal-fixture.ts, seeded by scripts/e2e-server.ts)
const EMAIL = "renter@portalpages.test";
const CODE_MAIL = /លេខកូដចូល|sign-in code/;

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "km-KH" });

/** Signs the fixture's renter in with the code e-mailed to them (the real Resend SDK to the local stub). */
async function signInRenter(page: Page, request: APIRequestContext): Promise<void> {
  await page.context().addCookies([{ name: "phteah-locale", value: "km", url: `${PORTAL}/` }]);
  await page.goto(`${PORTAL}/renter/login`);
  const before = (await emailsTo(request, EMAIL)).filter((m) => CODE_MAIL.test(m.subject)).length;
  await page.locator('input[name="identifier"]:not([type="hidden"])').fill(EMAIL);
  await page.getByRole("button", { name: "ផ្ញើលេខកូដមកខ្ញុំ" }).click();
  await expect(page.getByTestId("renter-code-sent")).toBeVisible();
  let mails: Awaited<ReturnType<typeof emailsTo>> = [];
  await expect
    .poll(async () => (mails = (await emailsTo(request, EMAIL)).filter((m) => CODE_MAIL.test(m.subject))).length)
    .toBeGreaterThan(before);
  const code = /\b(\d{6})\b/.exec(mails.at(-1)!.subject)?.[1];
  await page.locator('input[name="code"]').fill(code!);
  await page.getByRole("button", { name: "ចូល", exact: true }).click();
  await page.waitForURL(`${PORTAL}/renter`);
}

test("a renter reads the portal on a phone in Khmer: home, invoices, one invoice and its PDF, receipts, the statement", async ({
  page,
  request,
}) => {
  await signInRenter(page, request);

  // home: the balance of the contract, the open invoices with a Pay button, the last receipt
  await page.goto(`${PORTAL}/renter`);
  await expect(page.getByRole("heading", { level: 1, name: "ការជួលរបស់ខ្ញុំ" })).toBeVisible();
  // still to pay: October 325.00 + September 125.00 left
  await expect(page.getByTestId("portal-balance-outstanding")).toHaveText("450.00$");
  const open = page.getByTestId("portal-open-invoice");
  await expect(open).toHaveCount(2);
  await expect(open.first().getByTestId("portal-pay")).toHaveAttribute("href", /^\/pay\//);
  await expect(page.getByTestId("portal-last-receipt")).toContainText("200.00$");
  await page.screenshot({ path: "docs/screenshots/renter-portal-home-km.png", fullPage: true });

  // the invoice list: the renter's three invoices, one card each on a phone (never the other renter's)
  await page.getByRole("link", { name: "វិក្កយបត្រទាំងអស់" }).click();
  await page.waitForURL(`${PORTAL}/renter/invoices`);
  const cards = page.getByTestId("portal-invoices-cards").locator("li");
  await expect(cards).toHaveCount(3);
  await expect(cards.nth(0)).toContainText("តុលា 2026");
  await expect(cards.nth(0).locator('[data-status="issued"]')).toHaveText("ត្រូវបង់");
  await expect(cards.nth(1).locator('[data-status="partially_paid"]')).toBeVisible();
  await expect(cards.nth(2).locator('[data-status="paid"]')).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/renter-portal-invoices-km.png", fullPage: true });

  // one invoice: lines, what is left, Pay by KHQR (its pay page), the PDF
  await cards.nth(1).getByTestId("portal-invoice-link").click();
  await page.waitForURL(/\/renter\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("portal-invoice-lines").locator("li")).toHaveCount(3);
  await expect(page.getByTestId("portal-invoice-open")).toHaveText("125.00$");
  await expect(page.getByTestId("portal-invoice-pay-khqr")).toHaveAttribute("href", /^\/pay\//);
  const pdfHref = await page.getByTestId("portal-invoice-download").getAttribute("href");
  const pdf = await page.request.get(`${PORTAL}${pdfHref}`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // an id that is not the renter's: not found, for the page and the PDF alike
  const foreign = "0190c0de-0000-7000-8000-000000000000";
  expect((await page.request.get(`${PORTAL}/renter/invoices/${foreign}/pdf`)).status()).toBe(404);
  expect((await page.goto(`${PORTAL}/renter/invoices/${foreign}`))!.status()).toBe(404);

  // the receipts: one per payment, each with its PDF
  await page.goto(`${PORTAL}/renter/receipts`);
  const receipts = page.getByTestId("portal-receipts-cards").locator("li");
  await expect(receipts).toHaveCount(2);
  await expect(receipts.nth(0)).toContainText("200.00$");
  await expect(receipts.nth(1)).toContainText("325.00$");
  const receiptHref = await receipts.nth(0).getByTestId("portal-receipt-pdf").getAttribute("href");
  const receipt = await page.request.get(`${PORTAL}${receiptHref}`);
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()["content-disposition"]).toMatch(/RC-2026-\d{6}\.pdf/);

  // the statement of the contract: three charges, two payments, what is still to pay
  await page.getByRole("navigation").getByRole("link", { name: "កិច្ចសន្យា" }).click();
  await page.waitForURL(`${PORTAL}/renter/contracts`);
  await expect(page.getByTestId("portal-contract")).toHaveCount(1);
  await expect(page.getByTestId("portal-ledger-cards").locator("li")).toHaveCount(5);
  await expect(page.getByTestId("portal-contract-outstanding")).toHaveText("450.00$");

  // the receipts in English (the language switch)
  await page.context().addCookies([{ name: "phteah-locale", value: "en", url: `${PORTAL}/` }]);
  await page.goto(`${PORTAL}/renter/receipts`);
  await expect(page.getByRole("heading", { level: 1, name: "Receipts" })).toBeVisible();
  await expect(page.getByTestId("portal-receipts-cards").locator("li")).toHaveCount(2);
  await expect(page.getByTestId("portal-receipts-cards")).toContainText("Bank transfer");
  await page.screenshot({ path: "docs/screenshots/renter-portal-receipts-en.png", fullPage: true });

  // without the session: the PDF is refused, the pages send the renter to sign in
  await page.context().clearCookies();
  expect((await page.request.get(`${PORTAL}${pdfHref}`)).status()).toBe(401);
});
