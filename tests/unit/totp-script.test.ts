// `npm run totp -- <key>` (scripts/totp.ts) takes the key as /admin/mfa shows it: in groups of
// four, quoted or not. An unquoted grouped key used to print the code of its first group silently.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { base32Encode, totpCode, totpStep } from "@/server/auth/totp-code";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = base32Encode(Buffer.from("12345678901234567890", "ascii")); // 32 characters
const grouped = SECRET.match(/.{1,4}/g)!;

function run(args: string[]) {
  const before = totpStep(new Date());
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/totp.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  const after = totpStep(new Date());
  // The run may straddle a 30 s boundary: either step's code is right.
  const expected = new Set([totpCode(SECRET, before), totpCode(SECRET, after)]);
  return { status: r.status, code: r.stdout.trim().split(/\s+/)[0] ?? "", stderr: r.stderr, expected };
}

describe("npm run totp", () => {
  it.each([
    ["one word", [SECRET]],
    ["quoted with spaces", [grouped.join(" ")]],
    ["unquoted groups (one argument each)", grouped],
    ["lower case groups", grouped.map((g) => g.toLowerCase())],
  ])(
    "prints the key's code for %s",
    (_label, args) => {
      const r = run(args);
      expect(r.status).toBe(0);
      expect(r.expected.has(r.code)).toBe(true);
    },
    30_000,
  ); // each case starts a tsx process: seconds on a busy machine

  it("refuses a key that is not base32 or too short, with usage and exit 1", () => {
    for (const args of [[], ["ABCD"], ["NOT-BASE32-1890!"]]) {
      const r = run(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("usage: npm run totp");
    }
  }, 60_000);
});
