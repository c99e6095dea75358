import { inngest } from "../client";
import { telegramUpdateReceived } from "../events";
import { TelegramWebhookService } from "@/server/notifications/telegram-webhook.public";

// Processes a Telegram update the webhook stored (the event comes through the outbox, after the
// commit that stored it). The inbox processes each update once: an update already handled in-process
// answers duplicate; a failed one (500) is retried here and can be replayed from /admin.
export const telegramUpdate = inngest.createFunction(
  { id: "telegram-update", triggers: [telegramUpdateReceived], retries: 4 },
  async ({ event, step }) =>
    step.run("process", async () => {
      const result = await new TelegramWebhookService().process(event.data.eventId);
      if (result.status >= 500) throw new Error("telegram update processing failed");
      return result.body;
    }),
);
