// Issue 18, Telegram: receipts pushed to the renter and the link token's safety (docs/TELEGRAM.md),
// with the real grammy library against the local Bot API stub and the real Resend SDK against the
// vendor stub:
// - a rent payment (cash by staff, KHQR by Bakong's callback) queues rent.receipt on the renter's
//   channel(s), deduplicated per payment (a retried callback sends nothing twice), with the receipt
//   number, amount, method, invoice, balance and the receipt PDF link, which opens without a session
//   through the invoice's pay link (and only for that invoice's payments);
// - a chat that links tells the renter by e-mail (naming the Telegram account), staff see the name;
//   a renter keeps one chat and a chat one renter per workspace (never re-linked silently);
// - the pay page's link is for the invoice's renter only and expires in 30 minutes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateEnv } from "@/env";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { createContract, createRenter, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { startVendorStub, type VendorStub } from "@/server/testing/stubs";
import { TelegramWebhookService, SECRET_HEADER } from "@/server/notifications/telegram-webhook.public";
import { MessageSender } from "@/server/notifications/sender";
import { telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";
import { TELEGRAM_PAY_LINK_TTL_MS } from "@/server/notifications/telegram-link";
import type { SessionClaims } from "@/server/auth/auth.public";
import { callbackBody, openRentInvoice, postCallback, signedCallback, transactionFor, withFakeBakong } from "./support/billing";
import { callerFor, expectTRPCError, hostOf, PORT, signedIn, testMeta, uniqueIp, type Caller } from "./support/world";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handler itself
import { GET as receiptLinkRoute } from "@/app/(pay)/t/[tenant]/pay/[token]/receipts/[paymentId]/route";

const SECRET = "telegram-receipts-webhook-secret-0123456789";
const bakong = withFakeBakong();
const ACCOUNT = "landlord@aclb";

let tg: FakeTelegram;
let vendor: VendorStub;
let w: CreatedTenant;
let owner: Caller;
let renter: { id: string };
let invoice: { id: string; number: string; payToken: string | null };
let updateId = 8_000_000 + Math.floor(Math.random() * 1_000_000);
const chatId = 600_000_000 + Math.floor(Math.random() * 1_000_000);
const EMAIL = `tg-receipt-${Math.floor(Math.random() * 1e9)}@example.com`;

function update(text: string, chat = chatId, from: Record<string, unknown> = {}) {
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 1,
      chat: { id: chat, type: "private" },
      from: { id: chat, is_bot: false, first_name: "Sreyneang", last_name: "Chan", username: "sreyneang_c", language_code: "km", ...from },
      text,
    },
  };
}

async function deliver(body: unknown) {
  const service = new TelegramWebhookService();
  const headers = new Headers({ "content-type": "application/json", [SECRET_HEADER]: SECRET });
  const intake = await service.receive(JSON.stringify(body), headers, testMeta());
  expect(intake.status).toBe(200);
  return service.process(intake.eventId!);
}

const tokenOf = (url: string) => new URL(url).searchParams.get("start")!;
const sentTo = (chat: number | string) => tg.messages.filter((m) => m.chatId === String(chat));
const db = () => new TenantDb(w.tenantId);
const renterRow = () =>
  db().run((tx) => tx.renter.findFirstOrThrow({ where: { id: renter.id }, select: { telegramChatId: true, telegramName: true } }));
const messagesByKey = (key: string) => db().run((tx) => tx.outboundMessage.findMany({ where: { key }, orderBy: { createdAt: "asc" } }));
/** Sends every queued message of `ids` as the sender would (the clock just after they were queued). */
async function send(ids: string[]) {
  const clock = new Date(Date.now() + 1000);
  for (const id of ids) expect(await new MessageSender(() => clock).send(id, w.tenantId)).toBe("sent");
}

function request(host: string, url: string): Request {
  current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "km" });
  current.claims = null;
  return new Request(`http://${host}:${PORT}${url}`, { headers: current.headers });
}

beforeAll(async () => {
  tg = await startFakeTelegram();
  vendor = await startVendorStub();
  process.env.TELEGRAM_BOT_TOKEN = tg.token;
  process.env.TELEGRAM_BOT_USERNAME = "phteah_receipts_bot";
  process.env.TELEGRAM_WEBHOOK_SECRET = SECRET;
  process.env.TELEGRAM_API_ROOT = tg.url;
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = vendor.url;
  validateEnv();
  w = await createTenant({ slug: uniqueSlug("tgrc"), subscription: { plan: "pro" } });
  await platformDb.run((tx) => tx.tenant.update({ where: { id: w.tenantId }, data: { bakongAccountId: ACCOUNT } }));
  owner = await signedIn(w.owner.userId, hostOf(w.slug));
  renter = await createRenter({ tenantId: w.tenantId, email: EMAIL, locale: "km" });
  await db().run((tx) => tx.renter.update({ where: { id: renter.id }, data: { messageChannel: "both" } }));
  invoice = await openRentInvoice(w, renter.id);
});

afterAll(async () => {
  for (const k of [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BOT_USERNAME",
    "TELEGRAM_WEBHOOK_SECRET",
    "TELEGRAM_API_ROOT",
    "RESEND_API_KEY",
    "RESEND_BASE_URL",
  ])
    delete process.env[k];
  validateEnv();
  bakong.fake.reset();
  await Promise.all([tg.close(), vendor.close()]);
});

describe("linking safely", () => {
  it("the pay page's link is for the invoice's renter only and expires in 30 minutes", async () => {
    const now = new Date();
    const offered = await telegramLinkForPayToken(w.tenantId, invoice.payToken!, now);
    expect(offered?.url).toMatch(/^https:\/\/t\.me\/phteah_receipts_bot\?start=[A-Za-z0-9_-]{24}$/);
    const rows = await db().run((tx) => tx.telegramLinkToken.findMany({ where: { usedAt: null } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ renterId: renter.id, createdById: null });
    expect(rows[0]!.expiresAt.getTime() - now.getTime()).toBe(TELEGRAM_PAY_LINK_TTL_MS);
    expect(TELEGRAM_PAY_LINK_TTL_MS).toBe(30 * 60_000);
  });

  it("a chat that links tells the renter by e-mail, naming the Telegram account; staff see the name", async () => {
    const link = await owner.telegram.createLink({ renterId: renter.id });
    expect(await deliver(update(`/start ${tokenOf(link.url)}`))).toMatchObject({ status: 200 });
    expect(await renterRow()).toEqual({ telegramChatId: String(chatId), telegramName: "Sreyneang Chan (@sreyneang_c)" });
    const status = await owner.telegram.status({ renterId: renter.id });
    expect(status).toMatchObject({ linked: true, telegramName: "Sreyneang Chan (@sreyneang_c)" });

    const notices = await messagesByKey("renter.telegram_linked");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: "email", to: EMAIL, locale: "km" });
    expect(notices[0]!.dedupeKey).toMatch(/^telegram-linked:/);
    await send([notices[0]!.id]);
    const mail = vendor.emails.filter((e) => e.to.includes(EMAIL)).at(-1)!;
    expect(mail.subject).toContain("តេឡេក្រាម");
    expect(mail.text).toContain("Sreyneang Chan (@sreyneang_c)");
    expect(mail.text).toContain("ម្ចាស់ផ្ទះ");

    const audit = await db().run((tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "renter.telegram_linked", targetId: renter.id }, orderBy: { createdAt: "desc" } }),
    );
    expect(audit.metadata).toMatchObject({ after: { linked: true, telegramName: "Sreyneang Chan (@sreyneang_c)" } });
  });

  it("a renter keeps one chat: another chat's token links nothing, and staff cannot mint one while linked", async () => {
    // a pay-page link minted before the chat linked, used from someone else's chat
    const stale = await db().run((tx) => tx.telegramLinkToken.findFirstOrThrow({ where: { usedAt: null } }));
    expect(stale).toBeTruthy();
    await expectTRPCError(owner.telegram.createLink({ renterId: renter.id }), "PRECONDITION_FAILED", {
      key: "telegram.errors.alreadyLinked",
    });
    expect(await telegramLinkForPayToken(w.tenantId, invoice.payToken!)).toBeNull();

    // staff unlink, mint a link, the renter links again… then an intruder with an old link
    await owner.telegram.unlink({ renterId: renter.id });
    const fresh = await owner.telegram.createLink({ renterId: renter.id });
    const second = await owner.telegram.createLink({ renterId: renter.id }).catch(() => null);
    await deliver(update(`/start ${tokenOf(fresh.url)}`));
    expect((await renterRow()).telegramChatId).toBe(String(chatId));
    const intruder = chatId + 7;
    if (second) {
      await deliver(update(`/start ${tokenOf(second.url)}`, intruder, { first_name: "Intruder", username: "x_intruder" }));
      expect(sentTo(intruder).at(-1)!.text).toContain("គណនីតេឡេក្រាមផ្សេង");
      // the token stays unused, the renter's chat is theirs
      expect(await renterRow()).toEqual({ telegramChatId: String(chatId), telegramName: "Sreyneang Chan (@sreyneang_c)" });
    }
  });

  it("a chat of one renter is never moved to another renter of the workspace silently", async () => {
    const other = await createRenter({ tenantId: w.tenantId, email: null, locale: "en" });
    const link = await owner.telegram.createLink({ renterId: other.id });
    await deliver(update(`/start ${tokenOf(link.url)}`, chatId, { language_code: "en" }));
    expect(sentTo(chatId).at(-1)!.text).toMatch(/already gets the messages of another renter/);
    const otherRow = await db().run((tx) => tx.renter.findFirstOrThrow({ where: { id: other.id }, select: { telegramChatId: true } }));
    expect(otherRow.telegramChatId).toBeNull();
    expect((await renterRow()).telegramChatId).toBe(String(chatId));
    // staff unlinking is audited with the name that was linked
    await owner.telegram.unlink({ renterId: renter.id });
    const audit = await db().run((tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "renter.telegram_unlinked", targetId: renter.id }, orderBy: { createdAt: "desc" } }),
    );
    expect(audit.metadata).toMatchObject({ before: { linked: true, telegramName: "Sreyneang Chan (@sreyneang_c)" } });
    expect(await renterRow()).toEqual({ telegramChatId: null, telegramName: null });
    const again = await owner.telegram.createLink({ renterId: renter.id });
    await deliver(update(`/start ${tokenOf(again.url)}`));
    expect((await renterRow()).telegramChatId).toBe(String(chatId));
  });
});

describe("linking at the same moment", () => {
  it("two chats redeeming two links of one renter at once: one links, the other is told the renter is taken", async () => {
    const target = await createRenter({ tenantId: w.tenantId, email: null, locale: "en" });
    const [a, b] = [await owner.telegram.createLink({ renterId: target.id }), await owner.telegram.createLink({ renterId: target.id })];
    const [chatA, chatB] = [chatId + 101, chatId + 102];
    await Promise.all([
      deliver(update(`/start ${tokenOf(a.url)}`, chatA, { language_code: "en" })),
      deliver(update(`/start ${tokenOf(b.url)}`, chatB, { language_code: "en" })),
    ]);
    const row = await db().run((tx) => tx.renter.findFirstOrThrow({ where: { id: target.id }, select: { telegramChatId: true } }));
    expect([String(chatA), String(chatB)]).toContain(row.telegramChatId);
    const loser = row.telegramChatId === String(chatA) ? chatB : chatA;
    expect(sentTo(loser).at(-1)!.text).toMatch(/another Telegram account/i);
    const used = await db().run((tx) => tx.telegramLinkToken.count({ where: { renterId: target.id, usedAt: { not: null } } }));
    expect(used).toBe(1);
  });

  it("one chat redeeming two renters' links at once is linked to one of them only", async () => {
    const [r1, r2] = [
      await createRenter({ tenantId: w.tenantId, email: null, locale: "en" }),
      await createRenter({ tenantId: w.tenantId, email: null, locale: "en" }),
    ];
    const [l1, l2] = [await owner.telegram.createLink({ renterId: r1.id }), await owner.telegram.createLink({ renterId: r2.id })];
    const chat = chatId + 103;
    await Promise.all([
      deliver(update(`/start ${tokenOf(l1.url)}`, chat, { language_code: "en" })),
      deliver(update(`/start ${tokenOf(l2.url)}`, chat, { language_code: "en" })),
    ]);
    const linked = await db().run((tx) => tx.renter.count({ where: { id: { in: [r1.id, r2.id] }, telegramChatId: String(chat) } }));
    expect(linked).toBe(1);
  });
});

describe("receipts pushed to the renter", () => {
  let cashPaymentId = "";

  it("a cash payment recorded by staff sends the receipt by e-mail and on Telegram, once per channel", async () => {
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 10_000, reference: "", paidOn: "2026-10-02" });
    const receipts = await messagesByKey("rent.receipt");
    expect(receipts).toHaveLength(2);
    const payment = await db().run((tx) => tx.payment.findFirstOrThrow({ where: { rentInvoiceId: invoice.id, status: "paid" } }));
    cashPaymentId = payment.id;
    expect(receipts.map((m) => [m.channel, m.dedupeKey]).sort()).toEqual([
      ["email", `rent-receipt:${payment.id}`],
      ["telegram", `rent-receipt:${payment.id}:telegram`],
    ]);
    const vars = receipts[0]!.variables as Record<string, string>;
    expect(vars).toMatchObject({ receipt: payment.receiptNumber, number: invoice.number, method: "សាច់ប្រាក់" });
    expect(vars.amount).toContain("100");
    expect(vars.balance).toContain("150");
    expect(vars.receiptLink).toMatch(new RegExp(`/pay/${invoice.payToken}/receipts/${payment.id}$`));

    await send(receipts.map((m) => m.id));
    const onTelegram = sentTo(chatId).at(-1)!;
    expect(onTelegram.text).toContain(payment.receiptNumber!);
    expect(onTelegram.text).toContain(invoice.number);
    expect(onTelegram.buttons).toEqual([{ text: "ទាញយកបង្កាន់ដៃ (PDF)", url: vars.receiptLink }]);
    const mail = vendor.emails.filter((e) => e.to.includes(EMAIL)).at(-1)!;
    expect(mail.subject).toContain(payment.receiptNumber!);
    expect(mail.html).toContain(vars.receiptLink);
  });

  it("the receipt link opens the PDF without a session, only under its own invoice's pay link", async () => {
    const host = hostOf(w.slug);
    const params = (token: string, paymentId: string) => ({ params: Promise.resolve({ tenant: w.slug, token, paymentId }) });
    const ok = await receiptLinkRoute(
      request(host, `/pay/${invoice.payToken}/receipts/${cashPaymentId}`),
      params(invoice.payToken!, cashPaymentId),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await ok.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    // a made-up token, a malformed id, and another invoice's pay link: the same 404
    const forged = await receiptLinkRoute(request(host, "/pay/x/receipts/y"), params("notatokenatall0123456789", cashPaymentId));
    expect(forged.status).toBe(404);
    expect((await receiptLinkRoute(request(host, "/"), params(invoice.payToken!, "not-a-uuid"))).status).toBe(404);
    const contract = await createContract({ tenantId: w.tenantId, status: "active", startDate: "2026-10-01" });
    const otherInvoice = await createRentInvoice({
      tenantId: w.tenantId,
      contractId: contract.id,
      period: "2026-10",
    });
    const foreign = await receiptLinkRoute(request(host, "/"), params(otherInvoice.payToken!, cashPaymentId));
    expect(foreign.status).toBe(404);
  });

  it("a KHQR payment's receipt is sent once, however often Bakong's callback arrives", async () => {
    const anon = await callerFor(hostOf(w.slug), null, { "x-forwarded-for": uniqueIp() });
    const attempt = await anon.payPage.checkout({ token: invoice.payToken! });
    const payment = await db().run((tx) => tx.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } }));
    const transfer = transactionFor(payment);
    for (let i = 0; i < 3; i++) expect((await postCallback(signedCallback(callbackBody(payment.md5!, transfer)))).status).toBe(200);
    const mine = (await messagesByKey("rent.receipt")).filter((m) => m.dedupeKey.startsWith(`rent-receipt:${payment.id}`));
    expect(mine.map((m) => m.channel).sort()).toEqual(["email", "telegram"]);
    const vars = mine[0]!.variables as Record<string, string>;
    expect(vars).toMatchObject({ method: "KHQR" });
    expect(vars.balance).toMatch(/0[.,]00/);
  });
});
