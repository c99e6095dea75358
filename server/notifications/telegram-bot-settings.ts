import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { GrammyError, HttpError, type Api } from "grammy";
import { AppError, isUniqueViolation } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { DbTx } from "@/server/db/tenant-db";
import { encryptSecret, decryptSecret } from "@/server/auth/totp";
import { apexOrigin } from "@/lib/tenancy";
import { getEnv, publicPort } from "@/env";
import { botApi, botIdOfToken, telegramConfig } from "./telegram-config";

// A workspace's own Telegram bot (Settings > Telegram; docs/TELEGRAM.md, "A workspace's own bot").
// Tenant code: everything here runs under the workspace's row-level security.
// - save(token): getMe validates the token on the configured Bot API server; the token is stored
//   encrypted (encryptSecret, AES-256-GCM), never in clear, with its last 4 characters for the
//   masked display; one workspace per bot (a unique bot id: another workspace's bot, or the
//   platform bot, is refused); a new random webhook secret (only its SHA-256 is stored) and
//   setWebhook(<apex>/api/webhooks/telegram, secret_token) in the same transaction: a failure
//   stores nothing. Saving the same bot again rotates the secret and sets the webhook again.
// - remove(): deleteWebhook, the row goes, the workspace falls back to the platform bot.
// - A chat is linked through one bot (Renter.telegramBotId; a chat of bot A cannot be written by
//   bot B): changing the workspace's bot unlinks the chats linked through the old one, and those
//   renters link again (staff see how many before confirming; messages go by e-mail meanwhile).

/** BotFather's token shape: the bot's numeric id, a colon, 30+ URL-safe characters. */
export const BOT_TOKEN_RE = /^\d{1,20}:[A-Za-z0-9_-]{30,100}$/;

export function hashWebhookSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The route every bot's webhook points at (STABLE CONTRACT: the same path as the platform bot's). */
export function telegramWebhookUrl(): string {
  const env = getEnv();
  return `${apexOrigin(env.APP_ROOT_DOMAIN, env.APP_PROTOCOL, publicPort(env))}/api/webhooks/telegram`;
}

/** The updates the bot handles (telegram-bot.public.ts). */
export const ALLOWED_UPDATES = ["message", "my_chat_member"] as const;

export interface TelegramBotSettings {
  /** the workspace's own bot: its @username and the token masked to its last 4 characters */
  own: { username: string; tokenMasked: string; since: Date } | null;
  /** the platform bot's username, used while the workspace has none of its own (null: Telegram off) */
  platformUsername: string | null;
  /** renters whose chat is linked through the bot in use: they link again when the bot changes */
  linkedRenters: number;
}

function telegramError(error: unknown): unknown {
  if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
    return new AppError("VALIDATION", "telegram.botSettings.errors.badToken");
  }
  if (error instanceof GrammyError || error instanceof HttpError)
    return new AppError("INVALID_STATE", "telegram.botSettings.errors.unreachable");
  return error;
}

export class TelegramBotSettingsService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly api: (token: string) => Api = (token) => botApi(token, 10),
  ) {}

  private async linkedCount(tx: DbTx, botId: string | null): Promise<number> {
    return tx.renter.count({ where: { telegramChatId: { not: null }, telegramBotId: botId } });
  }

  async get(): Promise<TelegramBotSettings> {
    return this.ctx.db.run(async (tx) => {
      const own = await tx.workspaceTelegramBot.findFirst({ select: { username: true, tokenLast4: true, botId: true, updatedAt: true } });
      return {
        own: own ? { username: own.username, tokenMasked: `••••${own.tokenLast4}`, since: own.updatedAt } : null,
        platformUsername: telegramConfig()?.username ?? null,
        linkedRenters: await this.linkedCount(tx, own?.botId ?? null),
      };
    });
  }

  /** Validates, stores (encrypted) and points the bot's webhook here. Idempotent on retry. */
  async save(rawToken: string): Promise<TelegramBotSettings> {
    const token = rawToken.trim();
    if (!BOT_TOKEN_RE.test(token)) throw new AppError("VALIDATION", "telegram.botSettings.errors.badToken");
    const api = this.api(token);
    let me: { id: number; username?: string; is_bot: boolean };
    try {
      me = await api.getMe();
    } catch (error) {
      throw telegramError(error);
    }
    const botId = String(me.id);
    if (!me.is_bot || !me.username || botId !== botIdOfToken(token))
      throw new AppError("VALIDATION", "telegram.botSettings.errors.badToken");
    // the platform bot serves every workspace: it cannot become one workspace's own
    const platform = telegramConfig();
    if (platform && botIdOfToken(platform.token) === botId) throw new AppError("CONFLICT", "telegram.botSettings.errors.taken");

    const secret = randomBytes(32).toString("base64url");
    let previous: { botId: string; token: string } | null = null;
    try {
      await this.ctx.db.run(
        async (tx) => {
          // the same lock as linking (telegram-bot.public.ts): no chat links through the old bot meanwhile
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`telegram-link:${this.ctx.tenantId}`}))`;
          const old = await tx.workspaceTelegramBot.findFirst({ select: { botId: true, tokenEnc: true } });
          const data = {
            botId,
            username: me.username!,
            tokenEnc: encryptSecret(token),
            tokenLast4: token.slice(-4),
            webhookSecretHash: hashWebhookSecret(secret),
            createdById: this.ctx.userId,
          };
          // a bot of another workspace fails here (unique bot id), before Telegram is touched
          await tx.workspaceTelegramBot.upsert({
            where: { tenantId: this.ctx.tenantId },
            create: { tenantId: this.ctx.tenantId, ...data },
            update: data,
          });
          const oldBotId = old?.botId ?? null;
          let relinked = 0;
          if (oldBotId !== botId) {
            // chats linked through the bot used until now cannot be written by this one
            const { count } = await tx.renter.updateMany({
              where: { telegramChatId: { not: null }, telegramBotId: oldBotId },
              data: { telegramChatId: null, telegramLinkedAt: null, telegramName: null, telegramBotId: null },
            });
            relinked = count;
            // unused links point at the old bot's username
            await tx.telegramLinkToken.deleteMany({ where: { usedAt: null } });
          }
          if (old && oldBotId !== botId) previous = { botId: old.botId, token: decryptSecret(old.tokenEnc) };
          await tenantAudit(this.ctx).log(tx, {
            action: "workspace.telegram_bot_set",
            targetType: "Tenant",
            targetId: this.ctx.tenantId,
            metadata: {
              before: { bot: oldBotId ?? "platform" },
              after: { bot: botId, username: me.username! },
              unlinkedRenters: relinked,
            },
          });
          // last: a refusal or an unreachable Telegram rolls everything back
          await api.setWebhook(telegramWebhookUrl(), { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
        },
        { timeout: 30_000 },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", "telegram.botSettings.errors.taken");
      throw telegramError(error);
    }
    const old = previous as { botId: string; token: string } | null;
    if (old)
      await this.api(old.token)
        .deleteWebhook()
        .catch(() => undefined);
    return this.get();
  }

  /** Removes the workspace's bot: deleteWebhook, then the platform bot serves the workspace again. */
  async remove(): Promise<TelegramBotSettings> {
    try {
      await this.ctx.db.run(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`telegram-link:${this.ctx.tenantId}`}))`;
          const own = await tx.workspaceTelegramBot.findFirst({ select: { id: true, botId: true, username: true, tokenEnc: true } });
          if (!own) return;
          await tx.workspaceTelegramBot.delete({ where: { id: own.id } });
          const { count } = await tx.renter.updateMany({
            where: { telegramBotId: own.botId },
            data: { telegramChatId: null, telegramLinkedAt: null, telegramName: null, telegramBotId: null },
          });
          await tx.telegramLinkToken.deleteMany({ where: { usedAt: null } });
          await tenantAudit(this.ctx).log(tx, {
            action: "workspace.telegram_bot_removed",
            targetType: "Tenant",
            targetId: this.ctx.tenantId,
            metadata: { before: { bot: own.botId, username: own.username }, after: { bot: "platform" }, unlinkedRenters: count },
          });
          try {
            await this.api(decryptSecret(own.tokenEnc)).deleteWebhook();
          } catch (error) {
            // a revoked token has no webhook to delete any more; anything else: try again later
            if (!(error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404))) throw error;
          }
        },
        { timeout: 30_000 },
      );
    } catch (error) {
      throw telegramError(error);
    }
    return this.get();
  }
}
