// KHQR generation/verification (server/payments/khqr.ts) against NBC's published vectors
// (docs/BAKONG.md §2) and the real `bakong-khqr` SDK.
import { describe, expect, it } from "vitest";
import { crc16, decodeKhqr, generateKhqr, KhqrError, md5Hex, verifyKhqr, type GenerateKhqrInput } from "@/server/payments/khqr";

const NBC_STATIC_SAMPLE = "00020101021129170013merchant@nbcq5204599953038405802KH5917Lucky Supermarket6010Phnom Penh6304FBE4";

const inTenMinutes = () => new Date(Date.now() + 10 * 60_000);

const base = (over: Partial<GenerateKhqrInput> = {}): GenerateKhqrInput => ({
  accountId: "phteah@aclb",
  merchantName: "Phteah",
  merchantCity: "Phnom Penh",
  amount: 1250,
  currency: "USD",
  billNumber: "INV-2026-000123",
  expiresAt: inTenMinutes(),
  ...over,
});

/** EMVCo TLV walk of the top level: tag → value. */
function tlv(qr: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < qr.length) {
    const tag = qr.slice(i, i + 2);
    const len = Number(qr.slice(i + 2, i + 4));
    out.set(tag, qr.slice(i + 4, i + 4 + len));
    i += 4 + len;
  }
  return out;
}

describe("crc16 (CRC-16/CCITT-FALSE)", () => {
  it('matches the check value: crc16("123456789") = 29B1', () => {
    expect(crc16("123456789")).toBe("29B1");
  });

  it("is 4 upper-case hex digits, zero-padded", () => {
    expect(crc16("")).toBe("FFFF");
    for (const s of ["a", "KHQR", "00020101021129", "phteah@aclb"]) expect(crc16(s)).toMatch(/^[0-9A-F]{4}$/);
  });

  it("reproduces the CRC of NBC's static sample (tag 63 over everything up to 6304)", () => {
    expect(crc16(NBC_STATIC_SAMPLE.slice(0, -4))).toBe("FBE4");
  });
});

describe("md5Hex", () => {
  it("is the lowercase hex MD5 of the UTF-8 string", () => {
    expect(md5Hex("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(md5Hex("The quick brown fox jumps over the lazy dog")).toBe("9e107d9d372bb6826bd81d3542a419d6");
  });
});

describe("verifyKhqr", () => {
  it("accepts NBC's static sample", () => {
    expect(verifyKhqr(NBC_STATIC_SAMPLE)).toBe(true);
  });

  it("rejects the sample with its last character flipped", () => {
    const flipped = NBC_STATIC_SAMPLE.slice(0, -1) + (NBC_STATIC_SAMPLE.endsWith("4") ? "5" : "4");
    expect(verifyKhqr(flipped)).toBe(false);
  });

  it("rejects a changed payload with the old CRC, and garbage", () => {
    expect(verifyKhqr(NBC_STATIC_SAMPLE.replace("Lucky", "Lucks"))).toBe(false);
    expect(verifyKhqr("")).toBe(false);
    expect(verifyKhqr("hello")).toBe(false);
    expect(verifyKhqr("6304ABCD")).toBe(false);
  });

  it("decodes the static sample: no amount, not dynamic", () => {
    const d = decodeKhqr(NBC_STATIC_SAMPLE);
    expect(d).toMatchObject({
      accountId: "merchant@nbcq",
      currency: "USD",
      amount: null,
      dynamic: false,
      billNumber: null,
      expiration: null,
    });
    expect(d.merchantName).toBe("Lucky Supermarket");
  });
});

describe("generateKhqr", () => {
  it("builds a USD dynamic QR that verifies and decodes back to what we asked for", () => {
    const expiresAt = inTenMinutes();
    const { qr, md5 } = generateKhqr(base({ amount: 1250, currency: "USD", expiresAt }));
    expect(verifyKhqr(qr)).toBe(true);
    const tags = tlv(qr);
    expect(tags.get("01")).toBe("12"); // dynamic
    expect(tags.get("53")).toBe("840");
    expect(tags.get("54")).toBe("12.50"); // always 2 decimals for USD
    const d = decodeKhqr(qr);
    expect(d).toMatchObject({
      accountId: "phteah@aclb",
      amount: 1250,
      currency: "USD",
      billNumber: "INV-2026-000123",
      dynamic: true,
      merchantName: "Phteah",
      merchantCity: "Phnom Penh",
    });
    expect(d.expiration?.getTime()).toBe(expiresAt.getTime());
    expect(d.createdAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(md5).toBe(md5Hex(qr));
    expect(md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it("writes whole-dollar USD amounts with 2 decimals", () => {
    const { qr } = generateKhqr(base({ amount: 1000 }));
    expect(tlv(qr).get("54")).toBe("10.00");
    expect(decodeKhqr(qr).amount).toBe(1000);
    expect(tlv(generateKhqr(base({ amount: 1 })).qr).get("54")).toBe("0.01");
  });

  it("builds a KHR dynamic QR with an integer amount", () => {
    const { qr, md5 } = generateKhqr(base({ amount: 40_000, currency: "KHR", storeLabel: "Acme Rentals" }));
    expect(verifyKhqr(qr)).toBe(true);
    expect(tlv(qr).get("53")).toBe("116");
    expect(tlv(qr).get("54")).toBe("40000");
    expect(decodeKhqr(qr)).toMatchObject({
      accountId: "phteah@aclb",
      amount: 40_000,
      currency: "KHR",
      billNumber: "INV-2026-000123",
      storeLabel: "Acme Rentals",
    });
    expect(md5).toBe(md5Hex(qr));
  });

  it("ends with tag 6304 + our own CRC of everything before it", () => {
    const { qr } = generateKhqr(base());
    expect(qr.slice(-8, -4)).toBe("6304");
    expect(crc16(qr.slice(0, -4))).toBe(qr.slice(-4));
    const khr = generateKhqr(base({ currency: "KHR", amount: 4000 })).qr;
    expect(crc16(khr.slice(0, -4))).toBe(khr.slice(-4));
  });

  it("gives every generation a new md5 (the creation time is embedded)", async () => {
    const a = generateKhqr(base());
    await new Promise((r) => setTimeout(r, 5));
    const b = generateKhqr(base());
    expect(a.md5).not.toBe(b.md5);
    expect(a.qr).not.toBe(b.qr);
  });

  it("stops verifying (and decoding) once expired, unless asked to decode anyway", async () => {
    const { qr } = generateKhqr(base({ expiresAt: new Date(Date.now() + 40) }));
    expect(verifyKhqr(qr)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(verifyKhqr(qr)).toBe(false);
    expect(() => decodeKhqr(qr)).toThrow(KhqrError);
    expect(decodeKhqr(qr, { allowExpired: true })).toMatchObject({ amount: 1250, currency: "USD" });
    expect(() => decodeKhqr(qr.slice(0, -1) + (qr.endsWith("0") ? "1" : "0"), { allowExpired: true })).toThrow(KhqrError);
  });

  const bad: Array<[string, Partial<GenerateKhqrInput>, RegExp, number]> = [
    ["a fractional amount", { amount: 12.5 }, /positive integer/, 4],
    ["a zero amount", { amount: 0 }, /positive integer/, 4],
    ["a negative amount", { amount: -100 }, /positive integer/, 4],
    ["NaN", { amount: Number.NaN }, /positive integer/, 4],
    ["an amount too long for tag 54", { amount: 10 ** 14, currency: "KHR" }, /longer than 13/, 4],
    ["an expiry in the past", { expiresAt: new Date(Date.now() - 1000) }, /in the future/, 50],
    ["an invalid expiry", { expiresAt: new Date(Number.NaN) }, /valid Date/, 50],
    ["a merchantName over 25 characters", { merchantName: "A".repeat(26) }, /merchantName must be at most 25/, 7],
    ["an empty merchantName", { merchantName: "  " }, /merchantName is required/, 2],
    ["a non-ASCII merchantName", { merchantName: "ផ្ទះ" }, /printable ASCII/, 7],
    ["a merchantCity over 15 characters", { merchantCity: "Phnom Penh Thmei" }, /merchantCity must be at most 15/, 21],
    ["an account without @", { accountId: "phteah.aclb" }, /name@bank/, 3],
    ["an account with two @", { accountId: "a@b@c" }, /name@bank/, 3],
    ["an account over 32 characters", { accountId: `${"a".repeat(30)}@aclb` }, /at most 32/, 6],
    ["a billNumber over 25 characters", { billNumber: "B".repeat(26) }, /billNumber must be at most 25/, 10],
    ["an empty billNumber", { billNumber: "" }, /billNumber is required/, 10],
    ["a storeLabel over 25 characters", { storeLabel: "S".repeat(26) }, /storeLabel must be at most 25/, 11],
    ["an unsupported currency", { currency: "EUR" as never }, /USD or KHR/, 28],
  ];
  it.each(bad)("rejects %s", (_label, over, message, code) => {
    let caught: unknown;
    try {
      generateKhqr(base(over));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(KhqrError);
    expect((caught as KhqrError).message).toMatch(message);
    expect((caught as KhqrError).errorCode).toBe(code);
  });

  it("accepts the limits exactly", () => {
    const { qr } = generateKhqr(
      base({ merchantName: "M".repeat(25), merchantCity: "C".repeat(15), billNumber: "B".repeat(25), storeLabel: "S".repeat(25) }),
    );
    expect(verifyKhqr(qr)).toBe(true);
    expect(decodeKhqr(qr)).toMatchObject({ merchantName: "M".repeat(25), billNumber: "B".repeat(25), storeLabel: "S".repeat(25) });
  });
});
