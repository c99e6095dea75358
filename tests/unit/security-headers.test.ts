// CSP and security headers built by proxy.ts for every HTML response.
import { describe, expect, it } from "vitest";
import { buildCsp, securityHeaders } from "@/lib/security-headers";

const directives = (csp: string) =>
  new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );

describe("buildCsp", () => {
  it("puts the nonce in script-src with strict-dynamic, and nowhere unsafe in production", () => {
    const csp = directives(buildCsp("abc123", { dev: false, https: true }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
    expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("forbids framing, plugins and foreign form targets", () => {
    const csp = directives(buildCsp("n", { dev: false, https: false }));
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
  });

  it("lets forms reach the workspace subdomains of the root domain, and nothing else", () => {
    expect(directives(buildCsp("n", { dev: false, https: true, rootDomain: "phteah.app" })).get("form-action")).toEqual([
      "'self'",
      "*.phteah.app:*",
    ]);
  });

  it("allows eval and websockets only in development", () => {
    const dev = directives(buildCsp("n", { dev: true, https: false }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
    const prod = directives(buildCsp("n", { dev: false, https: false }));
    expect(prod.get("connect-src")).toEqual(["'self'"]);
  });

  it("upgrades insecure requests only over https", () => {
    expect(directives(buildCsp("n", { dev: false, https: true })).has("upgrade-insecure-requests")).toBe(true);
    expect(directives(buildCsp("n", { dev: false, https: false })).has("upgrade-insecure-requests")).toBe(false);
  });

  it("lets the browser reach the Sentry origin only (not the DSN's key), and ignores a bad DSN", () => {
    const csp = buildCsp("n", { dev: false, https: true, sentryDsn: "https://pubkey@o1.ingest.sentry.io/42" });
    expect(directives(csp).get("connect-src")).toEqual(["'self'", "https://o1.ingest.sentry.io"]);
    expect(csp).not.toContain("pubkey");
    expect(directives(buildCsp("n", { dev: false, https: true, sentryDsn: "not a url" })).get("connect-src")).toEqual(["'self'"]);
  });

  it("uses a different nonce per call", () => {
    expect(buildCsp("one", { dev: false, https: false })).not.toBe(buildCsp("two", { dev: false, https: false }));
  });
});

describe("securityHeaders", () => {
  it("carries the CSP and the fixed hardening headers", () => {
    const h = securityHeaders({ csp: "default-src 'self'", production: false });
    expect(h["Content-Security-Policy"]).toBe("default-src 'self'");
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["Cross-Origin-Opener-Policy"]).toBe("same-origin");
    expect(h["Permissions-Policy"]).toContain("camera=()");
  });

  it("sends HSTS only in production", () => {
    expect(securityHeaders({ csp: "x", production: false })).not.toHaveProperty("Strict-Transport-Security");
    const hsts = securityHeaders({ csp: "x", production: true })["Strict-Transport-Security"];
    expect(hsts).toMatch(/max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(hsts!)![1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toContain("includeSubDomains");
  });
});
