// formatMoney: integer minor units → a localized string (USD cents with 2 decimals, KHR integer riel with ៛).
import { describe, expect, it } from "vitest";
import { formatMoney } from "@/lib/billing/money";

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
