// A local stand-in for the Bakong Open API (docs/BAKONG.md §3, §6) on node:http, for integration
// tests, the e2e server and `npm run dev` (scripts/fake-bakong.ts). Same envelope as NBC:
//   { responseCode: 0|1, responseMessage, errorCode: number|null, data }
// "not found" = HTTP 200 + responseCode 1 + errorCode 1; "failed" = responseCode 1 + errorCode 3;
// bad/missing bearer token = HTTP 401 + errorCode 6.
//
// Endpoints (POST, JSON):
//   /v1/check_transaction_by_md5       {md5}
//   /v1/check_transaction_by_md5_list  [md5, …] (≤ 50, more → errorCode 5)
//   /v1/renew_token                    {email} → {token}; the previous token stops working. Like
//                                      NBC's, it needs no bearer (it is what you call once yours expired).
//   /v1/generate_deeplink_by_qr        {qr, sourceInfo?} → {shortLink}
// Development controls (no auth; never part of the real API):
//   POST /__fake/pay {md5, amount, currency, toAccountId, fromAccountId?, description?} → data: transaction
//   POST /__fake/fail {md5} · POST /__fake/reset · POST /__fake/failure {mode, times?}
//   POST /__fake/list-blocked {blocked} · GET /__fake/calls
//
// No `server-only`, nothing from server/db: plain tsx scripts start it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
// relative imports: plain tsx scripts and Playwright load this file too
import type { BakongTransaction } from "../payments/bakong-client";
import { crc16 } from "../payments/khqr";

/** The development token of server/payments/bakong-config.ts (LOCAL_DEFAULTS.apiToken), so `npm run dev` works out of the box. */
export const FAKE_BAKONG_DEFAULT_TOKEN = "local-fake-bakong-token";

export type FakeBakongFailure = null | 401 | 403 | 429 | 500;

export interface FakeBakongCall {
  path: string;
  body: unknown;
  at: number;
}

export interface FakeBakong {
  url: string;
  close(): Promise<void>;
  /** the token /v1/* accepts right now (changes on renew_token) */
  readonly token: string;
  /** records a payment for this md5 (major-unit amount, as Bakong reports it) and returns it */
  markPaid(md5: string, tx: Partial<BakongTransaction> & { toAccountId: string; amount: number; currency: string }): BakongTransaction;
  markFailed(md5: string): void;
  /** forgets payments, failures, toggles, calls, renewed tokens; the token goes back to the initial one */
  reset(): void;
  /** the next `times` /v1/* calls (default: every call until reset / setFailure(null)) answer this HTTP status */
  setFailure(mode: FakeBakongFailure, times?: number): void;
  /** the _list endpoint answers HTTP 500 while per-md5 checks still work (reported NBC behaviour) */
  setListBlocked(blocked: boolean): void;
  /** every /v1/* answer waits this long first (for client timeouts) */
  setDelay(ms: number): void;
  /** the /v1/* calls received, oldest first (control endpoints are not recorded) */
  calls: FakeBakongCall[];
  renewedTokens: string[];
}

const MD5 = /^[0-9a-f]{32}$/i;
const LIST_MAX = 50;

class BadJson extends Error {}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new BadJson("invalid JSON");
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const envelope = (responseCode: 0 | 1, responseMessage: string, errorCode: number | null, data: unknown = null) => ({
  responseCode,
  responseMessage,
  errorCode,
  data,
});

const MESSAGES = {
  found: "Getting transaction successfully.",
  notFound: "Transaction could not be found. Please check and try again.",
  failed: "Transaction failed.",
  missing: "Missing required fields.",
  unauthorized: "Unauthorized",
} as const;

export async function startFakeBakong(opts: { port?: number; token?: string; host?: string } = {}): Promise<FakeBakong> {
  const host = opts.host ?? "127.0.0.1";
  const initialToken = opts.token ?? FAKE_BAKONG_DEFAULT_TOKEN;
  let token = initialToken;
  const paid = new Map<string, BakongTransaction>();
  const failed = new Set<string>();
  let failure: { mode: Exclude<FakeBakongFailure, null>; remaining: number } | null = null;
  let listBlocked = false;
  let delayMs = 0;
  let deepLinks = 0;
  let tokens = 0;
  const calls: FakeBakongCall[] = [];
  const renewedTokens: string[] = [];

  const markPaid: FakeBakong["markPaid"] = (md5, tx) => {
    const key = md5.toLowerCase();
    const now = Date.now();
    const transaction: BakongTransaction = {
      hash: randomBytes(32).toString("hex"),
      fromAccountId: "payer@aclb",
      description: null,
      createdDateMs: now,
      acknowledgedDateMs: now,
      externalRef: `FAKE${randomBytes(6).toString("hex").toUpperCase()}`,
      ...(Object.fromEntries(Object.entries(tx).filter(([, v]) => v !== undefined)) as typeof tx),
    };
    failed.delete(key);
    paid.set(key, transaction);
    return transaction;
  };
  const markFailed = (md5: string) => {
    const key = md5.toLowerCase();
    paid.delete(key);
    failed.add(key);
  };
  const setFailure = (mode: FakeBakongFailure, times?: number) => {
    failure = mode === null ? null : { mode, remaining: times ?? Infinity };
  };
  const reset = () => {
    paid.clear();
    failed.clear();
    failure = null;
    listBlocked = false;
    delayMs = 0;
    calls.length = 0;
    renewedTokens.length = 0;
    token = initialToken;
  };

  /** The answer for one md5, as the per-md5 endpoint gives it. */
  const lookup = (md5: string) => {
    const key = md5.toLowerCase();
    const tx = paid.get(key);
    if (tx) return envelope(0, MESSAGES.found, null, tx);
    if (failed.has(key)) return envelope(1, MESSAGES.failed, 3);
    return envelope(1, MESSAGES.notFound, 1);
  };

  const handleApi = (name: string, body: unknown, send: (status: number, body: unknown) => void) => {
    switch (name) {
      case "check_transaction_by_md5": {
        const md5 = isRecord(body) ? body.md5 : undefined;
        if (typeof md5 !== "string" || !md5) return send(200, envelope(1, MESSAGES.missing, 5));
        return send(200, lookup(md5));
      }
      case "check_transaction_by_md5_list": {
        if (listBlocked) return send(500, envelope(1, "Internal Server Error", null));
        if (!Array.isArray(body) || body.some((m) => typeof m !== "string")) return send(200, envelope(1, MESSAGES.missing, 5));
        if (body.length > LIST_MAX) return send(200, envelope(1, `At most ${LIST_MAX} md5 per request.`, 5));
        const data = (body as string[]).map((md5) => {
          const one = lookup(md5);
          const status = one.responseCode === 0 ? "SUCCESS" : one.errorCode === 3 ? "FAILED" : "NOT_FOUND";
          return { md5, status, message: one.responseMessage, data: one.data };
        });
        return send(200, envelope(0, MESSAGES.found, null, data));
      }
      case "renew_token": {
        const email = isRecord(body) ? body.email : undefined;
        if (typeof email !== "string" || !email) return send(200, envelope(1, MESSAGES.missing, 5));
        if (!/^[^@\s]+@[^@\s]+$/.test(email)) return send(200, envelope(1, "Email is not registered.", 10));
        token = `fake-bakong-token-${++tokens}-${randomBytes(8).toString("hex")}`;
        renewedTokens.push(token);
        return send(200, envelope(0, "Token has been issued", null, { token }));
      }
      case "generate_deeplink_by_qr": {
        const qr = isRecord(body) ? body.qr : undefined;
        if (typeof qr !== "string" || !qr) return send(200, envelope(1, MESSAGES.missing, 5));
        if (!/6304[0-9A-F]{4}$/i.test(qr) || crc16(qr.slice(0, -4)) !== qr.slice(-4).toUpperCase())
          return send(200, envelope(1, "KHQR is invalid.", 8));
        return send(
          200,
          envelope(0, "Getting Deep Link successfully.", null, { shortLink: `https://bakong.page.link/fake-${++deepLinks}` }),
        );
      }
      default:
        return send(404, envelope(1, "Not found", null));
    }
  };

  const handleControl = (name: string, body: unknown, send: (status: number, body: unknown) => void) => {
    const b = isRecord(body) ? body : {};
    switch (name) {
      case "pay": {
        const md5 = b.md5;
        const amount = typeof b.amount === "string" ? Number(b.amount) : b.amount;
        if (typeof md5 !== "string" || !MD5.test(md5)) return send(400, { error: "md5 (32 hex) is required" });
        if (typeof amount !== "number" || !Number.isFinite(amount) || amount <= 0)
          return send(400, { error: "amount (major units) is required" });
        if (typeof b.currency !== "string" || typeof b.toAccountId !== "string")
          return send(400, { error: "currency and toAccountId are required" });
        const tx = markPaid(md5, {
          amount,
          currency: b.currency,
          toAccountId: b.toAccountId,
          ...(typeof b.fromAccountId === "string" ? { fromAccountId: b.fromAccountId } : {}),
          ...(typeof b.description === "string" ? { description: b.description } : {}),
        });
        return send(200, envelope(0, MESSAGES.found, null, tx));
      }
      case "fail": {
        if (typeof b.md5 !== "string" || !MD5.test(b.md5)) return send(400, { error: "md5 (32 hex) is required" });
        markFailed(b.md5);
        return send(200, { ok: true });
      }
      case "reset":
        reset();
        return send(200, { ok: true });
      case "failure": {
        const mode = b.mode ?? null;
        if (mode !== null && mode !== 401 && mode !== 403 && mode !== 429 && mode !== 500)
          return send(400, { error: "mode is null, 401, 403, 429 or 500" });
        setFailure(mode, typeof b.times === "number" ? b.times : undefined);
        return send(200, { ok: true });
      }
      case "list-blocked":
        listBlocked = b.blocked === true;
        return send(200, { ok: true });
      default:
        return send(404, { error: "unknown control" });
    }
  };

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.headersSent) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const path = new URL(req.url ?? "/", "http://fake-bakong").pathname;
      if (req.method === "GET" && path === "/__fake/calls") return send(200, calls);
      if (req.method === "GET" && (path === "/" || path === "/health")) return send(200, { ok: true, service: "fake-bakong" });
      if (req.method !== "POST") return send(405, envelope(1, "Method not allowed", null));

      let body: unknown;
      try {
        body = await readBody(req);
      } catch (e) {
        if (e instanceof BadJson) return send(400, envelope(1, "Malformed JSON request.", 5));
        throw e;
      }

      if (path.startsWith("/__fake/")) return handleControl(path.slice("/__fake/".length), body, send);
      if (!path.startsWith("/v1/")) return send(404, envelope(1, "Not found", null));

      calls.push({ path, body, at: Date.now() });
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (failure && failure.remaining > 0) {
        const mode = failure.mode;
        failure.remaining -= 1;
        if (failure.remaining <= 0) failure = null;
        if (mode === 401) return send(401, envelope(1, MESSAGES.unauthorized, 6));
        if (mode === 403) {
          // what NBC's edge answers to non-Cambodian IPs: an HTML page, not the envelope
          res.writeHead(403, { "content-type": "text/html" });
          return res.end("<html><body><h1>403 Forbidden</h1></body></html>");
        }
        if (mode === 429) return send(429, envelope(1, "Too many requests", null), { "retry-after": "7" });
        return send(500, envelope(1, "Internal Server Error", null));
      }
      const name = path.slice("/v1/".length);
      if (name !== "renew_token" && req.headers.authorization !== `Bearer ${token}`)
        return send(401, envelope(1, MESSAGES.unauthorized, 6));
      return handleApi(name, body, send);
    } catch (e) {
      send(500, envelope(1, e instanceof Error ? e.message : "error", null));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    get token() {
      return token;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    markPaid,
    markFailed,
    reset,
    setFailure,
    setListBlocked: (blocked: boolean) => {
      listBlocked = blocked;
    },
    setDelay: (ms: number) => {
      delayMs = Math.max(0, ms);
    },
    calls,
    renewedTokens,
  };
}
