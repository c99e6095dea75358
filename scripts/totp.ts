// `npm run totp -- <BASE32 SECRET>`: the current 2FA code for a secret, for developers without
// an authenticator app at hand (the secret is shown on /admin/mfa during enrolment, in groups of
// four). The key may be typed with or without spaces, quoted or not: every argument is part of it
// (`npm run totp -- ABCD EFGH …` is one key, not "ABCD" and ignored extras).
import { base32Decode, totpCode, totpStep } from "../server/auth/totp-code";

export function secretFromArgs(args: readonly string[]): string | null {
  const secret = args
    .join("")
    .replace(/[\s=-]/g, "")
    .toUpperCase();
  if (!secret || !/^[A-Z2-7]+$/.test(secret)) return null;
  // A TOTP key is at least 80 bits (16 base32 characters); anything shorter is a typo.
  if (base32Decode(secret).length < 10) return null;
  return secret;
}

const secret = secretFromArgs(process.argv.slice(2));
if (!secret) {
  console.error(
    "usage: npm run totp -- <BASE32 SECRET>  (the key as shown, spaces allowed; letters A-Z and digits 2-7, at least 16 of them)",
  );
  process.exit(1);
}
const now = new Date();
const left = 30 - (Math.floor(now.getTime() / 1000) % 30);
console.log(`${totpCode(secret, totpStep(now))}  (valid for ${left} s more)`);
