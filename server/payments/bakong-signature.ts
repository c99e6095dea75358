// Our signed-callback contract for Bakong relays (docs/BAKONG.md §4):
//   X-Bakong-Timestamp: <unix seconds>
//   X-Bakong-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
// Verification is over the raw body bytes, constant-time, with a ±300 s window against replays.
// No `server-only` marker: the dev simulator, e2e specs and the fake sign callbacks with it too.
import { createHmac, timingSafeEqual } from "node:crypto";

export const BAKONG_HEADERS = { timestamp: "x-bakong-timestamp", signature: "x-bakong-signature" } as const;

export const BAKONG_SIGNATURE_TOLERANCE_SEC = 300;

const PREFIX = "sha256=";

function hmacHex(secret: string, rawBody: string, timestampSec: number | string): string {
  return createHmac("sha256", secret).update(`${timestampSec}.`, "utf8").update(rawBody, "utf8").digest("hex");
}

/** The X-Bakong-Signature value for this body at this timestamp (unix seconds). */
export function signBakongCallback(secret: string, rawBody: string, timestampSec: number): string {
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0)
    throw new RangeError("timestampSec must be a non-negative integer (unix seconds)");
  return `${PREFIX}${hmacHex(secret, rawBody, timestampSec)}`;
}

export type BakongSignatureVerdict =
  { ok: true; timestamp: number } | { ok: false; reason: "missing_headers" | "bad_timestamp" | "stale_timestamp" | "bad_signature" };

export function verifyBakongSignature(args: {
  secret: string;
  rawBody: string;
  timestampHeader: string | null;
  signatureHeader: string | null;
  nowMs: number;
  toleranceSec?: number;
}): BakongSignatureVerdict {
  const { secret, rawBody, timestampHeader, signatureHeader, nowMs } = args;
  const toleranceSec = args.toleranceSec ?? BAKONG_SIGNATURE_TOLERANCE_SEC;
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: "missing_headers" };
  const tsText = timestampHeader.trim();
  if (!/^\d{1,12}$/.test(tsText)) return { ok: false, reason: "bad_timestamp" };
  const timestamp = Number(tsText);
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSec) return { ok: false, reason: "stale_timestamp" };
  // An empty secret would make every forger's job trivial: never accept it.
  if (!secret) return { ok: false, reason: "bad_signature" };
  const given = signatureHeader.trim();
  if (!given.toLowerCase().startsWith(PREFIX)) return { ok: false, reason: "bad_signature" };
  const givenBuf = Buffer.from(given.slice(PREFIX.length).toLowerCase(), "utf8");
  // signed over the header's digits exactly as sent
  const expectedBuf = Buffer.from(hmacHex(secret, rawBody, tsText), "utf8");
  if (givenBuf.length !== expectedBuf.length) return { ok: false, reason: "bad_signature" };
  if (!timingSafeEqual(givenBuf, expectedBuf)) return { ok: false, reason: "bad_signature" };
  return { ok: true, timestamp };
}
