// Issue 18: a payment received in the invoice's other currency shows what came in and the rate next
// to its settled amount (the ledger, /payments, the invoice's payments, the portal's receipts), in
// English and Khmer; a payment in the invoice's own currency shows nothing more.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { messagesFor, type Locale } from "@/lib/i18n";
import { I18nProvider } from "@/lib/i18n/client";
import { ReceivedAs, type ReceivedMoney } from "@/components/payments/received-as";

function render(payment: ReceivedMoney, locale: Locale = "en", digits: "latn" | "khmr" = "latn"): string {
  const props = { locale, digits, messages: messagesFor(locale), children: createElement(ReceivedAs, { payment }) };
  return renderToString(createElement(I18nProvider, props)).replace(/<!-- -->/g, "");
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, "|")
    .split("|")
    .filter(Boolean);

describe("ReceivedAs", () => {
  it("a USD invoice paid in riel: ៛412,000 at 4,120 ៛/$ (and the whole sentence for screen readers)", () => {
    const [shown, spoken] = text(render({ receivedAmount: 412_000, receivedCurrency: "KHR", khrPerUsd: 4120 }));
    expect(shown).toBe("៛412,000 at 4,120 ៛/$");
    expect(spoken).toBe("Received in the other currency: ៛412,000 at 4,120 riel per dollar");
  });

  it("a KHR invoice paid in dollars: $98.77 at 4,050 ៛/$", () => {
    expect(text(render({ receivedAmount: 9_877, receivedCurrency: "USD", khrPerUsd: 4050 }))[0]).toBe("$98.77 at 4,050 ៛/$");
  });

  it("in Khmer, with the reader's Khmer digits", () => {
    const [shown, spoken] = text(render({ receivedAmount: 412_000, receivedCurrency: "KHR", khrPerUsd: 4120 }, "km", "khmr"));
    expect(shown).toContain("តាមអត្រា");
    expect(shown).toContain("៤,១២០");
    expect(shown).toMatch(/៛\/\$$/);
    expect(spoken).toContain("រៀលក្នុងមួយដុល្លារ");
  });

  it("nothing for a payment in the invoice's own currency", () => {
    expect(render({ receivedAmount: null, receivedCurrency: null, khrPerUsd: null })).toBe("");
  });
});
