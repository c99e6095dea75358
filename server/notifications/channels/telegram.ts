import "server-only";
import { GrammyError, HttpError, InlineKeyboard } from "grammy";
import { TenantDb } from "@/server/db/tenant-db";
import { workspaceBot } from "@/server/notifications/telegram-config";
import { PermanentSendError, RecipientGoneError, RetryLaterError, type ChannelAdapter } from "./types";

// Telegram through the Bot API (grammy): the message's plain text with its buttons as an inline
// keyboard of URL buttons, to the chat id in `to` (set only by the renter's /start link).
// - 429 Too Many Requests: RetryLaterError with Telegram's `retry_after` (the sender waits that long);
// - 403 (the renter blocked the bot, or deleted their account): RecipientGoneError, a bounce;
// - 400 (chat not found, bad button …): permanent;
// - network errors and 5xx: retried with the sender's back-off.
// Through the workspace's bot (docs/TELEGRAM.md, "A workspace's own bot"): its own when it set one,
// else the platform bot; and only to a chat linked through that very bot (a chat of bot A cannot be
// written by bot B): a message to a chat linked through another bot (the workspace changed its bot
// after the message was queued) fails at once and is never sent through the wrong bot.

/** Telegram's limit for one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** The message as Telegram gets it (exported for the tests and the docs' rendering). */
export function telegramPayload(m: { text: string; buttons?: ReadonlyArray<{ label: string; url: string }> }): {
  text: string;
  reply_markup?: InlineKeyboard;
} {
  const text = m.text.length > TELEGRAM_TEXT_LIMIT ? `${m.text.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…` : m.text;
  if (!m.buttons || m.buttons.length === 0) return { text };
  const keyboard = new InlineKeyboard();
  for (const b of m.buttons) keyboard.url(b.label.slice(0, 64) || b.url, b.url).row();
  return { text, reply_markup: keyboard };
}

export const telegramChannel: ChannelAdapter<"telegram"> = {
  channel: "telegram",
  async send(m) {
    const found = await new TenantDb(m.tenantId).run(async (tx) => {
      const bot = await workspaceBot(tx, m.tenantId);
      if (!bot) return null;
      const linked = await tx.renter.findFirst({ where: { telegramChatId: m.to, telegramBotId: bot.botId }, select: { id: true } });
      return { api: bot.api, linked: linked !== null };
    });
    if (!found) throw new PermanentSendError("Telegram is not configured (TELEGRAM_BOT_TOKEN)");
    if (!found.linked) throw new PermanentSendError("the chat is not linked through the workspace's bot in use: the renter links again");
    const api = found.api;
    const { text, reply_markup } = telegramPayload(m);
    try {
      const sent = await api.sendMessage(m.to, text, {
        ...(reply_markup ? { reply_markup } : {}),
        link_preview_options: { is_disabled: true },
      });
      return { provider: "telegram", providerId: `telegram:${sent.chat.id}:${sent.message_id}` };
    } catch (error) {
      if (error instanceof GrammyError) {
        const detail = `Telegram ${error.error_code}: ${error.description}`;
        if (error.error_code === 429) {
          const seconds = Math.max(1, Number(error.parameters?.retry_after ?? 1));
          throw new RetryLaterError(detail, seconds * 1000, { cause: error });
        }
        if (error.error_code === 403) throw new RecipientGoneError(detail, { cause: error });
        if (error.error_code >= 400 && error.error_code < 500) throw new PermanentSendError(detail, { cause: error });
        throw new Error(detail, { cause: error });
      }
      if (error instanceof HttpError) throw new Error(`Telegram unreachable: ${error.message}`, { cause: error });
      throw error;
    }
  },
};
