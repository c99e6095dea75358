// The local fake Telegram Bot API on its own: `npx tsx scripts/fake-telegram.ts [--port 3199] [--host 127.0.0.1]`.
// Point the app at it with TELEGRAM_API_ROOT=<printed URL> and TELEGRAM_BOT_TOKEN=<printed token>;
// open the printed URL to see the messages the app sent, as chat bubbles. Runs until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { FAKE_TELEGRAM_BOT_USERNAME, startFakeTelegram } from "../server/testing/fake-telegram";

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.FAKE_TELEGRAM_PORT ?? "3199" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const fake = await startFakeTelegram({ port: Number(values.port), host: values.host });
  console.log(`▸ fake Telegram Bot API on ${fake.url} (messages sent: ${fake.url}/)`);
  console.log(`  TELEGRAM_API_ROOT=${fake.url} TELEGRAM_BOT_TOKEN=${fake.token} TELEGRAM_BOT_USERNAME=${FAKE_TELEGRAM_BOT_USERNAME}`);
  console.log(
    `  a renter writes: curl -X POST ${fake.url}/__fake/update -H 'content-type: application/json' -d '{"chatId":1000,"text":"/help"}'`,
  );
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
