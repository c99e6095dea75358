// The console's billing pages as the 2FA-enrolled admin: a plan price edit (put back at the
// end), the invoices list with filters, CSV export and "mark paid" through the SweetAlert2
// dialog, the payment it records and its refund (typed confirmation), the webhook inbox after
// a signed Bakong callback (detail and replay), and the invoices table as cards on a phone.
// The open invoice comes from a workspace this spec signs up itself, whose owner picks Pro
// through the billing API, so no seeded workspace changes.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, newClientContext, type Browser, type Page } from "./fixtures/test";
import { adminTest as test } from "./fixtures/admin";
import { origin, postJson } from "./fixtures/helpers";
import { signUpWorkspace } from "./fixtures/signup";
import { E2E_BAKONG_ACCOUNT, E2E_BAKONG_CALLBACK_SECRET } from "./fixtures/constants";
import { BAKONG_HEADERS, signBakongCallback } from "../server/payments/bakong-signature";

const PASSWORD = "a-long-enough-password";

/** A new workspace (a Starter trial) whose owner chose Pro monthly: one open invoice. */
async function workspaceWithOpenInvoice(browser: Browser): Promise<{ slug: string; invoiceId: string }> {
  const context = await newClientContext(browser);
  const page = await context.newPage();
  const { slug } = await signUpWorkspace(page, { prefix: "abill", name: "Sok Dara", business: "Dara Rentals", password: PASSWORD });
  const res = await postJson(page.request, slug, "/api/trpc/billing.changePlan", { json: { planCode: "pro", interval: "month" } });
  expect(res.status(), await res.text()).toBe(200);
  const invoiceId = ((await res.json()) as { result: { data: { json: { invoiceId: string } } } }).result.data.json.invoiceId;
  await context.close();
  return { slug, invoiceId };
}

async function applyInvoiceFilters(page: Page, search: string, status: string) {
  await page.getByLabel("Invoice number or tenant").fill(search);
  await page.getByLabel("Status", { exact: true }).selectOption({ label: status });
  await page.getByRole("button", { name: "Apply" }).click();
}

test("an admin changes a plan price and sees the toast (then puts it back)", async ({ adminPage: page }) => {
  await page.goto(`${origin()}/admin`);
  await page.getByRole("link", { name: "Plans" }).click();
  await expect(page).toHaveURL(`${origin()}/admin/billing/plans`);
  const starter = page.getByTestId("plan-starter");
  const price = starter.getByLabel("Yearly price (KHR)");
  const before = await price.inputValue();
  expect(before).toMatch(/^\d+$/);

  // an invalid price stays in the form with its error next to the field
  await price.fill("12.5");
  await starter.getByRole("button", { name: "Save plan" }).click();
  await expect(starter.getByRole("alert")).toContainText("Enter whole riel");

  await price.fill(String(Number(before) + 1000));
  await starter.getByRole("button", { name: "Save plan" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("Plan Starter saved.");
  await page.reload();
  await expect(page.getByTestId("plan-starter").getByLabel("Yearly price (KHR)")).toHaveValue(String(Number(before) + 1000));

  await page.getByTestId("plan-starter").getByLabel("Yearly price (KHR)").fill(before);
  await page.getByTestId("plan-starter").getByRole("button", { name: "Save plan" }).click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText("Plan Starter saved.");
  await page.reload();
  await expect(page.getByTestId("plan-starter").getByLabel("Yearly price (KHR)")).toHaveValue(before);
});

test("an admin filters invoices, exports them, marks one paid by bank transfer and refunds the payment", async ({
  adminPage: page,
  browser,
}) => {
  test.setTimeout(90_000);
  const { slug } = await workspaceWithOpenInvoice(browser);

  await page.goto(`${origin()}/admin`);
  await page.getByRole("link", { name: "Invoices" }).click();
  await expect(page).toHaveURL(`${origin()}/admin/billing/invoices`);
  await applyInvoiceFilters(page, slug, "Paid");
  await expect(page.getByText("No invoices match.")).toBeVisible();
  await applyInvoiceFilters(page, slug, "Open");
  const rows = page.getByTestId("invoices-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toContainText(slug);
  await expect(row).toContainText("Open");
  await expect(row).toContainText("$49.00");
  const number = (await row.locator("td").first().locator("span.font-medium").textContent())!.trim();
  expect(number).toMatch(/^INV-\d{4}-\d{6}$/);

  // the CSV has exactly the filtered rows
  const pending = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await pending;
  expect(download.suggestedFilename()).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile(await download.path(), "utf8"))
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${number},${slug},open,plan_change,Pro,month`);
  expect(lines[1]).toContain(",49.00,4900,USD,");

  // mark paid: the dialog asks for the reference and shows its error next to the field
  await row.getByRole("button", { name: "Mark paid" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Record a payment for ${number}`);
  await dialog.getByRole("button", { name: "Mark paid" }).click();
  await expect(dialog.locator("#mark-paid-reference-error")).toContainText("Enter the receipt or transfer reference");
  await dialog.getByLabel("Received by").selectOption({ label: "Bank transfer" });
  await dialog.getByLabel("Reference").fill("ABA-TT-E2E-01");
  await dialog.getByRole("button", { name: "Mark paid" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText(`${number} marked paid.`);
  await applyInvoiceFilters(page, slug, "All statuses");
  await expect(rows.first()).toContainText("Paid");
  await expect(rows.first()).toContainText("Bank transfer: ABA-TT-E2E-01");

  // the payment it recorded, then its refund with the typed confirmation
  await page.getByRole("link", { name: "Payments" }).click();
  await page.getByLabel("Invoice, tenant, md5, Bakong hash or reference").fill("ABA-TT-E2E-01");
  await page.getByRole("button", { name: "Apply" }).click();
  const payment = page.getByTestId("payments-table").locator("tbody tr");
  await expect(payment).toHaveCount(1);
  await expect(payment).toContainText(number);
  await expect(payment).toContainText("Paid");
  await payment.getByRole("button", { name: "Refund" }).click();
  await expect(dialog).toContainText("the subscription are not changed");
  await dialog.getByLabel("Reason").fill("Paid twice");
  await dialog.getByLabel(`Type ${number} to confirm`).fill("wrong");
  await dialog.getByRole("button", { name: "Refund" }).click();
  await expect(dialog.locator("#refund-confirm-word-error")).toContainText(`Type ${number} to confirm`);
  await dialog.getByLabel(`Type ${number} to confirm`).fill(number);
  await dialog.getByRole("button", { name: "Refund" }).click();
  await expect(page.locator(".notyf__toast--success").filter({ hasText: "Payment refunded." })).toBeVisible();
  await expect(payment).toContainText("Refunded: Paid twice");
  await expect(payment.getByRole("button", { name: "Refund" })).toHaveCount(0);

  // the payments CSV carries the same filter
  const paymentsDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const paymentsCsv = (await readFile(await (await paymentsDownload).path(), "utf8"))
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(paymentsCsv).toHaveLength(2);
  expect(paymentsCsv[1]).toContain(`,${slug},${number},bank_transfer,refunded,49.00,4900,USD,ABA-TT-E2E-01,`);
  expect(paymentsCsv[1]).toContain(",Paid twice,");
});

test("the webhook inbox lists a signed Bakong callback, shows it in full and replays it", async ({ adminPage: page, request }) => {
  const eventId = `evt-e2e-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const md5 = randomBytes(16).toString("hex");
  const rawBody = JSON.stringify({
    eventId,
    md5,
    transaction: {
      hash: randomBytes(32).toString("hex"),
      fromAccountId: "payer@abaa",
      toAccountId: E2E_BAKONG_ACCOUNT,
      currency: "USD",
      amount: 1,
    },
  });
  const ts = Math.floor(Date.now() / 1000);
  const res = await request.post(`${origin()}/api/webhooks/bakong`, {
    data: rawBody,
    headers: {
      "Content-Type": "application/json",
      [BAKONG_HEADERS.timestamp]: String(ts),
      [BAKONG_HEADERS.signature]: signBakongCallback(E2E_BAKONG_CALLBACK_SECRET, rawBody, ts),
    },
  });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ ignored: true });
  // the exports are guarded like the console: no session, no file
  expect((await request.get(`${origin()}/admin/billing/payments/export`)).status()).toBe(401);
  expect((await request.get(`${origin("acme")}/admin/billing/invoices/export`)).status()).toBe(404);

  await page.goto(`${origin()}/admin`);
  await page.getByRole("link", { name: "Webhook inbox" }).click();
  await page.getByLabel("Provider").selectOption("bakong");
  const row = page.getByTestId("webhooks-table").locator("tbody tr").filter({ hasText: eventId });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("signature")).toHaveText("Valid");
  await expect(row.getByTestId("status")).toHaveText("Ignored");
  await expect(row.getByTestId("attempts")).toHaveText("1");
  await expect(row).toContainText("unknown md5");

  await row.getByRole("link", { name: "Open" }).click();
  const detail = page.getByTestId("webhook-detail");
  await expect(detail.getByTestId("webhook-body")).toContainText(`"md5": "${md5}"`);
  await expect(detail).toContainText("x-bakong-signature");
  await expect(detail).toContainText("No payment is linked to this event.");
  await detail.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByRole("dialog")).toContainText("Replay this event?");
  await page.getByRole("dialog").getByRole("button", { name: "Replay" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("Replayed. Status: Ignored.");
});

test("on a phone the invoices table turns into cards", async ({ adminPage: page, browser }) => {
  const { slug } = await workspaceWithOpenInvoice(browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${origin()}/admin/billing/invoices`);
  await applyInvoiceFilters(page, slug, "Open");
  const cards = page.getByTestId("invoices-cards");
  await expect(cards).toBeVisible();
  await expect(page.getByTestId("invoices-table")).toBeHidden();
  await expect(cards.locator("li")).toHaveCount(1);
  await expect(cards.locator("li").first()).toContainText(slug);
  await expect(cards.locator("li").first().getByRole("button", { name: "Mark paid" })).toBeVisible();
});
