// Request metadata (server/core/http.ts): the client IP feeds the per-IP throttles, so it must not be forgeable.
import { describe, expect, it } from "vitest";
import { clientIp, isSameOrigin, localeFromHeaders, metaFromHeaders } from "@/server/core/http";

describe("clientIp", () => {
  it("takes the right-most X-Forwarded-For entry (the one our proxy appended)", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.1.1.1,  ,203.0.113.9 , " }))).toBe("203.0.113.9");
  });

  it("falls back to X-Real-IP, then null", () => {
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.1" }))).toBe("198.51.100.1");
    expect(clientIp(new Headers())).toBeNull();
  });

  it("caps its length", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "x".repeat(500) }))!.length).toBe(64);
  });
});

describe("metaFromHeaders", () => {
  it("keeps the given request id or makes one", () => {
    expect(metaFromHeaders(new Headers({ "x-request-id": "req-7", "user-agent": "UA" }))).toEqual({
      ip: null,
      userAgent: "UA",
      requestId: "req-7",
    });
    const a = metaFromHeaders(new Headers()).requestId;
    const b = metaFromHeaders(new Headers()).requestId;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });
});

describe("localeFromHeaders", () => {
  it("prefers the cookie, then Accept-Language, then the workspace, then English", () => {
    expect(localeFromHeaders(new Headers({ cookie: "a=1; phteah-locale=km", "accept-language": "en" }))).toBe("km");
    expect(localeFromHeaders(new Headers({ cookie: "phteah-locale=xx", "accept-language": "km-KH" }))).toBe("km");
    expect(localeFromHeaders(new Headers({ "accept-language": "fr" }), "km")).toBe("km");
    expect(localeFromHeaders(new Headers(), "de")).toBe("en");
  });
});

describe("isSameOrigin", () => {
  const req = (headers: Record<string, string>) => new Request("http://acme.localhost:3000/api/session/login", { method: "POST", headers });

  it("accepts a matching Origin and refuses another one", () => {
    expect(isSameOrigin(req({ host: "acme.localhost:3000", origin: "http://acme.localhost:3000" }))).toBe(true);
    expect(isSameOrigin(req({ host: "acme.localhost:3000", origin: "http://evil.localhost:3000" }))).toBe(false);
    expect(isSameOrigin(req({ host: "acme.localhost:3000", origin: "null" }))).toBe(false);
  });

  it("without Origin, refuses only a cross-site fetch", () => {
    expect(isSameOrigin(req({ host: "acme.localhost:3000" }))).toBe(true);
    expect(isSameOrigin(req({ host: "acme.localhost:3000", "sec-fetch-site": "cross-site" }))).toBe(false);
  });

  it("refuses a sibling subdomain (same-site) and a cross-site fetch even with a forged-looking Origin", () => {
    expect(isSameOrigin(req({ host: "acme.localhost:3000", "sec-fetch-site": "same-site" }))).toBe(false);
    expect(isSameOrigin(req({ host: "acme.localhost:3000", origin: "http://acme.localhost:3000", "sec-fetch-site": "cross-site" }))).toBe(
      false,
    );
    expect(isSameOrigin(req({ host: "acme.localhost:3000", origin: "http://acme.localhost:3000", "sec-fetch-site": "same-origin" }))).toBe(
      true,
    );
  });
});
