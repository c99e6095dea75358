// A workspace's own Telegram bot (docs/TELEGRAM.md, "A workspace's own bot"), with the real grammy
// library against the local Bot API stub (server/testing/fake-telegram.ts, several bots on one
// server): the token validated by getMe and stored encrypted, a bad token / another workspace's bot /
// the platform bot / Telegram unreachable refused with nothing stored, the webhook set with a
// per-workspace secret on the same route, updates of that bot processed for that workspace only
// (inbox keys per bot), a forged or another workspace's secret refused, messages and deep links
// through the workspace's bot, removal deleting the webhook and falling back to the platform bot,
// and a viewer who can read none of it.
import { createHash } from "node:crypto";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { decryptSecret } from "@/server/auth/totp";
import {
  addMember,
  createContract,
  createRenter,
  createRentInvoice,
  createTenant,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { TelegramWebhookService, SECRET_HEADER } from "@/server/notifications/telegram-webhook.public";
import { TelegramBotSettingsService } from "@/server/notifications/telegram-bot-settings";
import { MessageSender } from "@/server/notifications/sender";
import { queueRentMessage } from "@/server/rent-invoices/rent-messages";
import { renterDestinations } from "@/server/notifications/telegram-recipients";
import { workspaceTelegramOn } from "@/server/portal/renter-auth";
import { expectTRPCError, hostOf, ownerContext, signedIn, testMeta, uniqueEmail, type Caller } from "./support/world";

// the bot token is encrypted with a key derived from AUTH_SECRET (set by the app in every other run)
process.env.AUTH_SECRET ??= "integration-auth-secret-integration-auth-secret";
const PLATFORM_SECRET = "telegram-own-bot-test-platform-secret-0123";
const TOKEN_A = `7${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}:workspace-a-own-bot-token-abcdefghijklmnop`;
const TOKEN_B = `8${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}:workspace-b-own-bot-token-abcdefghijklmnop`;
const chatId = 600_000_000 + Math.floor(Math.random() * 1_000_000);

let stub: FakeTelegram;
let a: CreatedTenant;
let b: CreatedTenant;
let ownerA: Caller;
let ownerB: Caller;
let viewerA: Caller;
let renterA: { id: string };
let invoice: { id: string; number: string; currency: string; total: number; amountPaid: number; dueDate: Date; payToken: string | null };
let nextUpdate = 1;

function update(text: string, updateId = nextUpdate++) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1,
      chat: { id: chatId, type: "private" },
      from: { id: chatId, is_bot: false, first_name: "Dara", language_code: "en" },
      text,
    },
  };
}

async function post(body: unknown, secret: string | null, service = new TelegramWebhookService()) {
  const h = new Headers({ "content-type": "application/json" });
  if (secret !== null) h.set(SECRET_HEADER, secret);
  const intake = await service.receive(JSON.stringify(body), h, testMeta());
  const processed = intake.eventId && intake.inserted ? await service.process(intake.eventId) : null;
  return { intake, processed };
}

const secretOf = (token: string) => stub.webhookOf(token)?.secret ?? "";
const fromBot = (bot: string) => stub.messages.filter((m) => m.bot === bot && m.chatId === String(chatId));
const startParam = (url: string) => new URL(url).searchParams.get("start")!;
const botRow = (tenantId: string) => new TenantDb(tenantId).run((tx) => tx.workspaceTelegramBot.findFirst());
const renterRow = () =>
  new TenantDb(a.tenantId).run((tx) =>
    tx.renter.findFirstOrThrow({ where: { id: renterA.id }, select: { telegramChatId: true, telegramBotId: true } }),
  );

beforeAll(async () => {
  stub = await startFakeTelegram();
  stub.addBot(TOKEN_A, "a_own_bot");
  stub.addBot(TOKEN_B, "b_own_bot");
  process.env.TELEGRAM_BOT_TOKEN = stub.token;
  process.env.TELEGRAM_BOT_USERNAME = "phteah_test_bot";
  process.env.TELEGRAM_WEBHOOK_SECRET = PLATFORM_SECRET;
  process.env.TELEGRAM_API_ROOT = stub.url;
  validateEnv();
  a = await createTenant({ slug: uniqueSlug("tgowna") });
  b = await createTenant({ slug: uniqueSlug("tgownb") });
  const viewer = await addMember(a, { email: uniqueEmail("viewer", a.slug), role: "viewer" });
  [ownerA, ownerB, viewerA] = await Promise.all([
    signedIn(a.owner.userId, hostOf(a.slug)),
    signedIn(b.owner.userId, hostOf(b.slug)),
    signedIn(viewer.userId, hostOf(a.slug)),
  ]);
  renterA = await createRenter({ tenantId: a.tenantId, email: null, locale: "en" });
  const contract = await createContract({ tenantId: a.tenantId, renterId: renterA.id, status: "active", startDate: "2026-01-01" });
  invoice = await createRentInvoice({
    tenantId: a.tenantId,
    contractId: contract.id,
    period: "2026-03",
    dueDate: "2026-03-05",
    payToken: `ownbotpay${String(Math.floor(Math.random() * 1e9))}abcdef`,
  });
});

afterAll(async () => {
  for (const k of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_ROOT"]) delete process.env[k];
  validateEnv();
  await stub.close();
});

describe("saving the workspace's bot", () => {
  it("refuses a malformed token, a token Telegram does not know, and an unreachable Telegram; nothing is stored", async () => {
    await expectTRPCError(ownerA.telegram.saveBot({ token: "not-a-token" }), "BAD_REQUEST");
    await expectTRPCError(ownerA.telegram.saveBot({ token: "999999999:unknown-bot-token-abcdefghijklmnopqrstuv" }), "BAD_REQUEST");
    const ctx = await ownerContext(a);
    const unreachable = new TelegramBotSettingsService(ctx, (t) => new Api(t, { apiRoot: "http://127.0.0.1:9", timeoutSeconds: 2 }));
    await expect(unreachable.save(TOKEN_A)).rejects.toMatchObject({
      code: "INVALID_STATE",
      key: "telegram.botSettings.errors.unreachable",
    });
    expect(await botRow(a.tenantId)).toBeNull();
    expect(stub.webhookOf(TOKEN_A)).toBeNull();
  });

  it("validates by getMe, stores the token encrypted, shows it masked with @username, sets the webhook with a secret", async () => {
    const saved = await ownerA.telegram.saveBot({ token: TOKEN_A });
    expect(saved.own).toMatchObject({ username: "a_own_bot", tokenMasked: `••••${TOKEN_A.slice(-4)}` });
    expect(JSON.stringify(saved)).not.toContain(TOKEN_A.slice(0, -4));
    const row = (await botRow(a.tenantId))!;
    expect(row.botId).toBe(TOKEN_A.split(":")[0]);
    expect(row.tokenEnc).not.toContain(TOKEN_A.split(":")[1]!.slice(0, 10));
    expect(decryptSecret(row.tokenEnc)).toBe(TOKEN_A);
    const hook = stub.webhookOf(TOKEN_A)!;
    expect(hook.url).toMatch(/\/api\/webhooks\/telegram$/);
    expect(hook.secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(row.webhookSecretHash).toBe(createHash("sha256").update(hook.secret!).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(hook.secret);
    // the platform bot's webhook is untouched
    expect(stub.webhookOf()).toBeNull();
  });

  it("refuses a bot another workspace uses, and the platform bot", async () => {
    await expectTRPCError(ownerB.telegram.saveBot({ token: TOKEN_A }), "CONFLICT");
    await expectTRPCError(ownerB.telegram.saveBot({ token: stub.token }), "CONFLICT");
    expect(await botRow(b.tenantId)).toBeNull();
    // A's webhook is still A's
    expect((await botRow(a.tenantId))!.webhookSecretHash).toBe(createHash("sha256").update(secretOf(TOKEN_A)).digest("hex"));
  });

  it("a viewer reads neither the token nor the secret, and cannot change the bot", async () => {
    await expectTRPCError(viewerA.telegram.botSettings(), "FORBIDDEN");
    await expectTRPCError(viewerA.telegram.saveBot({ token: TOKEN_B }), "FORBIDDEN");
    await expectTRPCError(viewerA.telegram.removeBot(), "FORBIDDEN");
    const shown = await ownerA.telegram.botSettings();
    expect(shown.own?.tokenMasked).toBe(`••••${TOKEN_A.slice(-4)}`);
    expect(JSON.stringify(shown)).not.toMatch(/tokenEnc|webhookSecret/);
  });
});

describe("the webhook and the bot, per workspace", () => {
  it("a forged secret is refused; a missing one is 401", async () => {
    expect((await post(update("/help"), "forged-secret-forged-secret-0000")).intake.status).toBe(403);
    expect((await post(update("/help"), null)).intake.status).toBe(401);
  });

  it("links through the workspace's bot: its deep link, its secret, its update ids apart from the platform bot's", async () => {
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    expect(link.url).toMatch(/^https:\/\/t\.me\/a_own_bot\?start=/);
    // the same update_id at the platform bot and at A's bot: both kept, neither a duplicate
    const id = 4242;
    const platform = await post(update("/help", id), PLATFORM_SECRET);
    expect(platform.intake).toMatchObject({ status: 200, inserted: true });
    // A's token at the platform bot links nothing (A uses its own bot)
    const wrongBot = await post(update(`/start ${startParam(link.url)}`), PLATFORM_SECRET);
    expect(wrongBot.processed?.status).toBe(200);
    expect((await renterRow()).telegramChatId).toBeNull();
    const own = await post(update(`/start ${startParam(link.url)}`, id), secretOf(TOKEN_A));
    expect(own.intake).toMatchObject({ status: 200, inserted: true });
    expect(await renterRow()).toEqual({ telegramChatId: String(chatId), telegramBotId: TOKEN_A.split(":")[0] });
    expect(fromBot("a_own_bot").at(-1)!.text).toContain("Done");
    const events = await platformDb.run((tx) =>
      tx.webhookEvent.findMany({
        where: { provider: "telegram", idempotencyKey: { in: [String(id), `bot${TOKEN_A.split(":")[0]}:${id}`] } },
      }),
    );
    expect(events).toHaveLength(2);
    expect(events.find((e) => e.idempotencyKey.startsWith("bot"))?.tenantId).toBe(a.tenantId);
    // a repeat of A's update is a duplicate
    expect((await post(update(`/start ${startParam(link.url)}`, id), secretOf(TOKEN_A))).intake.body).toMatchObject({ duplicate: true });
  });

  it("workspace B's bot refuses A's link and knows none of A's renters", async () => {
    await ownerB.telegram.saveBot({ token: TOKEN_B });
    await new TenantDb(a.tenantId).run((tx) =>
      tx.renter.update({ where: { id: renterA.id }, data: { telegramChatId: null, telegramBotId: null } }),
    );
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    await post(update(`/start ${startParam(link.url)}`), secretOf(TOKEN_B));
    expect((await renterRow()).telegramChatId).toBeNull();
    expect(fromBot("b_own_bot").at(-1)!.text).toContain("does not work");
    // link at A's bot again, then ask B's bot for the balance: not linked there
    await post(update(`/start ${startParam(link.url)}`), secretOf(TOKEN_A));
    expect((await renterRow()).telegramChatId).toBe(String(chatId));
    await post(update("/balance"), secretOf(TOKEN_B));
    expect(fromBot("b_own_bot").at(-1)!.text).toContain("not linked");
    await post(update("/balance"), secretOf(TOKEN_A));
    expect(fromBot("a_own_bot").at(-1)!.text).toContain(invoice.number);
    // the platform bot does not know the chat either
    await post(update("/balance"), PLATFORM_SECRET);
    expect(fromBot("phteah_local_bot").at(-1)!.text).toContain("not linked");
  });

  it("sends the renter's messages through the workspace's bot", async () => {
    const renter = await new TenantDb(a.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: renterA.id } }));
    const tenant = { id: a.tenantId, slug: a.slug, name: "Own Bot Apartments" };
    const ids = await new TenantDb(a.tenantId).run((tx) => queueRentMessage(tx, tenant, renter, invoice, { key: "rent.invoice_issued" }));
    expect(ids).toHaveLength(1);
    const before = fromBot("a_own_bot").length;
    const platformBefore = fromBot("phteah_local_bot").length;
    expect(await new MessageSender(() => new Date(Date.now() + 60_000)).send(ids[0]!, a.tenantId)).toBe("sent");
    expect(fromBot("a_own_bot")).toHaveLength(before + 1);
    expect(fromBot("a_own_bot").at(-1)!.text).toContain(invoice.number);
    expect(fromBot("phteah_local_bot")).toHaveLength(platformBefore);
  });
});

describe("channel selection", () => {
  it("a chat linked through a workspace's own bot is reachable without the platform bot; a platform chat is not", () => {
    const own = { email: "r@example.com", telegramChatId: "42", telegramBotId: "777", messageChannel: "telegram" };
    expect(renterDestinations(own, false)).toEqual([{ channel: "telegram", to: "42" }]);
    expect(renterDestinations({ ...own, telegramBotId: null }, false)).toEqual([{ channel: "email", to: "r@example.com" }]);
  });
});

describe("the renter portal's settings", () => {
  it("count a workspace's own bot as Telegram on when the platform bot is off; a workspace with neither is off", async () => {
    const none = await createTenant({ slug: uniqueSlug("tgownc") });
    const PLATFORM = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_SECRET"] as const;
    const platform = PLATFORM.map((k) => process.env[k]);
    for (const k of PLATFORM) delete process.env[k];
    validateEnv();
    try {
      expect(await botRow(a.tenantId)).not.toBeNull();
      expect(await workspaceTelegramOn(a.tenantId)).toBe(true);
      expect(await workspaceTelegramOn(none.tenantId)).toBe(false);
    } finally {
      PLATFORM.forEach((k, i) => (process.env[k] = platform[i]));
      validateEnv();
    }
    // the platform bot on: on for every workspace
    expect(await workspaceTelegramOn(none.tenantId)).toBe(true);
  });
});

describe("removing the bot", () => {
  it("deletes the webhook, unlinks the chats of that bot, and falls back to the platform bot", async () => {
    const renter = await new TenantDb(a.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: renterA.id } }));
    const tenant = { id: a.tenantId, slug: a.slug, name: "Own Bot Apartments" };
    // queued while the chat was linked through A's bot
    const queued = await new TenantDb(a.tenantId).run((tx) =>
      queueRentMessage(tx, tenant, renter, invoice, { key: "rent.reminder", offsetLabel: "d-3" }),
    );
    expect((await ownerA.telegram.botSettings()).linkedRenters).toBe(1);
    const oldSecret = secretOf(TOKEN_A);
    const after = await ownerA.telegram.removeBot();
    expect(after).toMatchObject({ own: null, platformUsername: "phteah_test_bot", linkedRenters: 0 });
    expect(stub.webhookOf(TOKEN_A)).toBeNull();
    expect(await botRow(a.tenantId)).toBeNull();
    expect(await renterRow()).toEqual({ telegramChatId: null, telegramBotId: null });
    // the message queued for A's bot is never sent through the platform bot
    const platformBefore = fromBot("phteah_local_bot").length;
    expect(await new MessageSender(() => new Date(Date.now() + 60_000)).send(queued[0]!, a.tenantId)).toBe("failed");
    expect(fromBot("phteah_local_bot")).toHaveLength(platformBefore);
    // the old secret opens nothing any more
    expect((await post(update("/help"), oldSecret)).intake.status).toBe(403);
    // links are the platform bot's again, and link through it
    const link = await ownerA.telegram.createLink({ renterId: renterA.id });
    expect(link.url).toMatch(/^https:\/\/t\.me\/phteah_test_bot\?start=/);
    await post(update(`/start ${startParam(link.url)}`), PLATFORM_SECRET);
    expect(await renterRow()).toEqual({ telegramChatId: String(chatId), telegramBotId: null });
    // removing again changes nothing
    expect((await ownerA.telegram.removeBot()).own).toBeNull();
  });

  it("audits setting and removing the bot", async () => {
    const rows = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findMany({
        where: { action: { in: ["workspace.telegram_bot_set", "workspace.telegram_bot_removed"] } },
        select: { action: true },
      }),
    );
    expect(rows.map((r) => r.action).sort()).toEqual(["workspace.telegram_bot_removed", "workspace.telegram_bot_set"]);
  });
});
