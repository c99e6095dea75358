// TOTP arithmetic (RFC 6238 / RFC 4226) and the at-rest encryption of TOTP secrets.
import { afterEach, describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  decryptSecret,
  encryptSecret,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  totpCode,
  totpStep,
} from "@/server/auth/totp";

// RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890"; the
// published 8-digit values end in these 6 digits.
const RFC_SECRET = base32Encode(Buffer.from("12345678901234567890", "ascii"));
const at = (seconds: number) => new Date(seconds * 1000);

describe("RFC 6238 test vectors (SHA-1)", () => {
  it.each([
    [59, 1, "287082"],
    [1111111109, 37037036, "081804"],
    [1111111111, 37037037, "050471"],
    [1234567890, 41152263, "005924"],
    [2000000000, 66666666, "279037"],
  ])("T=%i → step %i → %s", (seconds, step, code) => {
    expect(totpStep(at(seconds))).toBe(step);
    expect(totpCode(RFC_SECRET, step)).toBe(code);
    expect(matchTotp(RFC_SECRET, code, at(seconds))).toBe(step);
  });

  it("base32 round-trips and matches the RFC 4648 alphabet", () => {
    expect(RFC_SECRET).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode(RFC_SECRET).toString("ascii")).toBe("12345678901234567890");
    expect(base32Decode("gezd gnbv-gy3t qojq").toString("ascii")).toBe("1234567890");
    expect(() => base32Decode("ABC1")).toThrow("invalid base32");
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
  });
});

describe("matchTotp", () => {
  const now = at(1111111109);
  const step = totpStep(now);

  it("accepts the previous and the next step (clock drift) and says which step matched", () => {
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 1), now)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 1), now)).toBe(step + 1);
  });

  it("refuses codes two steps away", () => {
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 2), now)).toBeNull();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 2), now)).toBeNull();
  });

  it("refuses another secret's code", () => {
    const other = newTotpSecret();
    expect(matchTotp(RFC_SECRET, totpCode(other, step), now)).toBeNull();
  });

  it.each(["", "08180", "0818044", "08180a", "081 804", "-81804", "081804 ", "０８１８０４"])("refuses the malformed code %j", (code) => {
    expect(matchTotp(RFC_SECRET, code, now)).toBeNull();
  });
});

describe("otpauthUri", () => {
  it("names issuer and account and carries the parameters apps read", () => {
    const uri = new URL(otpauthUri(RFC_SECRET, "ops@phteah.test"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Phteah:ops@phteah.test");
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: RFC_SECRET,
      issuer: "Phteah",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });
});

describe("secret encryption (AES-256-GCM, key from AUTH_SECRET)", () => {
  const original = process.env.AUTH_SECRET;
  afterEach(() => {
    process.env.AUTH_SECRET = original;
  });
  const useSecret = (s: string | undefined) => {
    if (s === undefined) delete process.env.AUTH_SECRET;
    else process.env.AUTH_SECRET = s;
  };

  it("round-trips, with a fresh IV each time and no plaintext in the box", () => {
    useSecret("unit-test-secret-unit-test-secret-0123");
    const a = encryptSecret(RFC_SECRET);
    const b = encryptSecret(RFC_SECRET);
    expect(a).not.toBe(b);
    expect(a.startsWith("v1.")).toBe(true);
    expect(a).not.toContain(RFC_SECRET);
    expect(decryptSecret(a)).toBe(RFC_SECRET);
    expect(decryptSecret(b)).toBe(RFC_SECRET);
  });

  it("fails on a tampered ciphertext, tag or IV", () => {
    useSecret("unit-test-secret-unit-test-secret-0123");
    const [v, iv, tag, ct] = encryptSecret(RFC_SECRET).split(".") as [string, string, string, string];
    const flip = (s: string) => {
      const buf = Buffer.from(s, "base64url");
      buf[0] = buf[0]! ^ 1;
      return buf.toString("base64url");
    };
    expect(() => decryptSecret([v, iv, tag, flip(ct)].join("."))).toThrow();
    expect(() => decryptSecret([v, iv, flip(tag), ct].join("."))).toThrow();
    expect(() => decryptSecret([v, flip(iv), tag, ct].join("."))).toThrow();
    expect(() => decryptSecret(["v2", iv, tag, ct].join("."))).toThrow("unknown secret format");
    expect(() => decryptSecret("not-a-box")).toThrow("unknown secret format");
  });

  it("fails under a different AUTH_SECRET, and refuses to work without one", () => {
    useSecret("unit-test-secret-unit-test-secret-0123");
    const box = encryptSecret(RFC_SECRET);
    useSecret("another-secret-another-secret-another-1");
    expect(() => decryptSecret(box)).toThrow();
    useSecret(undefined);
    expect(() => encryptSecret(RFC_SECRET)).toThrow("AUTH_SECRET is required");
    expect(() => decryptSecret(box)).toThrow("AUTH_SECRET is required");
  });
});
