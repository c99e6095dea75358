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
import { loadStaticAssets, serveStaticAsset } from "./server/core/static-assets.mjs";

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

// Bakong payment callbacks (POST /api/webhooks/bakong) skip Next's request pipeline: the intake
// the app registers at start (server/payments/bakong-callbacks.jobs.ts) verifies the signature,
// stores the event with one statement and answers; the app's callback worker settles it. Until the
// hook is there (or on any other request) Next handles it (app/api/webhooks/bakong/route.ts).
const BAKONG_CALLBACK_PATH = "/api/webhooks/bakong";
const BAKONG_CALLBACK_HOOK = Symbol.for("phteah.bakongCallback");
const MAX_CALLBACK_BYTES = 64 * 1024; // as the route handler (bakong-webhook.public.ts)

/** @param {import("node:http").ServerResponse} res @param {number} status @param {unknown} body */
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(status === 503 ? { "retry-after": "5" } : {}),
  });
  res.end(text);
}

// The renter's pay page (GET /pay/<token> on a workspace's host, no session cookie) skips Next's
// request pipeline too: the hook the app registers at start (server/pay-page/hook.public.ts) answers it with
// the route handler's own renderer and proxy.ts's security headers; it declines everything else.
const PAY_PAGE_HOOK = Symbol.for("phteah.payPage");

// The build's /_next/static/ files from memory, gzipped once (server/core/static-assets.mjs): Next's
// serving compresses them again on every request, in the loop that renders the page (issue 17).
const staticAssets = loadStaticAssets(path.join(dir, ".next", "static"));

/** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
function route(req, res) {
  if (serveStaticAsset(req, res, staticAssets)) return;
  const payPage = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[PAY_PAGE_HOOK];
  if (typeof payPage === "function" && payPage(req, res) === true) return;
  const hook = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[BAKONG_CALLBACK_HOOK];
  const path = (req.url ?? "").split("?")[0];
  if (typeof hook !== "function" || req.method !== "POST" || path !== BAKONG_CALLBACK_PATH) return handle(req, res);
  if (Number(req.headers["content-length"] ?? 0) > MAX_CALLBACK_BYTES) {
    sendJson(res, 413, { error: "payload too large" });
    req.resume();
    return;
  }
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (/** @type {Buffer} */ chunk) => {
    size += chunk.length;
    if (size > MAX_CALLBACK_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on("error", () => res.destroy());
  req.on("end", () => {
    if (tooLarge) return sendJson(res, 413, { error: "payload too large" });
    /** @type {(raw: string, headers: import("node:http").IncomingHttpHeaders) => Promise<{ status: number; body: unknown }>} */ (hook)(
      Buffer.concat(chunks).toString("utf8"),
      req.headers,
    ).then(
      (r) => sendJson(res, r.status, r.body),
      () => sendJson(res, 500, { error: "processing failed" }),
    );
  });
}

const server = createServer(clientAddressListener(trusted, route));
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
    // the in-process job scheduler (server/ops/scheduler.jobs.ts), when it runs: its runs in progress end first
    const scheduler = globalThis.phteahScheduler?.stop() ?? Promise.resolve();
    void scheduler
      .then(() => app.close())
      // the last log records still buffered for the OTLP collector (server/core/observability/otlp.ts)
      .then(() => globalThis.phteahLogShipper?.shutdown())
      .finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
