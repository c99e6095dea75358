import { NonRetriableError } from "inngest";
import { inngest } from "../client";
import { notificationsMessageQueued } from "../events";
import { MessageSender } from "@/server/notifications/sender";
import { AppError } from "@/server/core/errors";

// Delivers a queued message (the event comes through the outbox, after the commit that queued
// it). One attempt per event: a failure goes back to queued with back-off and the message-retry
// cron takes the next attempt; a message already sent in-process (deliverSoon) is left alone.
export const messageSend = inngest.createFunction(
  { id: "message-send", triggers: [notificationsMessageQueued], retries: 2 },
  async ({ event, step }) =>
    step.run("send", async () => {
      try {
        return { status: await new MessageSender().send(event.data.messageId, event.data.tenantId) };
      } catch (e) {
        if (e instanceof AppError && e.code === "NOT_FOUND") throw new NonRetriableError("message not found");
        throw e;
      }
    }),
);
