// The local fake Bakong API on its own: `npx tsx scripts/fake-bakong.ts [--port 3198] [--host 127.0.0.1] [--token …]`.
// Point the app at it with BAKONG_API_BASE_URL=<printed URL> (and BAKONG_SIMULATOR=1 for the
// "simulate payment" button). Runs until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startFakeBakong } from "../server/testing/fake-bakong";

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.FAKE_BAKONG_PORT ?? "3198" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535 (got ${values.port})`);
  const fake = await startFakeBakong({ port, host: values.host, ...(values.token ? { token: values.token } : {}) });
  console.log(`▸ fake Bakong API on ${fake.url}`);
  console.log(`  BAKONG_API_BASE_URL=${fake.url}`);
  console.log(`  pay a QR: curl -X POST ${fake.url}/__fake/pay -H 'content-type: application/json' \\`);
  console.log(`    -d '{"md5":"<md5>","amount":10,"currency":"USD","toAccountId":"phteah@aclb"}'`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`▸ ${signal}: stopping the fake Bakong API`);
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
