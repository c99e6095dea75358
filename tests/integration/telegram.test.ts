// Telegram (docs/TELEGRAM.md) with the real grammy library against a local Bot API stub
// (server/testing/fake-telegram.ts, through grammy's apiRoot): linking by a one-time deep link,
// sending renter messages as plain text with an inline pay button, retry after 429 honouring
// retry_after, a blocked bot as a bounce (suppression, shown to staff), a forged webhook refused,
// duplicate updates processed once, /balance /receipt /stop, and a token of workspace A that
// links nothing in B.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { createContract, createRenter, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { TelegramWebhookService, SECRET_HEADER } from "@/server/notifications/telegram-webhook.public";
import { MessageSender } from "@/server/notifications/sender";
import { queueRentMessage } from "@/server/rent-invoices/rent-messages";
import { renterDestinations } from "@/server/notifications/telegram-recipients";
import { telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";
import { expectTRPCError, hostOf, signedIn, testMeta, type Caller } from "./support/world";

const SECRET = "telegram-test-webhook-secret-0123456789";

let stub: FakeTelegram;
let a: CreatedTenant;
let b: CreatedTenant;
let ownerA: Caller;
let ownerB: Caller;
let renterA: { id: string };
let renterB: { id: string };
let invoice: { id: string; number: string; currency: string; total: number; amountPaid: number; dueDate: Date; payToken: string | null };
let updateId = 7_000_000 + Math.floor(Math.random() * 1_000_000);
const chatId = 500_000_000 + Math.floor(Math.random() * 1_000_000);

function update(text: string, chat = chatId, languageCode = "km") {
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 1,
      chat: { id: chat, type: "private" },
      from: { id: chat, is_bot: false, first_name: "R", language_code: languageCode },
      text,
    },
  };
}

function headers(secret: string | null = SECRET): Headers {
  const h = new Headers({ "content-type": "application/json" });
  if (secret !== null) h.set(SECRET_HEADER, secret);
  return h;
}

/** Delivers an update as Telegram would and processes it (as the route's after() and the Inngest function do). */
async function deliver(body: unknown, service = new TelegramWebhookService()) {
  const intake = await service.receive(JSON.stringify(body), headers(), testMeta());
  expect(intake.status).toBe(200);
  const processed = await service.process(intake.eventId!);
  return { intake, processed };
}

const sentTo = (chat: number | string) => stub.messages.filter((m) => m.chatId === String(chat));

async function renterRow(tenantId: string, id: string) {
  return new TenantDb(tenantId).run((tx) =>
    tx.renter.findFirstOrThrow({ where: { id }, select: { telegramChatId: true, telegramLinkedAt: true, messageChannel: true } }),
  );
}

beforeAll(async () => {
  stub = await startFakeTelegram();
  process.env.TELEGRAM_BOT_TOKEN = stub.token;
  process.env.TELEGRAM_BOT_USERNAME = "phteah_test_bot";
  process.env.TELEGRAM_WEBHOOK_SECRET = SECRET;
  process.env.TELEGRAM_API_ROOT = stub.url;
  validateEnv();
  a = await createTenant({ slug: uniqueSlug("tga") });
  b = await createTenant({ slug: uniqueSlug("tgb") });
  [ownerA, ownerB] = await Promise.all([signedIn(a.owner.userId, hostOf(a.slug)), signedIn(b.owner.userId, hostOf(b.slug))]);
  // a renter with only Telegram (no e-mail), in Khmer
  renterA = await createRenter({ tenantId: a.tenantId, email: null, locale: "km" });
  renterB = await createRenter({ tenantId: b.tenantId, email: "b-renter@example.com", locale: "en" });
  const contract = await createContract({
    tenantId: a.tenantId,
    renterId: renterA.id,
    status: "active",
    startDate: "2026-01-01",
  });
  invoice = await createRentInvoice({
    tenantId: a.tenantId,
    contractId: contract.id,
    period: "2026-03",
    dueDate: "2026-03-05",
    payToken: "tgpaytoken0123456789abcd",
  });
});

afterAll(async () => {
  for (const k of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_ROOT"]) delete process.env[k];
  validateEnv();
  await stub.close();
});

describe("channel selection", () => {
  it("sends to the preferred channels the renter can be reached on, else to whatever they can", () => {
    const both = { email: "r@example.com", telegramChatId: "42", messageChannel: "both" };
    expect(renterDestinations(both, true).map((d) => d.channel)).toEqual(["email", "telegram"]);
    expect(renterDestinations({ ...both, messageChannel: "telegram" }, true)).toEqual([{ channel: "telegram", to: "42" }]);
    expect(renterDestinations({ ...both, messageChannel: "email" }, true)).toEqual([{ channel: "email", to: "r@example.com" }]);
    // Telegram only, though the preference says e-mail (no address): Telegram
    expect(renterDestinations({ email: null, telegramChatId: "42", messageChannel: "email" }, true)).toEqual([
      { channel: "telegram", to: "42" },
    ]);
    // Telegram off, or the chat unlinked: e-mail
    expect(renterDestinations({ ...both, messageChannel: "telegram" }, false)).toEqual([{ channel: "email", to: "r@example.com" }]);
    expect(renterDestinations({ email: null, telegramChatId: null, messageChannel: "telegram" }, true)).toEqual([]);
  });
});

describe("linking", () => {
  let url = "";

  it("the pay page offers the invoice's renter a one-time link while unlinked; another workspace's host finds nothing", async () => {
    const offered = await telegramLinkForPayToken(a.tenantId, invoice.payToken!);
    expect(offered?.url).toMatch(/^https:\/\/t\.me\/phteah_test_bot\?start=[A-Za-z0-9_-]{24}$/);
    expect(offered?.qr).toMatch(/^data:image\/png;base64,/);
    expect(await telegramLinkForPayToken(b.tenantId, invoice.payToken!)).toBeNull();
  });

  it("staff create a one-time deep link; another workspace cannot", async () => {
    const status = (await ownerA.telegram.status({ renterId: renterA.id })) as { enabled: boolean; linked: boolean };
    expect(status).toMatchObject({ enabled: true, linked: false });
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    url = link.url;
    expect(url).toMatch(/^https:\/\/t\.me\/phteah_test_bot\?start=[A-Za-z0-9_-]{24}$/);
    await expectTRPCError(ownerB.telegram.createLink({ renterId: renterA.id }), "NOT_FOUND");
    // only a hash is stored, and only A's transactions see it
    const token = new URL(url).searchParams.get("start")!;
    const rows = await new TenantDb(a.tenantId).run((tx) => tx.telegramLinkToken.findMany({ where: { renterId: renterA.id } }));
    expect(rows).toHaveLength(2); // the pay page's and this one
    expect(rows.map((r) => r.tokenHash)).not.toContain(token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
    expect(await new TenantDb(b.tenantId).run((tx) => tx.telegramLinkToken.count())).toBe(0);
  });

  it("/start <token> links the chat (once) and answers in the renter's language", async () => {
    const token = new URL(url).searchParams.get("start")!;
    const { processed } = await deliver(update(`/start ${token}`, chatId, "en"));
    expect(processed.status).toBe(200);
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: String(chatId) });
    // Khmer: the renter's language, not the phone's
    expect(sentTo(chatId).at(-1)!.text).toContain("រួចរាល់");
    // the same token again (another chat): refused, nothing changes
    const other = chatId + 1;
    await deliver(update(`/start ${token}`, other, "en"));
    expect(sentTo(other).at(-1)!.text).toMatch(/does not work any more/);
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: String(chatId) });
  });

  it("a token of workspace A links nothing in workspace B", async () => {
    // one chat per renter (docs/TELEGRAM.md): a new link starts with unlinking the current chat
    await ownerA.telegram.unlink({ renterId: renterA.id });
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    const token = new URL(link.url).searchParams.get("start")!;
    const chat = chatId + 2;
    await deliver(update(`/start ${token}`, chat));
    expect(await renterRow(b.tenantId, renterB.id)).toMatchObject({ telegramChatId: null });
    // it linked A's renter, whose chat is now this one
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: String(chat) });
    // back to the first chat for the rest of the file
    await ownerA.telegram.unlink({ renterId: renterA.id });
    const again = await ownerA.telegram.createLink({ renterId: renterA.id });
    await deliver(update(`/start ${new URL(again.url).searchParams.get("start")!}`));
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: String(chatId) });
  });

  it("an expired token links nothing", async () => {
    await ownerA.telegram.unlink({ renterId: renterA.id });
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    const token = new URL(link.url).searchParams.get("start")!;
    // the link's time is up (TELEGRAM_LINK_TTL_MS after it was made)
    await new TenantDb(a.tenantId).run((tx) =>
      tx.telegramLinkToken.updateMany({ where: { renterId: renterA.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } }),
    );
    const chat = chatId + 3;
    await deliver(update(`/start ${token}`, chat, "en"));
    expect(sentTo(chat).at(-1)!.text).toMatch(/does not work any more/);
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: null });
    // back to the first chat for the rest of the file
    const again = await ownerA.telegram.createLink({ renterId: renterA.id });
    await deliver(update(`/start ${new URL(again.url).searchParams.get("start")!}`));
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: String(chatId) });
  });
});

describe("the contract message", () => {
  it("offers a renter not on Telegram yet a one-time link (an e-mail button), and none once linked", async () => {
    const renter = await createRenter({ tenantId: a.tenantId, email: "contract-tg@example.com", locale: "en" });
    const draft = await createContract({ tenantId: a.tenantId, renterId: renter.id, status: "draft", startDate: "2026-02-01" });
    await ownerA.contracts.activate({ contractId: draft.id });
    const m = await new TenantDb(a.tenantId).run((tx) =>
      tx.outboundMessage.findFirstOrThrow({ where: { dedupeKey: `contract-activated:${draft.id}` } }),
    );
    expect(m.channel).toBe("email");
    expect((m.variables as Record<string, string>).telegramLink).toMatch(/^https:\/\/t\.me\/phteah_test_bot\?start=[A-Za-z0-9_-]{24}$/);
  });
});

describe("webhook", () => {
  it("refuses a forged or malformed delivery (401/403/400, never 500) and keeps nothing to process", async () => {
    const body = JSON.stringify(update("/help"));
    // the route (app/api/webhooks/telegram/route.ts) answers the service's status as is
    const service = new TelegramWebhookService();
    const post = async (h: Headers, b: string) => service.receive(b, h, testMeta());
    expect((await post(headers(null), body)).status).toBe(401);
    expect((await post(headers("wrong-secret-wrong-secret"), body)).status).toBe(403);
    expect((await post(headers(), "{not json")).status).toBe(400);
    expect((await post(headers(), JSON.stringify({ hello: "world" }))).status).toBe(400);
    expect((await post(headers(), JSON.stringify({ update_id: -1 }))).status).toBe(400);
    const rejected = await platformDb.run((tx) => tx.webhookEvent.count({ where: { provider: "telegram", signatureValid: false } }));
    expect(rejected).toBeGreaterThanOrEqual(2);
  });

  it("processes a duplicate update once", async () => {
    const service = new TelegramWebhookService();
    const u = update("/help");
    const before = sentTo(chatId).length;
    const first = await service.receive(JSON.stringify(u), headers(), testMeta());
    const second = await service.receive(JSON.stringify(u), headers(), testMeta());
    expect(first).toMatchObject({ status: 200, inserted: true });
    expect(second).toMatchObject({ status: 200, inserted: false, eventId: first.eventId, body: { duplicate: true } });
    await service.process(first.eventId!);
    const again = await service.process(second.eventId!);
    expect(again.body).toMatchObject({ duplicate: true });
    expect(sentTo(chatId).length).toBe(before + 1);
    const events = await platformDb.run((tx) =>
      tx.webhookEvent.findMany({ where: { provider: "telegram", idempotencyKey: String(u.update_id) } }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.status).toBe("processed");
    // its outbox event for the asynchronous processing was written once
    const outbox = await platformDb.run((tx) =>
      tx.outboxEvent.count({ where: { name: "telegram/update.received", payload: { path: ["eventId"], equals: first.eventId! } } }),
    );
    expect(outbox).toBe(1);
  });
});

describe("sending", () => {
  // the sender's clock: just after the messages were queued (they are due from their insert)
  let clock = new Date();
  const due = () => {
    clock = new Date(Date.now() + 1000);
  };
  const messages = (ids: string[]) =>
    new TenantDb(a.tenantId).run((tx) => tx.outboundMessage.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: "asc" } }));

  it("a renter with only Telegram gets the invoice on Telegram: plain text, the pay button as an inline keyboard URL", async () => {
    const renter = await new TenantDb(a.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: renterA.id } }));
    const tenant = { id: a.tenantId, slug: a.slug, name: "Telegram Test Apartments" };
    const ids = await new TenantDb(a.tenantId).run((tx) => queueRentMessage(tx, tenant, renter, invoice, { key: "rent.invoice_issued" }));
    expect(ids).toHaveLength(1);
    // the same message again: the dedupe key (per channel) writes nothing
    expect(
      await new TenantDb(a.tenantId).run((tx) => queueRentMessage(tx, tenant, renter, invoice, { key: "rent.invoice_issued" })),
    ).toEqual([]);
    const [m] = await messages(ids);
    expect(m).toMatchObject({
      channel: "telegram",
      to: String(chatId),
      dedupeKey: `rent-invoice-issued:${invoice.id}:telegram`,
      locale: "km",
    });
    due();
    expect(await new MessageSender(() => clock).send(ids[0]!, a.tenantId)).toBe("sent");
    const sent = sentTo(chatId).at(-1)!;
    expect(sent.text).toContain(invoice.number);
    expect(sent.text).not.toContain("<");
    expect(sent.buttons).toHaveLength(1);
    expect(sent.buttons[0]!.url).toContain(`/pay/${invoice.payToken}`);
    const [after] = await messages(ids);
    expect(after).toMatchObject({ status: "sent", provider: "telegram" });
  });

  it("waits Telegram's retry_after after a 429, then sends", async () => {
    await ownerA.telegram.setChannel({ renterId: renterA.id, channel: "both" });
    const renter = await new TenantDb(a.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: renterA.id } }));
    const tenant = { id: a.tenantId, slug: a.slug, name: "Telegram Test Apartments" };
    const ids = await new TenantDb(a.tenantId).run((tx) =>
      queueRentMessage(tx, tenant, renter, invoice, { key: "rent.reminder", offsetLabel: "d-3" }),
    );
    expect(ids).toHaveLength(1); // "both", but no e-mail address: Telegram only
    stub.failNext({ error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    due();
    expect(await new MessageSender(() => clock).send(ids[0]!, a.tenantId)).toBe("queued");
    const [waiting] = await messages(ids);
    expect(waiting!.nextAttemptAt.getTime() - clock.getTime()).toBe(7_000);
    expect(waiting!.lastError).toContain("429");
    // not before retry_after
    expect(await new MessageSender(() => new Date(clock.getTime() + 6_000)).send(ids[0]!, a.tenantId)).toBe("queued");
    expect(await new MessageSender(() => new Date(clock.getTime() + 7_000)).send(ids[0]!, a.tenantId)).toBe("sent");
  });

  it("a blocked bot is a bounce: the chat is suppressed and staff see why", async () => {
    stub.block(chatId);
    const renter = await new TenantDb(a.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: renterA.id } }));
    const tenant = { id: a.tenantId, slug: a.slug, name: "Telegram Test Apartments" };
    const ids = await new TenantDb(a.tenantId).run((tx) => queueRentMessage(tx, tenant, renter, invoice, { key: "rent.overdue" }));
    due();
    expect(await new MessageSender(() => clock).send(ids[0]!, a.tenantId)).toBe("bounced");
    const [bounced] = await messages(ids);
    expect(bounced!.lastError).toMatch(/blocked by the user/);
    const status = await ownerA.telegram.status({ renterId: renterA.id });
    expect(status.blocked?.reason).toMatch(/blocked by the user/);
    // the next message to the chat is not sent
    const next = await new TenantDb(a.tenantId).run((tx) =>
      queueRentMessage(tx, tenant, renter, invoice, { key: "rent.reminder", offsetLabel: "d+1" }),
    );
    due();
    expect(await new MessageSender(() => clock).send(next[0]!, a.tenantId)).toBe("suppressed");
    stub.unblock(chatId);
    // linking again (staff unlink, the renter opens a new link) lifts the block
    await ownerA.telegram.unlink({ renterId: renterA.id });
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    await deliver(update(`/start ${new URL(link.url).searchParams.get("start")!}`));
    expect((await ownerA.telegram.status({ renterId: renterA.id })).blocked).toBeNull();
  });
});

describe("commands", () => {
  it("/balance lists the open invoices with pay buttons; /receipt the last payment", async () => {
    await deliver(update("/balance"));
    const balance = sentTo(chatId).at(-1)!;
    expect(balance.text).toContain(invoice.number);
    expect(balance.buttons.map((x) => x.url)).toEqual([expect.stringContaining(`/pay/${invoice.payToken}`)]);
    await deliver(update("/receipt"));
    expect(sentTo(chatId).at(-1)!.text).toMatch(/មិនទាន់មានការបង់ប្រាក់/);
    await deliver(update("/help", chatId + 9, "en"));
    expect(sentTo(chatId + 9).at(-1)!.text).toContain("/balance");
  });

  it("/stop unlinks at once", async () => {
    await deliver(update("/stop"));
    expect(await renterRow(a.tenantId, renterA.id)).toMatchObject({ telegramChatId: null });
    expect((await ownerA.telegram.status({ renterId: renterA.id })).linked).toBe(false);
    // linked renters are not offered a link on the pay page; unlinked ones are again
    expect(await telegramLinkForPayToken(a.tenantId, invoice.payToken!)).not.toBeNull();
  });
});
