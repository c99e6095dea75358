// Khmer done right (issue 17): the Khmer catalog is complete and in Khmer script, dates, months and
// numbers come from our own tables (lib/i18n/format.ts) in one digit system, and invoice lines are
// shown in the viewer's language (lib/i18n/invoice-lines.ts).
import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/messages/en";
import { km } from "@/lib/i18n/messages/km";
import { createTranslator, type MessageKey } from "@/lib/i18n";
import { createFormat, toDigits, withDigits, KHMER_MONTHS } from "@/lib/i18n/format";
import { lineDescription } from "@/lib/i18n/invoice-lines";

function flat(node: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else flat(v, `${prefix}${k}.`, out);
  }
  return out;
}

const EN = flat(en);
const KM = flat(km);
const KHMER = /[\u1780-\u17FF]/;
/** text a person reads: ICU arguments and plural selectors removed */
const prose = (s: string) =>
  s
    .replace(/\{\w+, (plural|select|selectordinal),/g, " ")
    .replace(/(^|[\s{}])(=\d+|one|other|few|many|zero|two)\s*\{/g, " ")
    .replace(/\{\w+\}/g, " ")
    .replace(/'\{\{\w+\}\}'/g, " ")
    // commands and paths (/balance, docs/X.md) are codes
    .replace(/\S*\/\S*/g, " ");

/** Entries that are meant to read the same in both languages. */
const SAME_IN_BOTH = new Set([
  "locale.en", // the name of the other language, in that language
  "account.language.savedIn.en", // said in the language just chosen
  "console.twoFactor", // 2FA
  "billing.invoices.pdf",
  "billing.checkout.brand",
  "billing.pdf.methods.khqr",
  "adminBilling.method.khqr",
  "rentPayments.method.khqr",
  "invoices.pdf.methods.khqr",
  "telegram.bot.methods.khqr",
  "adminBilling.payments.hash", // the console's column for Bakong's transaction hash
  "contracts.close.confirmWord", // a code typed to confirm: Latin letters type on every phone keyboard
]);

/**
 * Latin words a Khmer entry may carry: brand and product names, file formats, codes and
 * examples of what a person types (an address, a Bakong account, a CSV value).
 */
const LATIN_ALLOWED = new Set(
  (
    "KHQR Bakong BotFather ABA QR CSV PDF Phteah PNG JPEG WebP USD KHR MB IP Google Microsoft Authenticator Excel Sheets LibreOffice " +
    "Inngest JSON README zip txt md FA YYYY-MM YYYY-MM-DD English acme acme. sokha apartments aclb abcd- A- webhook Webhook " +
    "hash seed idempotency staging hidden vacant maintenance membership. name bank locale km en base rent status other Password Language saved."
  ).split(" "),
);

describe("the Khmer catalog", () => {
  it("has every English key, none empty", () => {
    const missing = [...EN.keys()].filter((k) => !KM.has(k) || KM.get(k)!.trim() === "");
    expect(missing).toEqual([]);
    expect([...KM.keys()].filter((k) => !EN.has(k))).toEqual([]);
  });

  it("is in Khmer script wherever the English has words", () => {
    const latinOnly = [...EN]
      .filter(([k, v]) => /[A-Za-z]{2,}/.test(prose(v)) && !SAME_IN_BOTH.has(k))
      .filter(([k]) => !KHMER.test(KM.get(k)!))
      .map(([k]) => k);
    expect(latinOnly).toEqual([]);
  });

  it("carries no English words besides names, codes and formats", () => {
    const found: string[] = [];
    for (const [k, v] of KM) {
      if (SAME_IN_BOTH.has(k)) continue;
      for (const w of prose(v).match(/[A-Za-z][A-Za-z'.-]*/g) ?? []) if (!LATIN_ALLOWED.has(w)) found.push(`${k}: ${w}`);
    }
    expect(found).toEqual([]);
  });

  it("writes numbers in Latin digits (the default; Khmer digits come from the reader's choice)", () => {
    // the one exception: the choice itself shows what Khmer digits look like
    expect([...KM].filter(([k, v]) => /[០-៩]/.test(v) && k !== "account.digits.khmr").map(([k]) => k)).toEqual([]);
  });

  it("gives Invoices and Billing different words in the menu", () => {
    expect(km.invoices.nav).not.toBe(km.billing.nav);
  });
});

describe("lib/i18n/format.ts", () => {
  const kmf = createFormat("km");
  const enf = createFormat("en");
  const khmr = createFormat("km", "khmr");
  const at = "2026-03-31T20:00:00Z"; // 1 April 03:00 in Phnom Penh

  it("writes Khmer dates and months from its own names, in Latin digits by default", () => {
    expect(kmf.date(at)).toBe("1 មេសា 2026");
    expect(kmf.date(at, "UTC")).toBe("31 មីនា 2026");
    expect(kmf.dateTime(at)).toBe("1 មេសា 2026 ម៉ោង 03:00");
    expect(kmf.day("2026-12-31")).toBe("31 ធ្នូ 2026");
    expect(kmf.month("2026-11")).toBe("វិច្ឆិកា 2026");
    expect(kmf.monthShort("2026-02")).toBe("កុម្ភៈ");
    expect(kmf.dayRange("2026-11-01", "2026-11-30")).toBe("1 វិច្ឆិកា 2026 – 30 វិច្ឆិកា 2026");
    expect(KHMER_MONTHS.map((_, m) => kmf.month(`2026-${String(m + 1).padStart(2, "0")}`)).join(" ")).not.toMatch(/[A-Za-z]/);
  });

  it("prints every part in Khmer digits when the reader chose them", () => {
    expect(khmr.date(at)).toBe("១ មេសា ២០២៦");
    expect(khmr.dateTime(at)).toBe("១ មេសា ២០២៦ ម៉ោង ០៣:០០");
    expect(khmr.money(123450, "USD")).toBe("១,២៣៤.៥០$");
    expect(khmr.money(78000, "KHR")).toBe("៧៨,០០០៛");
    expect(khmr.number(2150)).toBe("២,១៥០");
    expect(khmr.countdown(299_001)).toBe("០៥:០០");
    expect(khmr.percent(12.5)).toBe("១២.៥%");
    expect(toDigits("A-101", "latn")).toBe("A-101");
  });

  it("keeps English as it was (en-GB dates, the money module's amounts)", () => {
    expect(enf.date(at)).toBe(new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "Asia/Phnom_Penh" }).format(new Date(at)));
    expect(enf.month("2026-11")).toBe("November 2026");
    expect(enf.dateTime(at)).toBe("1 Apr 2026, 03:00");
    expect(enf.money(1900, "USD")).toBe("$19.00");
    expect(kmf.money(78000, "KHR")).toBe("78,000៛");
    expect(kmf.money(-500, "USD")).toBe("-5.00$");
    expect(kmf.moneyCompact(123450, "USD")).toBe("1.2 ពាន់$");
    expect(kmf.month("not a period")).toBe("not a period");
  });

  it("prints a message's own numbers in the reader's digits and what was given as text as given", () => {
    const t = withDigits(createTranslator("km"), "khmr");
    expect(t("readings.changed" as MessageKey, { count: 12 })).toBe("បានផ្លាស់ប្ដូរ ១២");
    expect(t("invoices.line.rent" as MessageKey, { month: khmr.month("2026-11"), unit: "A-101" })).toContain("(បន្ទប់ A-101)");
    expect(t("invoices.line.rent" as MessageKey, { month: khmr.month("2026-11"), unit: "A-101" })).toContain("វិច្ឆិកា ២០២៦");
  });
});

describe("invoice lines in the viewer's language", () => {
  it("renders a line stored in English in Khmer, and one stored in Khmer in English", () => {
    expect(lineDescription({ kind: "rent", description: "Rent for November 2026 (unit A-101)" }, "2026-11", "km")).toBe(
      "ថ្លៃឈ្នួលខែ វិច្ឆិកា 2026 (បន្ទប់ A-101)",
    );
    expect(lineDescription({ kind: "electricity", description: "Electricity 2,000 → 2,150 kWh (150 kWh)" }, "2026-11", "km")).toBe(
      "ថ្លៃភ្លើង៖ កុងទ័រ 2,000 → 2,150 (ប្រើ 150 គីឡូវ៉ាត់)",
    );
    // the wording stored by earlier releases, with Khmer digits, read back
    expect(lineDescription({ kind: "water", description: "ទឹក ៤០ → ៤៥ m³ (៥ m³)" }, "2026-11", "en")).toBe("Water 40 → 45 m³ (5 m³)");
    expect(lineDescription({ kind: "late_fee", description: "ប្រាក់ពិន័យយឺតយ៉ាវសម្រាប់វិក្កយបត្រ INV-7" }, "2026-11", "en")).toBe(
      "Late fee for invoice INV-7",
    );
  });

  it("takes the readings from the line's meta when it has them, and leaves typed lines as typed", () => {
    expect(
      lineDescription({ kind: "water", description: "Water 1 → 2 m³ (1 m³)", meta: { previous: 40, current: 45 } }, "2026-11", "en"),
    ).toBe("Water 40 → 45 m³ (5 m³)");
    expect(lineDescription({ kind: "charge", description: "Parking" }, "2026-11", "km")).toBe("Parking");
    expect(lineDescription({ kind: "rent", description: "Something else" }, "2026-11", "km")).toBe("Something else");
  });
});
