// Resend webhook signatures (server/notifications/resend-signature.ts): the Svix / Standard Webhooks
// scheme, checked against the example published in Svix's documentation, against Resend's own
// SDK (resend.webhooks.verify), and for every way a delivery can be wrong.
import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Resend } from "resend";
import { signResendWebhook, signatureHeaders, verifyResendSignature, webhookKey } from "@/server/notifications/resend-signature";

// Svix docs, "Verifying Webhooks Manually"
const DOC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const BODY = JSON.stringify({ type: "email.bounced", created_at: "2026-01-01T00:00:00.000Z", data: { email_id: "e-1", to: ["a@b.test"] } });

function verify(over: Partial<Parameters<typeof verifyResendSignature>[0]> = {}) {
  const now = Date.now();
  const ts = Math.floor(now / 1000);
  return verifyResendSignature({
    secret: SECRET,
    rawBody: BODY,
    id: "msg_1",
    timestamp: String(ts),
    signature: signResendWebhook(SECRET, { id: "msg_1", timestampSec: ts, rawBody: BODY }),
    nowMs: now,
    ...over,
  });
}

describe("signing", () => {
  it("reproduces the example in Svix's documentation", () => {
    expect(signResendWebhook(DOC.secret, { id: DOC.id, timestampSec: DOC.timestamp, rawBody: DOC.body })).toBe(DOC.signature);
    expect(
      verifyResendSignature({
        secret: DOC.secret,
        rawBody: DOC.body,
        id: DOC.id,
        timestamp: String(DOC.timestamp),
        signature: DOC.signature,
        nowMs: DOC.timestamp * 1000 + 10_000,
      }),
    ).toEqual({ ok: true, id: DOC.id, timestamp: DOC.timestamp });
  });

  it("is HMAC-SHA256 of `id.timestamp.body` keyed with the base64-decoded secret", () => {
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`msg_2.1700000000.${BODY}`).digest("base64");
    expect(signResendWebhook(SECRET, { id: "msg_2", timestampSec: 1700000000, rawBody: BODY })).toBe(`v1,${expected}`);
    expect(webhookKey(SECRET)).toEqual(key);
  });

  it("agrees with Resend's SDK both ways", () => {
    const resend = new Resend("re_test_key");
    const ts = Math.floor(Date.now() / 1000);
    const signature = signResendWebhook(SECRET, { id: "msg_sdk", timestampSec: ts, rawBody: BODY });
    expect(
      resend.webhooks.verify({ payload: BODY, headers: { id: "msg_sdk", timestamp: String(ts), signature }, webhookSecret: SECRET }),
    ).toEqual(JSON.parse(BODY));
    // a signature the SDK refuses, we refuse too
    const tampered = BODY.replace("e-1", "e-2");
    expect(() =>
      resend.webhooks.verify({ payload: tampered, headers: { id: "msg_sdk", timestamp: String(ts), signature }, webhookSecret: SECRET }),
    ).toThrow();
    expect(verify({ rawBody: tampered, id: "msg_sdk", timestamp: String(ts), signature })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a secret that is not whsec_<base64>", () => {
    expect(() => signResendWebhook("whsec_", { id: "x", timestampSec: 1, rawBody: "" })).toThrow(RangeError);
    expect(() => signResendWebhook("whsec_not base64!", { id: "x", timestampSec: 1, rawBody: "" })).toThrow(RangeError);
    expect(() => signResendWebhook(SECRET, { id: "x", timestampSec: -1, rawBody: "" })).toThrow(RangeError);
  });
});

describe("verifying", () => {
  it("accepts a fresh, correctly signed delivery", () => {
    expect(verify()).toMatchObject({ ok: true, id: "msg_1" });
  });

  it("accepts any matching v1 entry among several (secret rotation) and skips other versions", () => {
    const ts = Math.floor(Date.now() / 1000);
    const good = signResendWebhook(SECRET, { id: "msg_1", timestampSec: ts, rawBody: BODY });
    const other = signResendWebhook(`whsec_${randomBytes(24).toString("base64")}`, { id: "msg_1", timestampSec: ts, rawBody: BODY });
    expect(verify({ timestamp: String(ts), signature: `${other} v1a,${good.slice(3)} ${good}` })).toMatchObject({ ok: true });
    expect(verify({ timestamp: String(ts), signature: `${other} v2,${good.slice(3)}` })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a changed body, id or timestamp, another secret, and a malformed signature", () => {
    expect(verify({ rawBody: `${BODY} ` })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verify({ id: "msg_other" })).toEqual({ ok: false, reason: "bad_signature" });
    const ts = Math.floor(Date.now() / 1000);
    const sig = signResendWebhook(SECRET, { id: "msg_1", timestampSec: ts, rawBody: BODY });
    expect(verify({ timestamp: String(ts - 1), signature: sig })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verify({ secret: `whsec_${randomBytes(24).toString("base64")}` })).toEqual({ ok: false, reason: "bad_signature" });
    for (const signature of ["v1,", "v1", "garbage", sig.slice(3), `v1,${"A".repeat(44)}`]) {
      expect(verify({ timestamp: String(ts), signature })).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("refuses deliveries older or newer than five minutes", () => {
    const now = Date.now();
    const at = (offsetSec: number) => {
      const ts = Math.floor(now / 1000) + offsetSec;
      return verify({
        nowMs: now,
        timestamp: String(ts),
        signature: signResendWebhook(SECRET, { id: "msg_1", timestampSec: ts, rawBody: BODY }),
      });
    };
    expect(at(-290)).toMatchObject({ ok: true });
    expect(at(290)).toMatchObject({ ok: true });
    expect(at(-310)).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(at(310)).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("refuses missing headers and a non-numeric timestamp", () => {
    expect(verify({ id: null })).toEqual({ ok: false, reason: "missing_headers" });
    expect(verify({ timestamp: "" })).toEqual({ ok: false, reason: "missing_headers" });
    expect(verify({ signature: null })).toEqual({ ok: false, reason: "missing_headers" });
    expect(verify({ timestamp: "12a" })).toEqual({ ok: false, reason: "bad_timestamp" });
  });

  it("accepts nothing without a usable secret", () => {
    expect(verify({ secret: "" })).toEqual({ ok: false, reason: "not_configured" });
    expect(verify({ secret: "whsec_" })).toEqual({ ok: false, reason: "not_configured" });
  });
});

describe("signatureHeaders", () => {
  it("reads the svix-* names, or the standard webhook-* ones", () => {
    expect(signatureHeaders(new Headers({ "svix-id": "a", "svix-timestamp": "1", "svix-signature": "v1,x" }))).toEqual({
      id: "a",
      timestamp: "1",
      signature: "v1,x",
    });
    expect(signatureHeaders(new Headers({ "webhook-id": "b", "webhook-timestamp": "2", "webhook-signature": "v1,y" }))).toEqual({
      id: "b",
      timestamp: "2",
      signature: "v1,y",
    });
    expect(signatureHeaders(new Headers())).toEqual({ id: null, timestamp: null, signature: null });
  });
});
