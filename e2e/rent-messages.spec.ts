// Rent messages (issue 6): on acme, a house of its own is let to a renter with an e-mail address
// (property → unit → renter → contract, all through the UI), the manual invoice run issues its rent
// invoice, and the renter gets `rent.invoice_issued` exactly once: the workspace's message log shows
// it to the renter's address with the pay link in its details, the (stub) Resend API received it
// once with the same link, a second run sends nothing, and the link opens that invoice's pay page.
// Then Resend's signed delivery report for that e-mail marks it delivered, and the console's webhook
// detail shows the message it matched instead of a payment.
import { expect, type APIRequestContext, type Page } from "./fixtures/test";
import { adminTest } from "./fixtures/admin";
import { E2E_RESEND_WEBHOOK_SECRET } from "./fixtures/constants";
import { emailsTo, origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";
import { signResendWebhook } from "../server/notifications/resend-signature";

const ACME = origin("acme");
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PROPERTY = `Mail House ${suffix}`;
const UNIT = "M-1";
const digits = () => String(Math.floor(100 + Math.random() * 900));
const RENTER = {
  km: "ម៉ៅ សុភី",
  latin: `Mao Sophy ${suffix}`,
  // phone numbers are unique per workspace: a fresh one per run (and per retry)
  phone: `012 ${digits()} ${digits()}`,
  email: `renter-${suffix}@example.test`,
};
// the message log names the kind in words (issue 17), not its key rent.invoice_issued
const ISSUED = "Rent invoice issued";

const toastSays = (page: Page, text: string | RegExp) =>
  expect(page.locator(".notyf__toast--success").filter({ hasText: text }).first()).toBeVisible();

/** The renter's rent.invoice_issued rows (activating the contract also wrote them a contract.activated one). */
function logRow(page: Page) {
  return page.getByTestId("messages-table").locator("tbody tr").filter({ hasText: RENTER.email }).filter({ hasText: ISSUED });
}

/** The invoice e-mails the (stub) Resend API received for the renter. */
async function invoiceMails(request: APIRequestContext) {
  return (await emailsTo(request, RENTER.email)).filter((m) => m.subject.startsWith("Rent invoice")) as {
    id: string;
    subject: string;
    text?: string;
    html?: string;
  }[];
}

/** Starts the manual run for the property and waits for its summary. */
async function runInvoices(page: Page): Promise<string> {
  await page.goto(`${ACME}/invoices/run`);
  await page.getByTestId("run-property").selectOption({ label: PROPERTY });
  await page.getByTestId("run-start").click();
  await toastSays(page, "The invoice run started.");
  const progress = page.getByTestId("run-progress");
  await expect(progress).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  return page.getByTestId("run-summary").innerText();
}

// adminTest: the console part at the end needs the 2FA-enrolled admin (signed in once per worker)
adminTest(
  "an issued rent invoice e-mails the renter once, logged with its pay link; the link opens the pay page",
  async ({ page, adminPage, request, browser, exclusive }) => {
    adminTest.setTimeout(180_000);
    // its invoice stays issued to the end: invoices.spec voids acme's first issued USD invoice
    await exclusive("acme-invoices");
    const shared = { invoiceNumber: "", payLink: "", emailId: "" };
    await signedIn(page, "acme", "owner@acme.test");
    await page.waitForURL(`${ACME}/`);

    let propertyId = "";
    await adminTest.step("a property with one unit", async () => {
      await page.goto(`${ACME}/properties`);
      await page.getByTestId("new-property").click();
      const form = page.getByTestId("property-form");
      await form.getByLabel("Name").fill(PROPERTY);
      await form.getByLabel("Type").selectOption("house");
      await form.getByLabel("Address").fill("St. 63, Boeung Keng Kang 1, Phnom Penh");
      await form.getByRole("button", { name: "Create" }).click();
      await page.waitForURL(/\/properties\/[0-9a-f-]{36}$/);
      propertyId = page.url().split("/").pop()!;
      await page.getByTestId("add-unit").click();
      const unit = page.getByTestId("unit-form");
      await unit.getByLabel("Unit code").fill(UNIT);
      await unit.getByLabel("Base rent").fill("200");
      await unit.getByLabel("Currency").selectOption("USD");
      await unit.getByRole("button", { name: "Create" }).click();
      await toastSays(page, `Unit ${UNIT} created.`);
    });

    await adminTest.step("a renter with an e-mail address who reads English", async () => {
      await page.goto(`${ACME}/renters`);
      await page.getByTestId("new-renter").click();
      const form = page.getByTestId("renter-form");
      await form.getByLabel("Name in Khmer").fill(RENTER.km);
      await form.getByLabel("Name in Latin script").fill(RENTER.latin);
      await form.getByLabel("Phone", { exact: true }).fill(RENTER.phone);
      await form.getByLabel("Email", { exact: true }).fill(RENTER.email);
      await form.getByLabel("Language for messages").selectOption("en");
      await form.getByRole("button", { name: "Create renter" }).click();
      await page.waitForURL(/\/renters\/[0-9a-f-]{36}$/);
      await expect(page.locator("main")).toContainText(RENTER.email);
    });

    await adminTest.step("an active contract, billed on the 1st, without utilities", async () => {
      await page.goto(`${ACME}/contracts/new`);
      const form = page.getByTestId("contract-form");
      await form.locator("#contract-property").selectOption(propertyId);
      const unitOption = form.locator("#contract-unit option").filter({ hasText: UNIT });
      await expect(unitOption).toHaveCount(1);
      await form.locator("#contract-unit").selectOption((await unitOption.getAttribute("value"))!);
      await form.locator("#contract-renter-search").fill(RENTER.latin);
      const renterOption = form.locator("#contract-renter option").filter({ hasText: RENTER.latin });
      await expect(renterOption).toHaveCount(1);
      await form.locator("#contract-renter").selectOption((await renterOption.getAttribute("value"))!);
      // started last month (UTC+7 is never a month behind UTC by more than a day)
      const now = new Date(Date.now() + 7 * 3600_000);
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
      await form.locator("#contract-start").fill(start);
      await form.locator("#contract-currency").selectOption("USD");
      await form.locator("#contract-rent").fill("200");
      await form.locator("#contract-deposit").fill("200");
      await form.locator("#contract-billing-day").fill("1");
      await page.getByTestId("contract-save").click();
      await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
      await page.getByTestId("contract-activate").click();
      await page.locator(".swal2-confirm").click();
      await toastSays(page, `Contract activated. Unit ${UNIT} is now occupied.`);
      await expect(page.getByTestId("contract-detail")).toHaveAttribute("data-status", "active");
    });

    await adminTest.step("the manual run issues the invoice", async () => {
      expect(await runInvoices(page)).toBe("1 issued · 0 skipped · 0 failed");
      await page.goto(`${ACME}/invoices?propertyId=${propertyId}`);
      const link = page.getByTestId("invoices-table").getByTestId("invoice-link");
      await expect(link).toHaveCount(1);
      await link.click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
      shared.invoiceNumber = (await page.getByTestId("invoice-number").innerText()).split(/\s/)[0]!;
      expect(shared.invoiceNumber).toMatch(/^R-\d{4}-\d{6}$/);
      shared.payLink = await page.getByTestId("pay-link-url").inputValue();
      expect(shared.payLink).toMatch(new RegExp(`^${ACME}/pay/[A-Za-z0-9_-]{22,}$`));
    });

    await adminTest.step("the message log shows rent.invoice_issued to the renter, sent, with the pay link", async () => {
      await page.goto(`${ACME}/messages`);
      // delivery runs right after the run's transaction: reload until it is sent
      await expect(async () => {
        await page.reload();
        await expect(logRow(page).getByTestId("message-status")).toHaveAttribute("data-status", "sent", { timeout: 1500 });
      }).toPass({ timeout: 20_000 });
      const row = logRow(page);
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(ISSUED);
      await expect(row).toContainText(`Rent invoice ${shared.invoiceNumber} from Acme Apartments`);
      await expect(row.getByTestId("message-to")).toHaveText(RENTER.email);
      await row.getByRole("button", { name: "Details" }).click();
      const drawer = page.getByTestId("message-drawer");
      await expect(drawer.getByTestId("drawer-to")).toHaveText(RENTER.email);
      await expect(drawer).toContainText(ISSUED);
      await expect(drawer.getByTestId("drawer-body")).toContainText(`Hello ${RENTER.latin},`);
      await expect(drawer.getByTestId("drawer-body")).toContainText(`Your rent invoice ${shared.invoiceNumber} for $200.00`);
      await expect(drawer.getByTestId("drawer-body")).toContainText(shared.payLink);
      await expect(drawer.getByTestId("drawer-body")).not.toContainText("[hidden]");
      const mails = await invoiceMails(request);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      await expect(drawer.getByTestId("drawer-provider-id")).toHaveText(mail.id);
      shared.emailId = mail.id;
    });

    await adminTest.step("the e-mail reached Resend once, with the pay link; a second run sends nothing", async () => {
      const [mail] = await invoiceMails(request);
      expect(mail!.subject).toBe(`Rent invoice ${shared.invoiceNumber} from Acme Apartments`);
      expect(mail!.text).toContain(shared.payLink);
      expect(mail!.html).toContain(`href="${shared.payLink}"`);

      // the contract is billed for this month: a second run finds nothing to do
      expect(await runInvoices(page)).toBe("No contract of this property is due for an invoice this month.");
      // every e-mail is a message-log row first (queued in the run's own transaction, which has
      // ended), and a row is sent at most once: one row, already sent, means no second e-mail
      await page.goto(`${ACME}/messages`);
      await expect(logRow(page)).toHaveCount(1);
      await expect(logRow(page).getByTestId("message-status")).toHaveAttribute("data-status", "sent");
      expect(await invoiceMails(request)).toHaveLength(1);
    });

    await adminTest.step("the renter opens the link (no session): the pay page of that invoice", async () => {
      const renter = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const phone = await renter.newPage();
      const res = await phone.goto(shared.payLink);
      expect(res?.status()).toBe(200);
      expect(phone.url()).toBe(shared.payLink);
      await expect(phone.getByTestId("pay-workspace")).toContainText("Acme Apartments");
      await expect(phone.getByTestId("pay-invoice-number")).toHaveText(shared.invoiceNumber);
      await expect(phone.getByTestId("pay-amount-due")).toHaveText("$200.00");
      await expect(phone.getByTestId("pay-status")).toHaveAttribute("data-status", "issued");
      await renter.close();
    });

    await adminTest.step("Resend's delivery report marks it delivered; the console's webhook detail shows that message", async () => {
      const svixId = `msg_rent_${suffix}`;
      const body = JSON.stringify({
        type: "email.delivered",
        created_at: new Date().toISOString(),
        data: { email_id: shared.emailId, to: [RENTER.email] },
      });
      const ts = Math.floor(Date.now() / 1000);
      const res = await request.post(`${origin()}/api/webhooks/resend`, {
        data: body,
        headers: {
          "Content-Type": "application/json",
          "svix-id": svixId,
          "svix-timestamp": String(ts),
          "svix-signature": signResendWebhook(E2E_RESEND_WEBHOOK_SECRET, { id: svixId, timestampSec: ts, rawBody: body }),
        },
      });
      expect(await res.json()).toEqual({ ok: true, status: "delivered", suppressed: false });

      await adminPage.goto(`${origin()}/admin/billing/webhooks`);
      await adminPage.getByLabel("Provider").selectOption("resend");
      const event = adminPage.getByTestId("webhooks-table").locator("tbody tr").filter({ hasText: svixId });
      await expect(event).toHaveCount(1);
      await expect(event.getByTestId("status")).toHaveText("Processed");
      await event.getByRole("link", { name: "Open" }).click();
      const detail = adminPage.getByTestId("webhook-detail");
      await expect(detail.getByTestId("webhook-body")).toContainText(`"email_id": "${shared.emailId}"`);
      const message = detail.getByTestId("webhook-message");
      await expect(detail.getByRole("heading", { name: "Message", exact: true })).toBeVisible();
      await expect(message.getByTestId("webhook-message-key")).toHaveText("rent.invoice_issued");
      await expect(message.getByTestId("webhook-message-to")).toHaveText(RENTER.email);
      await expect(message.getByTestId("webhook-message-status")).toHaveText("Delivered");
      await expect(message).toContainText(`Rent invoice ${shared.invoiceNumber} from Acme Apartments`);
      await expect(message).toContainText("Acme Apartments (acme)");
      await expect(detail).not.toContainText("No payment is linked to this event.");
      await expect(detail.getByRole("heading", { name: "Payment" })).toHaveCount(0);
    });
  },
);
