import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Api } from "grammy";
import { platformDb } from "@/server/db/platform-db";
import { enqueueEvent } from "@/server/core/outbox";
import { uuidv7 } from "@/server/core/uuidv7";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { WebhookInbox, type WebhookResponse } from "@/server/core/webhook-inbox.public";
import { handleTelegramUpdate, updateSchema } from "./telegram-bot.public";
import { botApi, telegramApi, telegramConfig } from "./telegram-config";
import { decryptSecret } from "@/server/auth/totp";

// POST /api/webhooks/telegram (STABLE CONTRACT; docs/TELEGRAM.md, "Webhook"):
// - verified by X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token): missing → 401,
//   wrong → 403 (kept in the inbox as rejected, never processed); Telegram off → 403;
// - a body that is not a JSON update → 400 (never 500);
// - stored in the webhook inbox once per update_id (a repeat answers 200 duplicate), with a
//   "telegram/update.received" outbox event in the same transaction: the update is processed
//   asynchronously (in-process right after the answer, and by the telegram-update Inngest function),
//   exactly once by the inbox's claim; replayable from /admin like the Bakong events.
// - a workspace's own bot (docs/TELEGRAM.md, "A workspace's own bot") posts to the same route with
//   its own secret: the SHA-256 of the header is looked up among the workspaces' bots and compared
//   in constant time; its updates are kept under "bot<botId>:<update_id>" (update_id is per bot, so
//   the platform bot's and each workspace bot's never collide) and processed for that workspace only.

export const PROVIDER = "telegram";
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
export const MAX_UPDATE_BYTES = 256 * 1024;

const SAFE_HEADERS = ["content-type", "user-agent", "x-request-id", "x-forwarded-for"];

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export type TelegramIntake = WebhookResponse & { eventId?: string; inserted?: boolean };

/** Which bot an update came to: the platform bot (null) or a workspace's own bot. */
export type UpdateBot = { tenantId: string; botId: string } | null;

/** The inbox key of an update: the platform bot's update_id as is, a workspace bot's prefixed by its id. */
export function updateKey(updateId: number, bot: UpdateBot): string {
  return bot ? `bot${bot.botId}:${updateId}` : String(updateId);
}

function botOfKey(key: string): string | null {
  return /^bot(\d{1,20}):\d+$/.exec(key)?.[1] ?? null;
}

/** The workspace bot whose webhook secret this is (its SHA-256 looked up, compared in constant time). */
async function workspaceBotBySecret(given: string): Promise<{ tenantId: string; botId: string } | null> {
  const hash = createHash("sha256").update(given, "utf8").digest("hex");
  const row = await platformDb.run((tx) =>
    tx.workspaceTelegramBot.findUnique({
      where: { webhookSecretHash: hash },
      select: { tenantId: true, botId: true, webhookSecretHash: true },
    }),
  );
  if (!row || !sameSecret(row.webhookSecretHash, hash)) return null;
  return { tenantId: row.tenantId, botId: row.botId };
}

export class TelegramWebhookService {
  private readonly inbox: WebhookInbox;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly api: () => Api | null = () => telegramApi(),
  ) {
    this.inbox = new WebhookInbox({ provider: PROVIDER, safeHeaders: SAFE_HEADERS, clock, logName: "telegram webhook" });
  }

  /** Verifies and stores one delivery; the caller processes `eventId` after answering. */
  async receive(rawBody: string, headers: Headers, meta: RequestMeta): Promise<TelegramIntake> {
    const config = telegramConfig();
    const given = headers.get(SECRET_HEADER);
    if (!config && (given === null || given === "")) return { status: 403, body: { error: "telegram is not configured" } };
    if (given === null || given === "") {
      await this.inbox.keepRejected(headers, rawBody.slice(0, 4096), "missing secret token", meta);
      return { status: 401, body: { error: "missing secret token" } };
    }
    let bot: UpdateBot = null;
    if (!config || !sameSecret(given, config.webhookSecret)) {
      bot = given.length <= 256 ? await workspaceBotBySecret(given) : null;
      if (!bot) {
        await this.inbox.keepRejected(headers, rawBody.slice(0, 4096), "wrong secret token", meta);
        return { status: 403, body: { error: "wrong secret token" } };
      }
    }
    if (Buffer.byteLength(rawBody, "utf8") > MAX_UPDATE_BYTES) return { status: 413, body: { error: "payload too large" } };
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { error: "body is not JSON" } };
    }
    const parsed = updateSchema.safeParse(json);
    if (!parsed.success) return { status: 400, body: { error: "not a Telegram update" } };
    return this.storeUpdate(parsed.data.update_id, rawBody, headers, bot);
  }

  /**
   * Stores a verified update once per update_id, with its outbox event (the webhook after the
   * secret check; `npm run telegram:poll` for updates fetched with getUpdates).
   */
  async storeUpdate(updateId: number, rawBody: string, headers: Headers = new Headers(), bot: UpdateBot = null): Promise<TelegramIntake> {
    const key = updateKey(updateId, bot);
    const stored = await platformDb.run(async (tx) => {
      const id = uuidv7();
      const { count } = await tx.webhookEvent.createMany({
        data: [
          {
            id,
            provider: PROVIDER,
            idempotencyKey: key,
            headers: keptHeaders(headers),
            rawBody,
            signatureValid: true,
            ...(bot ? { tenantId: bot.tenantId } : {}),
          },
        ],
        skipDuplicates: true,
      });
      if (count === 1) {
        await enqueueEvent(tx, null, "telegram/update.received", { eventId: id });
        return { id, inserted: true };
      }
      const row = await tx.webhookEvent.findUniqueOrThrow({
        where: { provider_idempotencyKey: { provider: PROVIDER, idempotencyKey: key } },
        select: { id: true },
      });
      return { id: row.id, inserted: false };
    });
    return {
      status: 200,
      body: { ok: true, ...(stored.inserted ? {} : { duplicate: true }) },
      eventId: stored.id,
      inserted: stored.inserted,
    };
  }

  /** Processes a stored update once (the inbox's claim); a repeat or a processed one changes nothing. */
  async process(eventId: string): Promise<WebhookResponse> {
    return this.inbox.process(eventId, async (tx, event, now) => {
      const botId = botOfKey(event.idempotencyKey);
      let api: Api | null;
      let scope: { tenantId: string; botId: string } | null = null;
      if (botId) {
        // a workspace's own bot: answered by that bot, for that workspace only (gone: removed since)
        const own = await tx.workspaceTelegramBot.findUnique({ where: { botId }, select: { tenantId: true, tokenEnc: true } });
        api = own ? botApi(decryptSecret(own.tokenEnc)) : null;
        scope = own ? { tenantId: own.tenantId, botId } : null;
      } else api = this.api();
      const update = updateSchema.safeParse(safeJson(event.rawBody));
      if (!update.success || !api) {
        const why = api ? "not a Telegram update" : botId ? "the workspace's bot was removed" : "telegram is not configured";
        await this.inbox.finish(tx, event.id, "ignored", why, scope?.tenantId ?? null, now);
        return { status: 200, body: { ok: true, ignored: why } };
      }
      const outcome = await handleTelegramUpdate(tx, update.data, now, api, scope);
      await this.inbox.finish(tx, event.id, "processed", null, outcome.tenantId ?? scope?.tenantId ?? null, now);
      return { status: 200, body: { ok: true, handled: outcome.handled } };
    });
  }

  /** Admin replay from /admin (audited by the inbox). */
  replay(eventId: string, admin: { userId: string; email: string }, meta: RequestMeta): Promise<WebhookResponse> {
    return this.inbox.replay(eventId, admin, meta, (id) => this.process(id));
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SAFE_HEADERS) {
    const v = headers.get(name);
    if (v !== null) out[name] = v.slice(0, 500);
  }
  return out;
}
