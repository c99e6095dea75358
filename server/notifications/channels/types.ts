import type { MessageChannel } from "@/lib/enums";

/** One rendered message, ready for a provider. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** provider tags (Resend: ASCII letters, digits, `_` and `-` only) */
  tags: Record<string, string>;
  /** the same for every attempt of one message: a provider that honours it never delivers twice */
  idempotencyKey: string;
}

export interface SendReceipt {
  /** which transport took it (resend, dev-file, capture …) */
  provider: string;
  /** the provider's id; webhooks about the message refer to it */
  providerId: string;
}

/**
 * A way of delivering messages. Adding a channel = one file implementing this and one line in
 * channels/index.ts (plus the enum value in prisma/schema.prisma).
 */
export interface ChannelAdapter<C extends MessageChannel = MessageChannel> {
  readonly channel: C;
  send(m: OutgoingMessage): Promise<SendReceipt>;
}

/** A refusal that will not change on retry (invalid address, rejected sender …): the message fails at once. */
export class PermanentSendError extends Error {
  override readonly name = "PermanentSendError";
}
