import "server-only";
import { getMailTransport, MailRejectedError } from "@/server/notifications/mail";
import { PermanentSendError, type ChannelAdapter } from "./types";

/** E-mail through server/mail: Resend (or its stub), the development file drop, or a test capture. */
export const emailChannel: ChannelAdapter<"email"> = {
  channel: "email",
  async send(m) {
    const transport = getMailTransport();
    try {
      const { id, provider } = await transport.send({
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        tags: m.tags,
        idempotencyKey: m.idempotencyKey,
      });
      return { provider: provider ?? transport.name, providerId: id };
    } catch (error) {
      // a 4xx other than 429 (rate limit) and 409 (concurrent idempotent request) will not succeed later
      if (error instanceof MailRejectedError && error.statusCode !== null && error.statusCode >= 400 && error.statusCode < 500) {
        if (error.statusCode !== 429 && error.statusCode !== 409) throw new PermanentSendError(error.message, { cause: error });
      }
      throw error;
    }
  },
};
