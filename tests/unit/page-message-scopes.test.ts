// The pay page ships only the message namespaces its browser code reads (lib/i18n/catalogs.ts
// PAGE_MESSAGE_SCOPES), marked by proxy.ts; every other page keeps the whole catalog.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { MESSAGE_SCOPE_HEADER } from "@/lib/i18n/config";
import { PAGE_MESSAGE_SCOPES, clientMessagesFor, messagesFor } from "@/lib/i18n";

const ROOT = path.resolve(__dirname, "../..");

/** The namespaces a client file's `t("ns.…")` / t(`ns.…`) calls read. */
function namespacesIn(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return new Set([...text.matchAll(/\bt\(\s*["'`]([a-zA-Z]+)\./g)].map((m) => m[1]!));
}

/** The request headers proxy.ts hands on to the page (NextResponse's middleware override headers). */
function forwarded(url: string, headers: Record<string, string> = {}): Headers {
  const res = proxy(new NextRequest(url, { headers: { host: new URL(url).host, ...headers } }));
  const out = new Headers();
  for (const name of (res.headers.get("x-middleware-override-headers") ?? "").split(",").filter(Boolean)) {
    const value = res.headers.get(`x-middleware-request-${name}`);
    if (value !== null) out.set(name, value);
  }
  return out;
}

describe("the pay page's message scope", () => {
  it("covers every namespace the pay page's client components read", () => {
    const used = new Set([...namespacesIn("components/payments/pay-page.tsx"), ...namespacesIn("components/layout/error-panel.tsx")]);
    expect(used.size).toBeGreaterThan(2);
    expect([...used].filter((ns) => !(PAGE_MESSAGE_SCOPES.pay as readonly string[]).includes(ns))).toEqual([]);
  });

  it("is a fraction of the whole catalog, in both languages", () => {
    for (const locale of ["en", "km"] as const) {
      const all = JSON.stringify(messagesFor(locale)).length;
      const pay = clientMessagesFor(locale, "pay");
      expect(Object.keys(pay).sort()).toEqual([...PAGE_MESSAGE_SCOPES.pay].sort());
      expect(JSON.stringify(pay).length).toBeLessThan(all / 3);
      expect(clientMessagesFor(locale, null)).toBe(messagesFor(locale));
    }
  });

  it("proxy.ts marks the tenant's pay page only, and drops a header the client sent", () => {
    process.env.APP_ROOT_DOMAIN = "localhost";
    expect(forwarded("http://acme.localhost:3000/pay/tok123").get(MESSAGE_SCOPE_HEADER)).toBe("pay");
    expect(forwarded("http://acme.localhost:3000/invoices", { [MESSAGE_SCOPE_HEADER]: "pay" }).get(MESSAGE_SCOPE_HEADER)).toBeNull();
    expect(forwarded("http://acme.localhost:3000/pay/tok123/extra").get(MESSAGE_SCOPE_HEADER)).toBeNull();
    expect(forwarded("http://localhost:3000/pay/tok123", { [MESSAGE_SCOPE_HEADER]: "pay" }).get(MESSAGE_SCOPE_HEADER)).toBeNull();
  });
});
