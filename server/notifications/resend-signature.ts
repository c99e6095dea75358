// Resend signs its webhooks the Svix / Standard Webhooks way:
//   svix-id: msg_…            (also sent as webhook-id)
//   svix-timestamp: <unix s>  (webhook-timestamp)
//   svix-signature: v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${rawBody}`)> [v1,<…> …]
// where key = base64-decode(the part of the secret after "whsec_"). Several space-separated
// entries appear while a secret is being rotated; one match is enough. Verified over the raw
// body, constant-time, with a ±5 minute window against replays.
// No `server-only` marker: tests and e2e specs sign deliveries with it too.
import { createHmac, timingSafeEqual } from "node:crypto";

export const RESEND_SIGNATURE_TOLERANCE_SEC = 300;
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** The id, timestamp and signature headers, from the `svix-*` names or the standard `webhook-*` ones. */
export function signatureHeaders(headers: Headers): { id: string | null; timestamp: string | null; signature: string | null } {
  return {
    id: headers.get("svix-id") ?? headers.get("webhook-id"),
    timestamp: headers.get("svix-timestamp") ?? headers.get("webhook-timestamp"),
    signature: headers.get("svix-signature") ?? headers.get("webhook-signature"),
  };
}

/** The HMAC key of a `whsec_<base64>` secret; null when it is empty or not base64. */
export function webhookKey(secret: string): Buffer | null {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const key = Buffer.from(b64, "base64");
  return key.length > 0 ? key : null;
}

function digest(key: Buffer, id: string, timestamp: string, rawBody: string): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`, "utf8").update(rawBody, "utf8").digest("base64");
}

/** The `svix-signature` value for this delivery (`v1,<base64>`). */
export function signResendWebhook(secret: string, delivery: { id: string; timestampSec: number; rawBody: string }): string {
  const key = webhookKey(secret);
  if (!key) throw new RangeError("the secret must look like whsec_<base64>");
  if (!Number.isSafeInteger(delivery.timestampSec) || delivery.timestampSec < 0)
    throw new RangeError("timestampSec must be a non-negative integer (unix seconds)");
  return `v1,${digest(key, delivery.id, String(delivery.timestampSec), delivery.rawBody)}`;
}

export type ResendSignatureVerdict =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: "not_configured" | "missing_headers" | "bad_timestamp" | "stale_timestamp" | "bad_signature" };

export function verifyResendSignature(args: {
  secret: string;
  rawBody: string;
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  nowMs: number;
  toleranceSec?: number;
}): ResendSignatureVerdict {
  const toleranceSec = args.toleranceSec ?? RESEND_SIGNATURE_TOLERANCE_SEC;
  // no (or an unusable) secret: nothing can be verified, so nothing is accepted
  const key = args.secret ? webhookKey(args.secret) : null;
  if (!key) return { ok: false, reason: "not_configured" };
  const id = args.id?.trim();
  const tsText = args.timestamp?.trim();
  const signature = args.signature?.trim();
  if (!id || !tsText || !signature) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(tsText)) return { ok: false, reason: "bad_timestamp" };
  const timestamp = Number(tsText);
  if (Math.abs(args.nowMs / 1000 - timestamp) > toleranceSec) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(digest(key, id, tsText, args.rawBody), "utf8");
  for (const entry of signature.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(entry.slice(comma + 1), "utf8");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id, timestamp };
  }
  return { ok: false, reason: "bad_signature" };
}
