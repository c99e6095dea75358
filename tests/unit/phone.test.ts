// Cambodian phone numbers typed any common way → E.164, clear refusals, and the digits a search uses.
import { describe, expect, it } from "vitest";
import { formatCambodianPhone, normalizeCambodianPhone, phoneSearchDigits } from "@/lib/rentals/phone";
import { cambodianPhone, optionalCambodianPhone, renterInputSchema } from "@/lib/schemas/renters";

describe("normalizeCambodianPhone", () => {
  it.each([
    ["012 345 678", "+85512345678"],
    ["012345678", "+85512345678"],
    ["012-345-678", "+85512345678"],
    ["(012) 345.678", "+85512345678"],
    ["+855 12 345 678", "+85512345678"],
    ["+85512345678", "+85512345678"],
    ["855-12-345-678", "+85512345678"],
    ["85512345678", "+85512345678"],
    ["00855 12 345 678", "+85512345678"],
    ["+855 012 345 678", "+85512345678"],
    ["  012 345 678  ", "+85512345678"],
    ["097 123 4567", "+855971234567"],
    ["0971234567", "+855971234567"],
    ["+855 97 123 4567", "+855971234567"],
    ["855 97 123 4567", "+855971234567"],
    ["023 123 456", "+85523123456"],
    ["０１２ ３４５ ６７８", "+85512345678"],
  ])("%s → %s", (raw, e164) => {
    expect(normalizeCambodianPhone(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ["", "required"],
    ["   ", "required"],
    ["012 345 67a", "invalidCharacters"],
    ["012#345678", "invalidCharacters"],
    ["+1 202 555 0143", "notCambodian"],
    ["+66 81 234 5678", "notCambodian"],
    ["0066812345678", "notCambodian"],
    ["12 345 678", "missingPrefix"],
    ["012 345 67", "tooShort"],
    ["+855 12 345", "tooShort"],
    ["012 345 678 901", "tooLong"],
    ["+855 12 345 678 90", "tooLong"],
    ["+855 00 123 4567", "invalidPrefix"],
  ])("%j is refused: %s", (raw, error) => {
    expect(normalizeCambodianPhone(raw)).toEqual({ ok: false, error });
  });
});

describe("formatCambodianPhone", () => {
  it("reads back the national way", () => {
    expect(formatCambodianPhone("+85512345678")).toBe("012 345 678");
    expect(formatCambodianPhone("+855971234567")).toBe("097 123 4567");
    expect(formatCambodianPhone("+12025550143")).toBe("+12025550143");
  });

  it("round-trips through the normaliser", () => {
    for (const e164 of ["+85512345678", "+855971234567", "+85523123456"]) {
      expect(normalizeCambodianPhone(formatCambodianPhone(e164))).toEqual({ ok: true, e164 });
    }
  });
});

describe("phoneSearchDigits", () => {
  it.each([
    ["012 345", "12345"],
    ["012-345-678", "12345678"],
    ["+855 12 345", "12345"],
    ["855-12-345-678", "12345678"],
    ["00855 97 123", "97123"],
    ["345 678", "345678"],
  ])("%s → %s", (q, digits) => {
    expect(phoneSearchDigits(q)).toBe(digits);
  });

  it("is null for names, e-mails and too few digits", () => {
    expect(phoneSearchDigits("Sok Dara")).toBeNull();
    expect(phoneSearchDigits("សុខ")).toBeNull();
    expect(phoneSearchDigits("dara@example.com")).toBeNull();
    expect(phoneSearchDigits("01")).toBeNull();
    expect(phoneSearchDigits("+855")).toBeNull();
  });
});

describe("the renter schema", () => {
  it("stores phones as E.164 and translates refusals into message keys", () => {
    expect(cambodianPhone.parse("012 345 678")).toBe("+85512345678");
    const bad = cambodianPhone.safeParse("+66 81 234 5678");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("renters.phoneErrors.notCambodian");
    expect(optionalCambodianPhone.parse("")).toBeNull();
    expect(optionalCambodianPhone.parse(undefined)).toBeNull();
    expect(optionalCambodianPhone.parse("855-12-345-678")).toBe("+85512345678");
  });

  it("needs a name in one script and normalises e-mail and Telegram", () => {
    const ok = renterInputSchema.parse({ nameKm: "សុខ ដារ៉ា", phone: "012 345 678", email: " Dara@Example.COM ", telegram: "t.me/sokdara" });
    expect(ok).toMatchObject({
      nameKm: "សុខ ដារ៉ា",
      nameLatin: "",
      phone: "+85512345678",
      email: "dara@example.com",
      telegram: "@sokdara",
      locale: "km",
    });
    const noName = renterInputSchema.safeParse({ phone: "012 345 678" });
    expect(noName.error?.issues.map((i) => i.message)).toContain("renters.errors.nameRequired");
    const badMail = renterInputSchema.safeParse({ nameLatin: "Dara", phone: "012 345 678", email: "not-an-email" });
    expect(badMail.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["email", "validation.email"]]);
  });
});
