// `npm run totp -- <BASE32 SECRET>`: the current 2FA code for a secret, for developers without
// an authenticator app at hand (the secret is shown on /admin/mfa during enrolment).
import { totpCode, totpStep } from "../server/auth/totp-code";

const secret = process.argv[2];
if (!secret) {
  console.error("usage: npm run totp -- <BASE32 SECRET>");
  process.exit(1);
}
const now = new Date();
const left = 30 - (Math.floor(now.getTime() / 1000) % 30);
console.log(`${totpCode(secret, totpStep(now))}  (valid for ${left} s more)`);
