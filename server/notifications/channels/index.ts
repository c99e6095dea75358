import "server-only";
import type { MessageChannel } from "@/lib/enums";
import type { ChannelAdapter } from "./types";
import { emailChannel } from "./email";
import { telegramChannel } from "./telegram";

/** Every channel the sender can deliver through, by the OutboundMessage.channel value. */
export const CHANNELS: { [C in MessageChannel]: ChannelAdapter<C> } = {
  email: emailChannel,
  telegram: telegramChannel,
};

export type { ChannelAdapter, OutgoingMessage, SendReceipt } from "./types";
export { PermanentSendError, RecipientGoneError, RetryLaterError } from "./types";
