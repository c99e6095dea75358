// lib/money.ts: integer minor units ↔ what people read and type (USD cents with 2 decimals, KHR
// whole riel with ៛), plain decimals for spreadsheets and Bakong, and Bakong's major-unit numbers.
import { describe, expect, it } from "vitest";
import {
  decimalToMinor,
  formatMoney,
  formatMoneyCompact,
  majorToMinor,
  minorDigits,
  minorToDecimal,
  parseMoney,
  toMajor,
} from "@/lib/money";

// Intl may put a narrow no-break space between number and symbol in some locales
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("shows USD cents as dollars with two decimals", () => {
    expect(formatMoney(1900, "USD", "en")).toBe("$19.00");
    expect(formatMoney(4905, "USD", "en")).toBe("$49.05");
    expect(formatMoney(1, "USD", "en")).toBe("$0.01");
    expect(formatMoney(0, "USD", "en")).toBe("$0.00");
    expect(formatMoney(123456789, "USD", "en")).toBe("$1,234,567.89");
  });

  it("shows KHR as whole riel with the riel sign", () => {
    expect(formatMoney(78000, "KHR", "en")).toBe("៛78,000");
    expect(formatMoney(2000000, "KHR", "en")).toBe("៛2,000,000");
    expect(formatMoney(0, "KHR", "en")).toBe("៛0");
    // riel has no minor unit: the stored integer is the amount, never divided by 100
    expect(formatMoney(100, "KHR", "en")).not.toContain(".");
  });

  it("formats for Khmer readers with the symbol after the number", () => {
    const riel = plain(formatMoney(78000, "KHR", "km"));
    expect(riel).toContain("៛");
    expect(riel.replace(/[^\d]/g, "")).toBe("78000");
    expect(riel.indexOf("៛")).toBeGreaterThan(riel.search(/\d/));
    const usd = plain(formatMoney(1900, "USD", "km"));
    expect(usd).toContain("$");
    expect(usd).toContain("19.00");
    expect(usd).not.toContain("1900");
  });

  it("accepts lower-case currency codes and never shows float noise", () => {
    expect(formatMoney(1990, "usd", "en")).toBe("$19.90");
    expect(formatMoney(10, "USD", "en")).toBe("$0.10");
    expect(formatMoney(29, "USD", "en")).toBe("$0.29");
  });
});

describe("formatMoney: signs, zero, rounding and the one riel format", () => {
  it("keeps the sign of negative amounts in both currencies and languages", () => {
    expect(formatMoney(-500, "USD", "en")).toBe("-$5.00");
    expect(formatMoney(-1, "USD", "en")).toBe("-$0.01");
    expect(formatMoney(-78000, "KHR", "en")).toBe("-៛78,000");
    expect(plain(formatMoney(-500, "USD", "km"))).toContain("-");
    expect(plain(formatMoney(-78000, "KHR", "km"))).toContain("-");
  });

  it("shows zero with the currency's digits", () => {
    expect(formatMoney(0, "USD", "km").replace(/[^\d.]/g, "")).toBe("0.00");
    expect(plain(formatMoney(0, "KHR", "km"))).toBe("0៛");
  });

  it("shows riel the same way everywhere: narrow sign, whole riel, Latin digits in Khmer too", () => {
    expect(formatMoney(78000, "KHR", "en")).toBe("៛78,000");
    expect(plain(formatMoney(78000, "KHR", "km"))).toBe("78,000៛");
    expect(plain(formatMoney(1900, "USD", "km"))).toBe("19.00$");
    // never Khmer digits (០-៩): the product has always shown Latin digits on its main screens
    for (const text of [formatMoney(1234567, "KHR", "km"), formatMoney(1234567, "USD", "km")]) expect(text).not.toMatch(/[\u17e0-\u17e9]/);
    // a stray fraction of a riel (never stored) is rounded, not shown
    expect(formatMoney(1000.6, "KHR", "en")).toBe("៛1,001");
  });

  it("does not throw on a code Intl does not know", () => {
    expect(formatMoney(1234, "XX1", "en")).toBe("12.34 XX1");
  });

  it("shortens amounts for chart axes", () => {
    expect(formatMoneyCompact(123_450, "USD", "en")).toBe("$1.2K");
    expect(formatMoneyCompact(400_000, "KHR", "en")).toBe("៛400K");
    expect(formatMoneyCompact(0, "USD", "en")).toBe("$0");
    expect(plain(formatMoneyCompact(400_000, "KHR", "km"))).toContain("៛");
  });
});

describe("digits, major units and plain decimals", () => {
  it("knows each currency's minor digits (2 for an unknown one)", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("usd")).toBe(2);
    expect(minorDigits("KHR")).toBe(0);
    expect(minorDigits("EUR")).toBe(2);
    expect(toMajor(4905, "USD")).toBe(49.05);
    expect(toMajor(78000, "KHR")).toBe(78000);
  });

  it("writes minor units as a plain decimal without float noise", () => {
    expect(minorToDecimal(4900, "USD")).toBe("49.00");
    expect(minorToDecimal(15050, "USD")).toBe("150.50");
    expect(minorToDecimal(5, "USD")).toBe("0.05");
    expect(minorToDecimal(0, "USD")).toBe("0.00");
    expect(minorToDecimal(-150, "USD")).toBe("-1.50");
    expect(minorToDecimal(-5, "USD")).toBe("-0.05");
    expect(minorToDecimal(29, "USD")).toBe("0.29");
    expect(minorToDecimal(123456789012, "USD")).toBe("1234567890.12");
    expect(minorToDecimal(200000, "KHR")).toBe("200000");
    expect(minorToDecimal(0, "KHR")).toBe("0");
    expect(() => minorToDecimal(1.5, "USD")).toThrow(RangeError);
  });

  it("reads machine-written decimals (a KHQR amount) strictly", () => {
    expect(decimalToMinor("10.00", "USD")).toBe(1000);
    expect(decimalToMinor("10", "USD")).toBe(1000);
    expect(decimalToMinor("10.5", "USD")).toBe(1050);
    expect(decimalToMinor("10.000", "USD")).toBe(1000);
    expect(decimalToMinor("10.005", "USD")).toBeNull();
    expect(decimalToMinor("40000", "KHR")).toBe(40000);
    expect(decimalToMinor("40000.0", "KHR")).toBe(40000);
    expect(decimalToMinor("40000.5", "KHR")).toBeNull();
    for (const bad of ["", "-1", "1,000", " 10", "1e3", "abc", "10."]) expect(decimalToMinor(bad, "USD")).toBeNull();
  });
});

describe("parseMoney: what a person types", () => {
  it("reads dollars with up to two decimals", () => {
    expect(parseMoney("150", "USD")).toBe(15000);
    expect(parseMoney("150.5", "USD")).toBe(15050);
    expect(parseMoney("0.01", "USD")).toBe(1);
    expect(parseMoney("0", "USD")).toBe(0);
    expect(parseMoney("$1,200.25", "USD")).toBe(120025);
    expect(parseMoney(" 12.50 ", "usd")).toBe(1250);
    // 0.29 × 100 is 28.999… as a float: parsing goes by the digits, never by multiplication
    expect(parseMoney("0.29", "USD")).toBe(29);
    expect(parseMoney("19.99", "USD")).toBe(1999);
  });

  it("reads riel as whole numbers, with grouping and the riel sign", () => {
    expect(parseMoney("600,000", "KHR")).toBe(600000);
    expect(parseMoney("៛ 600 000", "KHR")).toBe(600000);
    expect(parseMoney("600000៛", "KHR")).toBe(600000);
    expect(parseMoney("0", "KHR")).toBe(0);
  });

  it("refuses anything that is not an amount in that currency", () => {
    for (const bad of ["", " ", "-3", "+3", "abc", "1.2.3", "12.345", ".5", "5.", "1e3", "Infinity", "NaN", "0x10", "١٢"])
      expect(parseMoney(bad, "USD"), bad).toBeNull();
    expect(parseMoney("1.5", "KHR")).toBeNull();
    expect(parseMoney("1.0", "KHR")).toBeNull();
    expect(parseMoney("-100", "KHR")).toBeNull();
    expect(parseMoney("99999999999999999999", "KHR")).toBeNull();
  });

  it("refuses amounts above a maximum when one is given", () => {
    expect(parseMoney("99999999.99", "USD", { max: 9_999_999_999 })).toBe(9_999_999_999);
    expect(parseMoney("100000000", "USD", { max: 9_999_999_999 })).toBeNull();
    expect(parseMoney("9999999999", "KHR", { max: 9_999_999_999 })).toBe(9_999_999_999);
    expect(parseMoney("10000000000", "KHR", { max: 9_999_999_999 })).toBeNull();
  });

  it("round-trips with minorToDecimal", () => {
    for (const [minor, currency] of [
      [0, "USD"],
      [1, "USD"],
      [1999, "USD"],
      [123456789, "USD"],
      [0, "KHR"],
      [78000, "KHR"],
    ] as const)
      expect(parseMoney(minorToDecimal(minor, currency), currency)).toBe(minor);
  });
});

describe("majorToMinor: Bakong's major-unit numbers", () => {
  it("converts dollars and riel", () => {
    expect(majorToMinor(12.5, "USD")).toBe(1250);
    expect(majorToMinor(0.29, "USD")).toBe(29);
    expect(majorToMinor(19.99, "usd")).toBe(1999);
    expect(majorToMinor(0, "USD")).toBe(0);
    expect(majorToMinor(40_000, "KHR")).toBe(40_000);
  });

  it("refuses sub-unit amounts, negatives, NaN and unknown currencies", () => {
    expect(() => majorToMinor(10.005, "USD")).toThrow(RangeError);
    expect(() => majorToMinor(100.5, "KHR")).toThrow(RangeError);
    expect(() => majorToMinor(-1, "USD")).toThrow(RangeError);
    expect(() => majorToMinor(Number.NaN, "USD")).toThrow(RangeError);
    expect(() => majorToMinor(Number.POSITIVE_INFINITY, "KHR")).toThrow(RangeError);
    expect(() => majorToMinor(10, "EUR")).toThrow(RangeError);
  });
});
