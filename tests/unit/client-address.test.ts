// The client address behind the per-address limits (login, reset, sign-up, invitations, pay page):
// the socket peer, or X-Forwarded-For only when the peer is a configured proxy. A client's own
// forwarding headers never choose its bucket. The last block runs real sockets through the same
// request listener server.mjs uses and reads the address the way the app does (server/core/http.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_IP_HEADER,
  applyClientAddress,
  clientAddressListener,
  markClientAddressServer,
  normalizeIp,
  parseTrustedProxies,
  resolveClientIp,
  type TrustedProxies,
} from "@/server/core/client-address.mjs";
import { clientIp } from "@/server/core/http";
import { parseEnv } from "@/env";

const none = parseTrustedProxies(undefined);

describe("parseTrustedProxies", () => {
  it("takes addresses, CIDR ranges and the words loopback and private", () => {
    const t = parseTrustedProxies(" 10.1.2.3, 192.168.0.0/16 ,2001:db8::/32, loopback");
    expect(t.check("10.1.2.3")).toBe(true);
    expect(t.check("10.1.2.4")).toBe(false);
    expect(t.check("192.168.200.1")).toBe(true);
    expect(t.check("2001:db8::7")).toBe(true);
    expect(t.check("127.0.0.1")).toBe(true);
    expect(t.check("::1")).toBe(true);
    expect(t.check("::ffff:127.0.0.1")).toBe(true);
    expect(t.check("203.0.113.9")).toBe(false);
    expect(t.check("not-an-ip")).toBe(false);
    const p = parseTrustedProxies("private");
    expect(["10.0.0.1", "172.20.0.1", "192.168.1.1", "fd00::2"].every((ip) => p.check(ip))).toBe(true);
    expect(p.check("172.32.0.1")).toBe(false);
  });

  it("empty trusts nobody", () => {
    expect(parseTrustedProxies("").entries).toEqual([]);
    expect(none.check("127.0.0.1")).toBe(false);
  });

  it("refuses anything else, naming every bad entry, and env validation reports it", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33, proxy.example.com, 1.2.3.4/8/9, 10.0.0.1")).toThrow(
      /"10\.0\.0\.0\/33", "proxy\.example\.com", "1\.2\.3\.4\/8\/9"/,
    );
    expect(() => parseTrustedProxies("*")).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ TRUSTED_PROXIES: "everyone" })).toThrow(/TRUSTED_PROXIES/);
    expect(parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8" }).TRUSTED_PROXIES).toBe("10.0.0.0/8");
  });
});

describe("normalizeIp", () => {
  it("accepts IPv4/IPv6 (mapped IPv4 as IPv4, brackets and an IPv4 port dropped), nothing else", () => {
    expect(normalizeIp("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(normalizeIp("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeIp("203.0.113.9:51234")).toBe("203.0.113.9");
    expect(normalizeIp("unknown")).toBeNull();
    expect(normalizeIp("")).toBeNull();
    expect(normalizeIp("1".repeat(100))).toBeNull();
  });
});

describe("resolveClientIp", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8");

  it("with no trusted proxy: the socket peer, whatever X-Forwarded-For says", () => {
    expect(resolveClientIp({ peer: "198.51.100.4", forwardedFor: "203.0.113.9", trusted: none })).toBe("198.51.100.4");
    expect(resolveClientIp({ peer: "::ffff:198.51.100.4", forwardedFor: "1.1.1.1, 2.2.2.2", trusted: none })).toBe("198.51.100.4");
  });

  it("from an untrusted peer, X-Forwarded-For is ignored even with proxies configured", () => {
    expect(resolveClientIp({ peer: "198.51.100.4", forwardedFor: "10.0.0.5", trusted: proxies })).toBe("198.51.100.4");
  });

  it("from a trusted proxy: the right-most entry that is not a trusted proxy", () => {
    // the client prepended a fake entry; the proxy appended the real address
    expect(resolveClientIp({ peer: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.9", trusted: proxies })).toBe("203.0.113.9");
    // two proxy hops of ours
    expect(resolveClientIp({ peer: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.9, 10.0.0.7", trusted: proxies })).toBe("203.0.113.9");
    // every hop is ours: the left-most
    expect(resolveClientIp({ peer: "10.0.0.2", forwardedFor: "10.9.9.9, 10.0.0.7", trusted: proxies })).toBe("10.9.9.9");
    // no header: the proxy itself
    expect(resolveClientIp({ peer: "10.0.0.2", forwardedFor: null, trusted: proxies })).toBe("10.0.0.2");
    // garbage left of a trusted hop: the last address a trusted proxy vouched for
    expect(resolveClientIp({ peer: "10.0.0.2", forwardedFor: "203.0.113.9, junk, 10.0.0.7", trusted: proxies })).toBe("10.0.0.7");
  });
});

describe("applyClientAddress", () => {
  it("from an untrusted peer: drops every forwarding header and the client's own copy of the internal header", () => {
    const headers: Record<string, string | string[] | undefined> = {
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-real-ip": "203.0.113.9",
      forwarded: "for=203.0.113.9",
      [CLIENT_IP_HEADER]: "203.0.113.9",
      host: "acme.localhost:3000",
    };
    expect(applyClientAddress(headers, "198.51.100.4", none)).toBe("198.51.100.4");
    expect(headers).toEqual({ host: "acme.localhost:3000", [CLIENT_IP_HEADER]: "198.51.100.4" });
  });

  it("from a trusted proxy: keeps its headers and resolves through them (several XFF headers count as one list)", () => {
    const headers: Record<string, string | string[] | undefined> = {
      "x-forwarded-for": ["6.6.6.6", "203.0.113.9"],
      "x-forwarded-proto": "https",
      [CLIENT_IP_HEADER]: "6.6.6.6",
    };
    expect(applyClientAddress(headers, "10.0.0.2", parseTrustedProxies("10.0.0.0/8"))).toBe("203.0.113.9");
    expect(headers[CLIENT_IP_HEADER]).toBe("203.0.113.9");
    expect(headers["x-forwarded-proto"]).toBe("https");
  });
});

describe("over real sockets, read as the app reads it", () => {
  let server: Server;
  let trusted: TrustedProxies = none;
  let url = "";

  beforeAll(async () => {
    // what server.mjs does before Next starts: from now on server/core/http.ts believes only its header
    markClientAddressServer();
    server = createServer((req, res) =>
      clientAddressListener(trusted, (r, s) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(r.headers)) if (typeof v === "string") headers.set(k, v);
        s.end(String(clientIp(headers)));
      })(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // the unit project shares one module graph and globalThis per worker (isolate: false): the next
    // file's clientIp must not believe the header
    delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("phteah.clientAddressServer")];
  });

  const ask = async (headers: Record<string, string>) => (await fetch(url, { headers })).text();

  it("no trusted proxy: a forged X-Forwarded-For, X-Real-IP or internal header does not change the address", async () => {
    trusted = none;
    expect(await ask({})).toBe("127.0.0.1");
    expect(await ask({ "X-Forwarded-For": "203.0.113.9" })).toBe("127.0.0.1");
    expect(await ask({ "X-Forwarded-For": "6.6.6.6, 203.0.113.10", "X-Real-IP": "203.0.113.11" })).toBe("127.0.0.1");
    expect(await ask({ [CLIENT_IP_HEADER]: "203.0.113.12" })).toBe("127.0.0.1");
  });

  it("behind a trusted proxy (here: the loopback peer), the address it appended", async () => {
    trusted = parseTrustedProxies("127.0.0.1");
    expect(await ask({ "X-Forwarded-For": "6.6.6.6, 203.0.113.9" })).toBe("203.0.113.9");
    expect(await ask({ "X-Forwarded-For": "203.0.113.9", [CLIENT_IP_HEADER]: "6.6.6.6" })).toBe("203.0.113.9");
    expect(await ask({})).toBe("127.0.0.1");
  });
});
