import { expect, test } from "./fixtures/test";
import { postJson } from "./fixtures/helpers";

// Each case uses its own client address (TEST-NET values in X-Forwarded-For; no proxy sits in
// front of the e2e server) so it does not interfere with the other specs.

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
