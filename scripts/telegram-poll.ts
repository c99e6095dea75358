// `npm run telegram:poll`: long polling instead of the webhook, for local development against a real
// bot (docs/TELEGRAM.md, "Local development"). Removes the bot's webhook, then fetches updates with
// getUpdates and runs each through the same inbox and bot as POST /api/webhooks/telegram (stored once
// per update_id, processed once). Needs TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_USERNAME,
// TELEGRAM_WEBHOOK_SECRET and DATABASE_URL (the app's); stops on SIGINT/SIGTERM.
import { telegramApi, telegramConfig } from "../server/notifications/telegram-config";
import { TelegramWebhookService } from "../server/notifications/telegram-webhook.public";

async function main() {
  const config = telegramConfig();
  const api = telegramApi(config);
  if (!config || !api) throw new Error("Telegram is off: set TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET");
  await api.deleteWebhook();
  const service = new TelegramWebhookService();
  let offset = 0;
  let stopping = false;
  const stop = (signal: string) => {
    console.log(`▸ ${signal}: stopping`);
    stopping = true;
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  console.log(`▸ polling @${config.username} for updates (webhook removed; set it again for production: docs/TELEGRAM.md)`);
  while (!stopping) {
    try {
      const updates = await api.getUpdates({ offset, timeout: 25, allowed_updates: ["message", "my_chat_member"] });
      for (const u of updates) {
        offset = u.update_id + 1;
        const stored = await service.storeUpdate(u.update_id, JSON.stringify(u));
        if (stored.eventId && stored.inserted) {
          const result = await service.process(stored.eventId);
          console.log(`  update ${u.update_id}: ${JSON.stringify(result.body)}`);
        }
      }
    } catch (e) {
      console.error(`  getUpdates failed: ${e instanceof Error ? e.message : String(e)}; retrying in 5 s`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
