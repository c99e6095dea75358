import { request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import { expect, test } from "./fixtures/test";
import { postJson } from "./fixtures/helpers";

// The e2e server (server.mjs, as `npm start`) runs with TRUSTED_PROXIES=loopback: Playwright,
// connecting from 127.0.0.1, plays the reverse proxy in front of it and states each case's client
// address in X-Forwarded-For (TEST-NET values), so the cases do not throttle the other specs.
// The last cases check what a client that is NOT a trusted proxy gets: its own headers are ignored.

test("5 failed logins for one account in 15 minutes → 429 with Retry-After", async ({ request }) => {
  // an account only this spec uses: it stays throttled for 15 minutes afterwards
  const email = "throttled@globex.test";
  for (let i = 1; i <= 5; i++) {
    const res = await postJson(
      request,
      "globex",
      "/api/session/login",
      { email, password: `wrong-${i}` },
      { "X-Forwarded-For": `203.0.113.${i}` },
    );
    expect(res.status(), `attempt ${i}`).toBe(401);
  }
  // a new address and even the right password: the account is throttled
  const blocked = await postJson(
    request,
    "globex",
    "/api/session/login",
    { email, password: "phteah-demo-2026" },
    { "X-Forwarded-For": "203.0.113.99" },
  );
  expect(blocked.status()).toBe(429);
  const retryAfter = Number(blocked.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThan(800);
  expect(retryAfter).toBeLessThanOrEqual(900);
  expect((await blocked.json()).error.message).toMatch(/Too many attempts/);
});

test("5 failed logins from one address → 429 for any account from it", async ({ request }) => {
  const ip = { "X-Forwarded-For": "198.51.100.7" };
  for (let i = 1; i <= 5; i++) {
    const res = await postJson(request, "acme", "/api/session/login", { email: `nobody${i}@example.test`, password: "x" }, ip);
    expect(res.status()).toBe(401);
  }
  const res = await postJson(request, "acme", "/api/session/login", { email: "viewer@acme.test", password: "phteah-demo-2026" }, ip);
  expect(res.status()).toBe(429);
  expect(res.headers()["retry-after"]).toBeTruthy();
});

test("password reset requests are throttled too", async ({ request }) => {
  const ip = { "X-Forwarded-For": "198.51.100.8" };
  for (let i = 1; i <= 5; i++) {
    const res = await postJson(request, "acme", "/api/session/forgot-password", { email: `someone${i}@example.test` }, ip);
    expect(res.status()).toBe(202);
  }
  const res = await postJson(request, "acme", "/api/session/forgot-password", { email: "someone6@example.test" }, ip);
  expect(res.status()).toBe(429);
  expect(res.headers()["retry-after"]).toBeTruthy();
});

test("a client cannot pick its address with the server's internal header", async ({ request }) => {
  // X-Forwarded-For comes from the trusted (loopback) proxy; x-phteah-client-ip is replaced by server.mjs
  const ip = "198.51.100.9";
  for (let i = 1; i <= 5; i++) {
    const res = await postJson(
      request,
      "acme",
      "/api/session/login",
      { email: `internal${i}@example.test`, password: "x" },
      { "X-Forwarded-For": ip, "x-phteah-client-ip": `192.0.2.${i}` },
    );
    expect(res.status()).toBe(401);
  }
  const res = await postJson(
    request,
    "acme",
    "/api/session/login",
    { email: "internal6@example.test", password: "x" },
    { "X-Forwarded-For": ip, "x-phteah-client-ip": "192.0.2.99" },
  );
  expect(res.status()).toBe(429);
});

/** This machine's own non-loopback IPv4 address: a peer the e2e server does not trust. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

/** POSTs a login from `localAddress` (the socket's source), with a forged X-Forwarded-For. */
function loginFrom(localAddress: string, email: string, forged: string): Promise<number> {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const body = JSON.stringify({ email, password: "x" });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        localAddress,
        method: "POST",
        path: "/api/session/login",
        headers: {
          Host: `acme.localhost:${port}`,
          Origin: `http://acme.localhost:${port}`,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          "X-Forwarded-For": forged,
          "X-Real-IP": forged,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("from a peer that is not a trusted proxy, a forged X-Forwarded-For does not give a fresh bucket", async () => {
  test.skip(!externalAddress, "needs a non-loopback IPv4 address on this machine");
  const from = externalAddress!;
  // every attempt claims another address; the server counts them all against the real peer
  for (let i = 1; i <= 5; i++) {
    expect(await loginFrom(from, `spoof${i}@example.test`, `203.0.113.${100 + i}`), `attempt ${i}`).toBe(401);
  }
  expect(await loginFrom(from, "spoof6@example.test", "203.0.113.200")).toBe(429);
});
