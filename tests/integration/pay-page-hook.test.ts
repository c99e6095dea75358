// The production server's fast way to the pay page (server/pay-page/hook.public.ts, issue 13): server.mjs
// asks the hook first; it must take exactly a renter's GET /pay/<token> on a workspace's host and
// answer it as the route handler with proxy.ts's security would (fresh nonce in the CSP and on the
// page's one script and style, the security headers, a request id, no caching, gzip when asked),
// and decline everything else so that Next answers it as before.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContract, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { installPayPageHook, PAY_PAGE_HOOK, type PayPageHook } from "@/server/pay-page/hook.public";
import { securityHeaders } from "@/lib/security-headers";
import { APEX, hostOf, uniqueIp } from "./support/world";

/** the workspace's name, as its pay page shows it */
const NAME = "Hook Test Apartments";
/** what the stand-in for Next answers: the hook declined the request */
const NEXT = 599;

let server: http.Server;
let port: number;
let t: CreatedTenant;
let other: CreatedTenant;
let token: string;

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  text: string;
}

function get(host: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: { host: `${host}:${port}`, "x-forwarded-for": uniqueIp(), ...headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const text = res.headers["content-encoding"] === "gzip" ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  t = await createTenant({ slug: uniqueSlug("payhook"), name: NAME });
  other = await createTenant({ slug: uniqueSlug("payhook-other") });
  const contract = await createContract({ tenantId: t.tenantId, status: "active" });
  const invoice = await createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2026-10",
    lines: [{ kind: "rent", description: "Rent October 2026", unitAmount: 25_000 }],
  });
  token = invoice.payToken!;
  installPayPageHook();
  const hook = (globalThis as Record<symbol, unknown>)[PAY_PAGE_HOOK] as PayPageHook;
  server = http.createServer((req, res) => {
    if (hook(req, res)) return;
    res.writeHead(NEXT);
    res.end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  delete (globalThis as Record<symbol, unknown>)[PAY_PAGE_HOOK];
  await new Promise((resolve) => server.close(resolve));
});

describe("the pay page hook", () => {
  it("answers a renter's view with the page, a fresh nonce on its script and style, and every security header", async () => {
    const first = await get(hostOf(t.slug), `/pay/${token}`);
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(first.headers["cache-control"]).toContain("no-store");
    expect(first.text).toContain("<h1");
    expect(first.text).toContain(NAME);
    const csp = String(first.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const tags = [...first.text.matchAll(/<(script|style)\b([^>]*)>/g)];
    expect(tags.length).toBeGreaterThanOrEqual(2);
    for (const [tag, , attrs] of tags) expect(attrs, tag).toContain(`nonce="${nonce}"`);
    for (const name of Object.keys(securityHeaders({ csp, production: false })))
      expect(first.headers[name.toLowerCase()], name).toBeDefined();
    expect(first.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const second = await get(hostOf(t.slug), `/pay/${token}`);
    expect(second.headers["content-security-policy"]).not.toBe(csp);
    expect(second.headers["x-request-id"]).not.toBe(first.headers["x-request-id"]);
  });

  it("compresses the page for a browser that accepts gzip, and says so", async () => {
    const zipped = await get(hostOf(t.slug), `/pay/${token}`, { "accept-encoding": "gzip, deflate, br" });
    expect(zipped.status).toBe(200);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("Accept-Encoding");
    expect(zipped.raw.length).toBeLessThan(zipped.text.length / 2);
    expect(zipped.text).toContain(NAME);
    const refused = await get(hostOf(t.slug), `/pay/${token}`, { "accept-encoding": "gzip;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("switches the language with its redirect and cookie, and its security headers", async () => {
    const r = await get(hostOf(t.slug), `/pay/${token}?lang=en&pay=KHR`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`/pay/${token}?pay=KHR`);
    expect(r.headers["set-cookie"]).toEqual(["phteah-locale=en; Path=/; Max-Age=31536000; SameSite=Lax"]);
    expect(r.headers["x-frame-options"]).toBe("DENY");
  });

  it("is the plain 404 for an unknown token and for this token on another workspace's host", async () => {
    const unknown = await get(hostOf(t.slug), `/pay/${"x".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-security-policy"]).toBeDefined();
    const elsewhere = await get(hostOf(other.slug), `/pay/${token}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.text).not.toContain(NAME);
  });

  it("leaves everything else to Next: a session cookie, another method, path or host", async () => {
    const declined: [string, string, Record<string, string>, string?][] = [
      [hostOf(t.slug), `/pay/${token}`, { cookie: "authjs.session-token=abc" }],
      [hostOf(t.slug), `/pay/${token}`, { cookie: "a=b; __Secure-authjs.session-token.0=abc" }],
      [hostOf(t.slug), `/pay/${token}`, {}, "HEAD"],
      [hostOf(t.slug), `/pay/${token}`, {}, "POST"],
      [hostOf(t.slug), `/pay/${token}/`, {}],
      [hostOf(t.slug), `/pay/${token}/receipts/x`, {}],
      [hostOf(t.slug), `/pay/%41${token.slice(1)}`, {}],
      [hostOf(t.slug), `/t/${t.slug}/pay/${token}`, {}],
      [APEX, `/pay/${token}`, {}],
      ["evil.example", `/pay/${token}`, {}],
    ];
    for (const [host, path, headers, method] of declined) {
      const r = await get(host, path, headers, method);
      expect(r.status, `${method ?? "GET"} ${host}${path} ${JSON.stringify(headers)}`).toBe(NEXT);
    }
    // a language cookie is not a session: the renter's view is still the hook's
    expect((await get(hostOf(t.slug), `/pay/${token}`, { cookie: "phteah-locale=km" })).status).toBe(200);
  });
});
