import type { MessageChannel } from "@/lib/enums";

/** One rendered message, ready for a provider. */
export interface OutgoingMessage {
  /** the workspace the message is from (Telegram: its own bot when it has one) */
  tenantId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** provider tags (Resend: ASCII letters, digits, `_` and `-` only) */
  tags: Record<string, string>;
  /** the same for every attempt of one message: a provider that honours it never delivers twice */
  idempotencyKey: string;
  /** the body's buttons (Telegram: an inline keyboard of URL buttons; e-mail has them in `html`) */
  buttons?: ReadonlyArray<{ label: string; url: string }>;
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
  override readonly name: string = "PermanentSendError";
}

/** The provider asked to wait (Telegram 429 `retry_after`): the next attempt is not before `retryAfterMs`. */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The recipient cannot be reached on this channel any more (Telegram 403: the renter blocked the
 * bot): a bounce. The message ends `bounced` and the address goes on the suppression list.
 */
export class RecipientGoneError extends PermanentSendError {
  override readonly name = "RecipientGoneError";
}
