// @ts-check
// The production server (`npm start`): Next's request handler behind a plain Node HTTP server that
// knows the TCP peer. `next start` cannot be used: it keeps a client's own X-Forwarded-For, so
// every per-address limit (login, password reset, sign-up, invitations, the pay page) could be
// dodged by changing a header. Here the client address is the socket peer, or, when the peer is
// in TRUSTED_PROXIES, the right-most X-Forwarded-For entry that is not a trusted proxy
// (server/core/client-address.mjs). The app reads it from the x-phteah-client-ip header, which this
// server always replaces.
//
//   PORT (default 3000), HOST (default: every interface), TRUSTED_PROXIES (see README)
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { clientAddressListener, markClientAddressServer, parseTrustedProxies } from "./server/core/client-address.mjs";

const dir = path.dirname(new URL(import.meta.url).pathname);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || undefined;
process.env.NODE_ENV ??= "production";

let trusted;
try {
  trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// before prepare(): instrumentation.ts refuses a production start without it
markClientAddressServer();
const app = next({ dev: false, dir, port, hostname: host ?? "localhost" });
const handle = app.getRequestHandler();

try {
  await app.prepare();
} catch (error) {
  console.error(error);
  process.exit(1);
}

const server = createServer(clientAddressListener(trusted, handle));
// keep-alive longer than a typical load balancer's idle timeout (60 s), as `next start` does
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  const proxies = trusted.entries.length > 0 ? trusted.entries.join(", ") : "none (client address = socket peer)";
  console.log(`▸ Phteah on http://${host ?? "localhost"}:${port} (trusted proxies: ${proxies})`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    void app.close().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
