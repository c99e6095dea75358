// Issue 18, "Done when": a renter with only Telegram receives the invoice, pays in riel from the pay
// link, and gets the receipt on Telegram — the whole path through the real parts: the monthly run
// queues the invoice message, the sender delivers it with the real grammy library to the local Bot
// API stub (the pay link as an inline button), the pay page quotes the open dollars in riel at the
// day's rate (rounded up to 100) as a KHQR, Bakong's signed callback settles it, and the receipt
// goes to the chat. Nothing here depends on today's date: every day is relative to the clock.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateEnv } from "@/env";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { createContract, createRenter, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { TelegramWebhookService, SECRET_HEADER } from "@/server/notifications/telegram-webhook.public";
import { MessageSender } from "@/server/notifications/sender";
import { flushDeliveries } from "@/server/notifications/queue";
import { runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { RentPayPageService } from "@/server/rent-invoices/pay-page.public";
import { decodeKhqr } from "@/server/payments/khqr";
import { addDaysToDay, dayIn } from "@/lib/dates";
import { callbackBody, postCallback, signedCallback, transactionFor, withFakeBakong } from "./support/billing";
import { hostOf, signedIn, testMeta, type Caller } from "./support/world";

vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({ get: () => undefined }),
}));

const SECRET = "renter-journey-webhook-secret-0123456789";
const ACCOUNT = "landlord@aclb";
const TZ = "Asia/Phnom_Penh";
const NOW = new Date();
const TODAY = dayIn(NOW, TZ);
const bakong = withFakeBakong();

let tg: FakeTelegram;
let w: CreatedTenant;
let owner: Caller;
let renterId: string;
const chatId = 700_000_000 + Math.floor(Math.random() * 1_000_000);
let updateId = 9_000_000 + Math.floor(Math.random() * 1_000_000);

const db = () => new TenantDb(w.tenantId);
const inChat = () => tg.messages.filter((m) => m.chatId === String(chatId));

/**
 * Delivers the messages of `key` as production would: what the process already handed to
 * deliverSoon is awaited, anything still queued (left to the outbox relay) is sent as the relay's
 * sender would. Returns the sent messages (every one on Telegram: the renter has no e-mail).
 */
async function delivered(key: string) {
  await flushDeliveries();
  const queued = await db().run((tx) => tx.outboundMessage.findMany({ where: { key, status: "queued" }, select: { id: true } }));
  const clock = new Date(Date.now() + 1000);
  for (const m of queued) expect(await new MessageSender(() => clock).send(m.id, w.tenantId)).toBe("sent");
  const all = await db().run((tx) => tx.outboundMessage.findMany({ where: { key }, select: { channel: true, status: true } }));
  expect(all.every((m) => m.channel === "telegram" && m.status === "sent")).toBe(true);
  return all;
}

beforeAll(async () => {
  tg = await startFakeTelegram();
  process.env.TELEGRAM_BOT_TOKEN = tg.token;
  process.env.TELEGRAM_BOT_USERNAME = "phteah_journey_bot";
  process.env.TELEGRAM_WEBHOOK_SECRET = SECRET;
  process.env.TELEGRAM_API_ROOT = tg.url;
  validateEnv();
  w = await createTenant({ slug: uniqueSlug("tgjourney"), subscription: { plan: "pro" } });
  await platformDb.run((tx) => tx.tenant.update({ where: { id: w.tenantId }, data: { bakongAccountId: ACCOUNT, timezone: TZ } }));
  owner = await signedIn(w.owner.userId, hostOf(w.slug));
  // no e-mail at all: Telegram is the only way to reach this renter
  const renter = await createRenter({ tenantId: w.tenantId, email: null, locale: "km" });
  renterId = renter.id;
  await db().run((tx) => tx.renter.update({ where: { id: renterId }, data: { messageChannel: "telegram" } }));
  await createContract({
    tenantId: w.tenantId,
    renterId,
    status: "active",
    rentAmount: 28_000,
    currency: "USD",
    billingDay: 1,
    startDate: addDaysToDay(TODAY, -70),
  });
  // the day's rate, set by staff before the run
  await owner.exchangeRates.set({ effectiveDate: addDaysToDay(TODAY, -3), khrPerUsd: 4_100 });
});

afterAll(async () => {
  for (const k of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_ROOT"]) delete process.env[k];
  validateEnv();
  bakong.fake.reset();
  await tg.close();
});

describe("a renter with only Telegram", () => {
  it("links the chat, receives the invoice on Telegram, pays it in riel from the pay link, and gets the receipt on Telegram", async () => {
    // 1. staff share the one-time link; the renter opens it in Telegram (/start <token>)
    const link = await owner.telegram.createLink({ renterId });
    const token = new URL(link.url).searchParams.get("start")!;
    const webhook = new TelegramWebhookService();
    const start = {
      update_id: updateId++,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: chatId, type: "private" },
        from: { id: chatId, is_bot: false, first_name: "Dara", language_code: "km" },
        text: `/start ${token}`,
      },
    };
    const intake = await webhook.receive(
      JSON.stringify(start),
      new Headers({ "content-type": "application/json", [SECRET_HEADER]: SECRET }),
      testMeta(),
    );
    expect(intake.status).toBe(200);
    await webhook.process(intake.eventId!);
    expect(inChat()).toHaveLength(1);

    // 2. the monthly run issues the invoice; the message goes to the chat with the pay button
    const run = await runInvoicesForTenant(w.tenantId, { date: TODAY, trigger: "job", now: NOW });
    expect(run).toMatchObject({ issued: 1, failed: 0 });
    expect(await delivered("rent.invoice_issued")).toHaveLength(1);
    const invoiceMessage = inChat().at(-1)!;
    const invoice = await db().run((tx) => tx.rentInvoice.findFirstOrThrow({ where: { id: run.invoiceIds[0] } }));
    expect(invoiceMessage.text).toContain(invoice.number);
    const payButton = invoiceMessage.buttons.find((b) => b.url.includes("/pay/"))!;
    expect(payButton).toBeTruthy();
    const payToken = new URL(payButton.url).pathname.split("/").at(-1)!;
    expect(payToken).toBe(invoice.payToken);

    // 3. the pay link quotes $280.00 in riel at the day's 4,100 (1,148,000 riel) and makes a riel KHQR
    const tenant = { id: w.tenantId, slug: w.slug, name: w.slug, status: "active" as const, locale: "km", timezone: TZ, currency: "USD" };
    const pay = new RentPayPageService(tenant, testMeta(), () => new Date());
    expect((await pay.view(payToken)).payInOther).toEqual({ currency: "KHR", amount: 1_148_000, khrPerUsd: 4_100 });
    const attempt = await pay.checkout(payToken, "KHR");
    expect(decodeKhqr(attempt.qr)).toMatchObject({ accountId: ACCOUNT, amount: 1_148_000, currency: "KHR", billNumber: invoice.number });

    // 4. Bakong confirms the riel transfer (twice, as a retry would): settled once, exactly
    const payment = await db().run((tx) => tx.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } }));
    const transfer = transactionFor({ amount: 1_148_000, currency: "KHR", receivingAccount: ACCOUNT });
    for (let i = 0; i < 2; i++) expect((await postCallback(signedCallback(callbackBody(payment.md5!, transfer)))).status).toBe(200);
    expect(await db().run((tx) => tx.rentInvoice.findUniqueOrThrow({ where: { id: invoice.id } }))).toMatchObject({
      status: "paid",
      amountPaid: 28_000,
    });
    expect(await db().run((tx) => tx.payment.findUniqueOrThrow({ where: { id: payment.id } }))).toMatchObject({
      status: "paid",
      amount: 28_000,
      currency: "USD",
      receivedAmount: 1_148_000,
      receivedCurrency: "KHR",
      khrPerUsd: 4_100,
    });

    // 5. the receipt reaches the chat, once, with its number and the PDF button
    expect(await delivered("rent.receipt")).toHaveLength(1);
    const paid = await db().run((tx) => tx.payment.findUniqueOrThrow({ where: { id: payment.id } }));
    const receipt = inChat().at(-1)!;
    expect(receipt.text).toContain(paid.receiptNumber!);
    expect(receipt.buttons.some((b) => b.url.includes(`/receipts/${payment.id}`))).toBe(true);
    expect(inChat()).toHaveLength(3);
  });
});
