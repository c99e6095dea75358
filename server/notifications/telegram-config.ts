import "server-only";
import { Api } from "grammy";
import { getEnv } from "@/env";
import { decryptSecret } from "@/server/auth/totp";
import type { DbTx } from "@/server/db/tenant-db";

// The platform Telegram bot (docs/TELEGRAM.md): TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_USERNAME,
// TELEGRAM_WEBHOOK_SECRET, and TELEGRAM_API_ROOT for a local Bot API stub. Without a token
// Telegram is off: renter messages go by e-mail only and the renter page says so.

export interface TelegramConfig {
  token: string;
  username: string;
  webhookSecret: string;
  /** the Bot API server; grammy's default (https://api.telegram.org) when unset */
  apiRoot: string | undefined;
}

/** The bot's settings, or null when Telegram is off. */
export function telegramConfig(): TelegramConfig | null {
  const env = getEnv();
  if (!env.TELEGRAM_BOT_TOKEN || !env.TELEGRAM_BOT_USERNAME || !env.TELEGRAM_WEBHOOK_SECRET) return null;
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    username: env.TELEGRAM_BOT_USERNAME,
    webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
    apiRoot: env.TELEGRAM_API_ROOT?.replace(/\/+$/, ""),
  };
}

export function telegramEnabled(): boolean {
  return telegramConfig() !== null;
}

/** A grammy Bot API client for the platform bot (null when Telegram is off). */
export function telegramApi(config: TelegramConfig | null = telegramConfig()): Api | null {
  if (!config) return null;
  return new Api(config.token, { apiRoot: config.apiRoot, timeoutSeconds: 20 });
}

/** The Bot API server of every bot (the platform's and the workspaces' own): TELEGRAM_API_ROOT or Telegram. */
export function telegramApiRoot(): string | undefined {
  return getEnv().TELEGRAM_API_ROOT?.replace(/\/+$/, "");
}

/** A grammy client for any bot token, on the configured API root. */
export function botApi(token: string, timeoutSeconds = 20): Api {
  return new Api(token, { apiRoot: telegramApiRoot(), timeoutSeconds });
}

/** A bot's Telegram id: the digits before the token's colon. */
export function botIdOfToken(token: string): string {
  return token.split(":")[0] ?? "";
}

/**
 * The bot a workspace's renters are written to and link through (docs/TELEGRAM.md, "A workspace's
 * own bot"): its own bot when it set one (`botId` its Telegram id), else the platform bot
 * (`botId` null), or null when neither exists. Works in a tenant transaction (row-level security)
 * and in a platform one.
 */
export interface WorkspaceBot {
  botId: string | null;
  username: string;
  api: Api;
}

export async function workspaceBot(tx: DbTx, tenantId: string): Promise<WorkspaceBot | null> {
  const own = await tx.workspaceTelegramBot.findFirst({ where: { tenantId }, select: { botId: true, username: true, tokenEnc: true } });
  if (own) return { botId: own.botId, username: own.username, api: botApi(decryptSecret(own.tokenEnc)) };
  const platform = telegramConfig();
  return platform ? { botId: null, username: platform.username, api: telegramApi(platform)! } : null;
}

/** The username of the bot a workspace's renters link through (its own, else the platform bot's; null: none). */
export async function workspaceBotUsername(tx: DbTx, tenantId: string): Promise<string | null> {
  const own = await tx.workspaceTelegramBot.findFirst({ where: { tenantId }, select: { username: true } });
  return own?.username ?? telegramConfig()?.username ?? null;
}

/** The one-time deep link a renter opens to link their chat: https://t.me/<bot>?start=<token>. */
export function telegramDeepLink(username: string, token: string): string {
  return `https://t.me/${encodeURIComponent(username)}?start=${encodeURIComponent(token)}`;
}
