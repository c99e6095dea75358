import "server-only";
import { randomBytes } from "node:crypto";

/** Bytes of randomness in a renter pay-page token (256 bits: unguessable, not enumerable). */
const PAY_TOKEN_BYTES = 32;

/** A new renter pay-page token: 256 random bits, base64url (43 characters, URL-safe, no padding). */
export function newPayToken(): string {
  return randomBytes(PAY_TOKEN_BYTES).toString("base64url");
}

/** A string that could be a pay token (checked before any database lookup; anything else is a 404). */
export const PAY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function looksLikePayToken(token: string): boolean {
  return PAY_TOKEN_PATTERN.test(token);
}
