import "server-only";
import { isEnumValue, RENTER_MESSAGE_CHANNEL_VALUES, type MessageChannel } from "@/lib/enums";
import type { QueueInput } from "./queue";
import { telegramEnabled } from "./telegram-config";

// Which channels a renter message goes to (docs/TELEGRAM.md, "Which channel"):
// - the renter's preferred channel (`Renter.messageChannel`: email, telegram or both), among the
//   ones the renter can be reached on (an e-mail address; a linked Telegram chat while the bot is on);
// - when none of the preferred ones can be used, whatever the renter can be reached on (a renter
//   with only Telegram still gets the invoice; a chat unlinked with /stop falls back to e-mail);
// - one message per channel, each with its own dedupe key: the e-mail keeps the key it always had,
//   the Telegram one adds ":telegram", so a retry or a replay never sends either twice.

export interface RenterContact {
  email: string | null;
  telegramChatId?: string | null;
  /** the bot the chat was linked through: null = the platform bot (needs it configured), else the workspace's own */
  telegramBotId?: string | null;
  messageChannel?: string | null;
}

/** The channels and addresses a message to this renter goes to (empty: the renter cannot be reached). */
export function renterDestinations(
  r: RenterContact,
  telegramOn: boolean = telegramEnabled(),
): Array<{ channel: MessageChannel; to: string }> {
  const available: Array<{ channel: MessageChannel; to: string }> = [];
  if (r.email) available.push({ channel: "email", to: r.email });
  if ((telegramOn || r.telegramBotId) && r.telegramChatId) available.push({ channel: "telegram", to: r.telegramChatId });
  const preferred = isEnumValue(RENTER_MESSAGE_CHANNEL_VALUES, r.messageChannel) ? r.messageChannel : "email";
  const wanted = available.filter((d) => preferred === "both" || d.channel === preferred);
  return wanted.length > 0 ? wanted : available;
}

/** The dedupe key of the channel's copy of a message (e-mail keeps the base key). */
export function channelDedupeKey(base: string, channel: MessageChannel): string {
  return channel === "email" ? base : `${base}:${channel}`;
}

/** One queue input per destination of the renter, from one message without its address. */
export function renterQueueInputs(input: Omit<QueueInput, "to" | "channel">, renter: RenterContact): QueueInput[] {
  return renterDestinations(renter).map((d) => ({
    ...input,
    channel: d.channel,
    to: d.to,
    dedupeKey: channelDedupeKey(input.dedupeKey, d.channel),
  }));
}
