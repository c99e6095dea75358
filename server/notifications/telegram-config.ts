import "server-only";
import { Api } from "grammy";
import { getEnv } from "@/env";

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

/** The one-time deep link a renter opens to link their chat: https://t.me/<bot>?start=<token>. */
export function telegramDeepLink(username: string, token: string): string {
  return `https://t.me/${encodeURIComponent(username)}?start=${encodeURIComponent(token)}`;
}
