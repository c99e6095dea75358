// The real BakongClient (server/payments/bakong-client.ts) over HTTP against the local fake
// Bakong API (server/testing/fake-bakong.ts). No database; it lives under integration because it
// opens ports.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BakongApiError, BakongClient } from "@/server/payments/bakong-client";
import { majorToMinor } from "@/lib/money";
import { generateKhqr } from "@/server/payments/khqr";
import { startFakeBakong, type FakeBakong } from "@/server/testing/fake-bakong";

let fake: FakeBakong;
const TOKEN = "integration-token";

const md5Of = (n: number) => n.toString(16).padStart(32, "0");
const client = (over: { token?: string; timeoutMs?: number } = {}) =>
  new BakongClient({ baseUrl: fake.url, token: over.token ?? fake.token, timeoutMs: over.timeoutMs ?? 5000 });

async function apiError(p: Promise<unknown>): Promise<BakongApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BakongApiError);
    return e as BakongApiError;
  }
  throw new Error("expected a BakongApiError");
}

beforeAll(async () => {
  fake = await startFakeBakong({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe("check_transaction_by_md5", () => {
  it("finds a paid md5 and returns Bakong's transaction", async () => {
    const md5 = md5Of(1);
    const paid = fake.markPaid(md5, { toAccountId: "phteah@aclb", amount: 12.5, currency: "USD", description: "INV-1" });
    expect(paid.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(paid.fromAccountId).toBe("payer@aclb");

    const check = await client().checkByMd5(md5);
    expect(check).toEqual({
      md5,
      status: "found",
      transaction: {
        hash: paid.hash,
        fromAccountId: "payer@aclb",
        toAccountId: "phteah@aclb",
        currency: "USD",
        amount: 12.5,
        description: "INV-1",
        createdDateMs: paid.createdDateMs,
        acknowledgedDateMs: paid.acknowledgedDateMs,
        externalRef: paid.externalRef,
      },
    });
    if (check.status === "found") expect(majorToMinor(check.transaction.amount, check.transaction.currency)).toBe(1250);
    expect(fake.calls).toEqual([{ path: "/v1/check_transaction_by_md5", body: { md5 }, at: expect.any(Number) }]);
  });

  it("answers not_found for an unknown md5 (HTTP 200, responseCode 1, errorCode 1)", async () => {
    expect(await client().checkByMd5(md5Of(2))).toEqual({ md5: md5Of(2), status: "not_found" });
    const raw = await fetch(`${fake.url}/v1/check_transaction_by_md5`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ md5: md5Of(2) }),
    });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toMatchObject({ responseCode: 1, errorCode: 1, data: null });
  });

  it("answers failed for a failed md5 (errorCode 3)", async () => {
    fake.markFailed(md5Of(3));
    expect(await client().checkByMd5(md5Of(3))).toEqual({ md5: md5Of(3), status: "failed", errorCode: 3 });
  });

  it("checks the md5 of a real generated KHQR, paid through the dev control endpoint", async () => {
    const { md5 } = generateKhqr({
      accountId: "phteah@aclb",
      merchantName: "Phteah",
      merchantCity: "Phnom Penh",
      amount: 40_000,
      currency: "KHR",
      billNumber: "INV-2026-000001",
      expiresAt: new Date(Date.now() + 600_000),
    });
    expect((await client().checkByMd5(md5)).status).toBe("not_found");
    const res = await fetch(`${fake.url}/__fake/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ md5, amount: 40_000, currency: "KHR", toAccountId: "phteah@aclb" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { responseCode: number; data: { hash: string; amount: number } };
    expect(body).toMatchObject({ responseCode: 0, data: { amount: 40_000, currency: "KHR", toAccountId: "phteah@aclb" } });
    const check = await client().checkByMd5(md5);
    expect(check.status === "found" && check.transaction.hash).toBe(body.data.hash);
    expect(fake.calls.map((c) => c.path)).toEqual(["/v1/check_transaction_by_md5", "/v1/check_transaction_by_md5"]);

    const failRes = await fetch(`${fake.url}/__fake/fail`, { method: "POST", body: JSON.stringify({ md5 }) });
    expect(failRes.status).toBe(200);
    expect((await client().checkByMd5(md5)).status).toBe("failed");
  });

  it("refuses a malformed md5 before calling Bakong", async () => {
    await expect(client().checkByMd5("not-an-md5")).rejects.toThrow(TypeError);
    expect(fake.calls).toHaveLength(0);
  });
});

describe("check_transaction_by_md5_list", () => {
  it("returns mixed statuses in the order asked", async () => {
    const paid = fake.markPaid(md5Of(11), { toAccountId: "phteah@aclb", amount: 4000, currency: "KHR" });
    fake.markFailed(md5Of(13));
    const checks = await client().checkByMd5List([md5Of(12), md5Of(11), md5Of(13)]);
    expect(checks).toEqual([
      { md5: md5Of(12), status: "not_found" },
      { md5: md5Of(11), status: "found", transaction: expect.objectContaining({ hash: paid.hash, amount: 4000, currency: "KHR" }) },
      { md5: md5Of(13), status: "failed", errorCode: 3 },
    ]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ path: "/v1/check_transaction_by_md5_list", body: [md5Of(12), md5Of(11), md5Of(13)] });
  });

  it("takes exactly 50, throws above 50 without calling, and an empty list makes no call", async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => md5Of(100 + i));
    expect(await client().checkByMd5List(fifty)).toHaveLength(50);
    await expect(client().checkByMd5List([...fifty, md5Of(999)])).rejects.toThrow(RangeError);
    expect(await client().checkByMd5List([])).toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });

  it("the fake itself refuses more than 50 with errorCode 5", async () => {
    const res = await fetch(`${fake.url}/v1/check_transaction_by_md5_list`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(Array.from({ length: 51 }, (_, i) => md5Of(i))),
    });
    expect(await res.json()).toMatchObject({ responseCode: 1, errorCode: 5 });
  });

  it("when the list endpoint is blocked it fails as a server error while per-md5 checks still work", async () => {
    fake.markPaid(md5Of(21), { toAccountId: "phteah@aclb", amount: 1, currency: "USD" });
    fake.setListBlocked(true);
    const err = await apiError(client().checkByMd5List([md5Of(21)]));
    expect(err).toMatchObject({ kind: "server", httpStatus: 500 });
    expect((await client().checkByMd5(md5Of(21))).status).toBe("found");
  });
});

describe("tokens", () => {
  it("a wrong token → unauthorized (HTTP 401, errorCode 6)", async () => {
    const err = await apiError(client({ token: "stale" }).checkByMd5(md5Of(1)));
    expect(err).toMatchObject({ kind: "unauthorized", httpStatus: 401, errorCode: 6 });
  });

  it("renewToken: the new token works, the old one stops working", async () => {
    const old = client({ token: TOKEN });
    expect((await old.checkByMd5(md5Of(1))).status).toBe("not_found");

    const renewer = client({ token: "expired-token" });
    const fresh = await renewer.renewToken("dev@phteah.test");
    expect(fresh).not.toBe(TOKEN);
    expect(fake.renewedTokens).toEqual([fresh]);
    expect(fake.token).toBe(fresh);
    expect(fake.calls.at(-1)).toMatchObject({ path: "/v1/renew_token", body: { email: "dev@phteah.test" } });

    // the renewing client switched to the new token by itself
    expect((await renewer.checkByMd5(md5Of(1))).status).toBe("not_found");
    expect((await client({ token: fresh }).checkByMd5(md5Of(1))).status).toBe("not_found");
    expect(await apiError(old.checkByMd5(md5Of(1)))).toMatchObject({ kind: "unauthorized" });
    old.setToken(fresh);
    expect((await old.checkByMd5(md5Of(1))).status).toBe("not_found");
  });

  it("renewToken for an unregistered e-mail fails as unauthorized (errorCode 10)", async () => {
    expect(await apiError(client().renewToken("nobody"))).toMatchObject({ kind: "unauthorized", errorCode: 10 });
  });
});

describe("failure modes", () => {
  it("HTTP 403 (geo-blocked, HTML body) → geo_blocked", async () => {
    fake.setFailure(403);
    expect(await apiError(client().checkByMd5(md5Of(1)))).toMatchObject({ kind: "geo_blocked", httpStatus: 403 });
    expect(await apiError(client().checkByMd5List([md5Of(1)]))).toMatchObject({ kind: "geo_blocked" });
  });

  it("HTTP 429 → rate_limited with Retry-After in ms", async () => {
    fake.setFailure(429, 1);
    expect(await apiError(client().checkByMd5(md5Of(1)))).toMatchObject({ kind: "rate_limited", httpStatus: 429, retryAfterMs: 7000 });
    // only once
    expect((await client().checkByMd5(md5Of(1))).status).toBe("not_found");
  });

  it("HTTP 500 → server, for as many calls as asked", async () => {
    fake.setFailure(500, 2);
    expect(await apiError(client().checkByMd5(md5Of(1)))).toMatchObject({ kind: "server", httpStatus: 500, retryAfterMs: null });
    expect(await apiError(client().generateDeepLink("x"))).toMatchObject({ kind: "server" });
    expect((await client().checkByMd5(md5Of(1))).status).toBe("not_found");
  });

  it("setFailure(401) → unauthorized until cleared", async () => {
    fake.setFailure(401);
    expect(await apiError(client().checkByMd5(md5Of(1)))).toMatchObject({ kind: "unauthorized", errorCode: 6 });
    expect(await apiError(client().checkByMd5(md5Of(1)))).toMatchObject({ kind: "unauthorized" });
    fake.setFailure(null);
    expect((await client().checkByMd5(md5Of(1))).status).toBe("not_found");
  });

  it("a closed port → network", async () => {
    const gone = await startFakeBakong();
    const url = gone.url;
    await gone.close();
    const err = await apiError(new BakongClient({ baseUrl: url, token: "t", timeoutMs: 2000 }).checkByMd5(md5Of(1)));
    expect(err).toMatchObject({ kind: "network", httpStatus: null });
  });

  it("no answer within timeoutMs → network", async () => {
    fake.setDelay(500);
    const err = await apiError(client({ timeoutMs: 100 }).checkByMd5(md5Of(1)));
    expect(err.kind).toBe("network");
    expect(err.message).toMatch(/100 ms/);
  });

  it("a non-JSON answer → bad_response", async () => {
    const html: typeof fetch = async () =>
      new Response("<html>maintenance</html>", { status: 200, headers: { "content-type": "text/html" } });
    const err = await apiError(new BakongClient({ baseUrl: fake.url, token: TOKEN, fetchImpl: html }).checkByMd5(md5Of(1)));
    expect(err).toMatchObject({ kind: "bad_response", httpStatus: 200 });
  });

  it("errorCode 6 on HTTP 200 → unauthorized; Retry-After as an HTTP date", async () => {
    const six: typeof fetch = async () => Response.json({ responseCode: 1, responseMessage: "Unauthorized", errorCode: 6, data: null });
    expect(await apiError(new BakongClient({ baseUrl: fake.url, token: TOKEN, fetchImpl: six }).checkByMd5(md5Of(1)))).toMatchObject({
      kind: "unauthorized",
      httpStatus: 200,
      errorCode: 6,
    });
    const later: typeof fetch = async () =>
      new Response("busy", { status: 503, headers: { "retry-after": new Date(Date.now() + 60_000).toUTCString() } });
    const err = await apiError(new BakongClient({ baseUrl: fake.url, token: TOKEN, fetchImpl: later }).checkByMd5(md5Of(1)));
    expect(err.kind).toBe("server");
    expect(err.retryAfterMs).toBeGreaterThan(55_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe("generate_deeplink_by_qr", () => {
  it("returns the short link for a valid KHQR, null when Bakong declines", async () => {
    const { qr } = generateKhqr({
      accountId: "phteah@aclb",
      merchantName: "Phteah",
      merchantCity: "Phnom Penh",
      amount: 500,
      currency: "USD",
      billNumber: "INV-2026-000002",
      expiresAt: new Date(Date.now() + 600_000),
    });
    const link = await client().generateDeepLink(qr, { appName: "Phteah", appIconUrl: "https://phteah.test/icon.png" });
    expect(link).toMatch(/^https:\/\/bakong\.page\.link\/fake-\d+$/);
    expect(fake.calls.at(-1)).toMatchObject({
      path: "/v1/generate_deeplink_by_qr",
      body: { qr, sourceInfo: { appName: "Phteah", appIconUrl: "https://phteah.test/icon.png" } },
    });
    expect(await client().generateDeepLink(`${qr.slice(0, -1)}${qr.endsWith("0") ? "1" : "0"}`)).toBeNull();
  });
});

describe("majorToMinor", () => {
  it("converts Bakong's major units", () => {
    expect(majorToMinor(12.5, "USD")).toBe(1250);
    expect(majorToMinor(0.29, "USD")).toBe(29);
    expect(majorToMinor(19.99, "usd")).toBe(1999);
    expect(majorToMinor(40_000, "KHR")).toBe(40_000);
  });

  it("rejects what cannot be exact", () => {
    expect(() => majorToMinor(10.005, "USD")).toThrow(RangeError);
    expect(() => majorToMinor(100.5, "KHR")).toThrow(RangeError);
    expect(() => majorToMinor(-1, "USD")).toThrow(RangeError);
    expect(() => majorToMinor(Number.NaN, "USD")).toThrow(RangeError);
    expect(() => majorToMinor(10, "EUR")).toThrow(RangeError);
  });
});
