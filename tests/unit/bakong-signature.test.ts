// The signed-callback contract of docs/BAKONG.md §4 (server/payments/bakong-signature.ts).
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BAKONG_HEADERS, signBakongCallback, verifyBakongSignature } from "@/server/payments/bakong-signature";

const SECRET = "test-callback-secret";
const BODY = JSON.stringify({
  eventId: "evt-1",
  md5: "0123456789abcdef0123456789abcdef",
  transaction: { hash: "ab".repeat(32), amount: 12.5 },
});
const TS = 1_795_000_000;
const NOW = TS * 1000;

const verify = (over: Partial<Parameters<typeof verifyBakongSignature>[0]> = {}) =>
  verifyBakongSignature({
    secret: SECRET,
    rawBody: BODY,
    timestampHeader: String(TS),
    signatureHeader: signBakongCallback(SECRET, BODY, TS),
    nowMs: NOW,
    ...over,
  });

describe("signBakongCallback", () => {
  it("is sha256=<hex HMAC-SHA256(secret, `${ts}.${rawBody}`)>", () => {
    const expected = createHmac("sha256", SECRET).update(`${TS}.${BODY}`).digest("hex");
    expect(signBakongCallback(SECRET, BODY, TS)).toBe(`sha256=${expected}`);
    expect(signBakongCallback(SECRET, BODY, TS)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it("names the headers in lower case", () => {
    expect(BAKONG_HEADERS).toEqual({ timestamp: "x-bakong-timestamp", signature: "x-bakong-signature" });
  });

  it("refuses a non-integer timestamp", () => {
    expect(() => signBakongCallback(SECRET, BODY, 1.5)).toThrow(RangeError);
  });
});

describe("verifyBakongSignature", () => {
  it("accepts a valid signature and returns the timestamp", () => {
    expect(verify()).toEqual({ ok: true, timestamp: TS });
  });

  it("accepts an upper-case hex signature and surrounding whitespace", () => {
    const sig = signBakongCallback(SECRET, BODY, TS);
    expect(verify({ signatureHeader: ` sha256=${sig.slice(7).toUpperCase()} `, timestampHeader: ` ${TS} ` })).toEqual({
      ok: true,
      timestamp: TS,
    });
  });

  it("rejects a body changed by one byte", () => {
    const changed = BODY.replace("12.5", "12.6");
    expect(changed).not.toBe(BODY);
    expect(changed.length).toBe(BODY.length);
    expect(verify({ rawBody: changed })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verify({ rawBody: `${BODY} ` })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a signature made with another secret", () => {
    expect(verify({ signatureHeader: signBakongCallback("another-secret", BODY, TS) })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects an empty secret even with a matching signature", () => {
    expect(verify({ secret: "", signatureHeader: signBakongCallback("", BODY, TS) })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a signature for another timestamp (the timestamp is signed)", () => {
    expect(verify({ timestampHeader: String(TS + 1) })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects timestamps 301 s old or 301 s ahead", () => {
    expect(verify({ nowMs: NOW + 301_000 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verify({ nowMs: NOW - 301_000 })).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("accepts exactly 300 s either way", () => {
    expect(verify({ nowMs: NOW + 300_000 })).toEqual({ ok: true, timestamp: TS });
    expect(verify({ nowMs: NOW - 300_000 })).toEqual({ ok: true, timestamp: TS });
  });

  it("honours a custom tolerance", () => {
    expect(verify({ nowMs: NOW + 61_000, toleranceSec: 60 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verify({ nowMs: NOW + 60_000, toleranceSec: 60 })).toEqual({ ok: true, timestamp: TS });
  });

  it("reports missing headers", () => {
    expect(verify({ timestampHeader: null })).toEqual({ ok: false, reason: "missing_headers" });
    expect(verify({ signatureHeader: null })).toEqual({ ok: false, reason: "missing_headers" });
    expect(verify({ timestampHeader: "", signatureHeader: "" })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("rejects garbage and length-mismatched signatures without throwing", () => {
    const good = signBakongCallback(SECRET, BODY, TS);
    for (const signatureHeader of [
      "garbage",
      "sha256=",
      "sha256=abc",
      `${good}00`,
      good.slice(7),
      `sha1=${good.slice(7)}`,
      "sha256=ζζζζ",
    ]) {
      expect(verify({ signatureHeader })).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("rejects non-numeric timestamps", () => {
    for (const timestampHeader of ["abc", "1795000000.5", "-1795000000", "1e9", "2026-11-21T00:00:00Z", "0x6AFC"]) {
      expect(verify({ timestampHeader })).toEqual({ ok: false, reason: "bad_timestamp" });
    }
  });

  it("rejects a millisecond timestamp (13 digits) instead of reading it as seconds", () => {
    expect(verify({ timestampHeader: String(NOW) })).toEqual({ ok: false, reason: "bad_timestamp" });
  });
});
