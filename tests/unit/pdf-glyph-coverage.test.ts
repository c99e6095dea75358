// Issue 17: the invoice PDF showed missing-glyph boxes for "→" and "³" ("Electricity 2,000 ▯ 2,150
// kWh", "m▯"): none of the embedded Noto Sans Khmer files has them. Every string the rent PDF can
// print (its labels, line templates, statuses, payment methods, money, months and dates, in English
// and Khmer) is rendered here and the PDF's glyph usage is read back: a character no embedded font
// has is drawn as glyph 0 (.notdef), which pdfkit's subset encodes as <0000>.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createTranslator, type Locale, type MessageKey } from "@/lib/i18n";
import { invoices } from "@/lib/i18n/messages/areas/invoices";
import { formatMoney } from "@/lib/money";
import { renderBillingPdf, type BillingDocument } from "@/server/pdf/billing-document";

function inflatedStreams(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const out: string[] = [];
  const re = /\/FlateDecode[^]*?>>\s*stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {
      // font programs are not text
    }
  }
  return out.join("\n");
}

/** the glyph codes of every text-showing operator (pdfkit writes CID fonts as 4-hex-digit codes) */
function shownGlyphs(pdf: Buffer): string[] {
  const codes: string[] = [];
  for (const m of inflatedStreams(pdf).matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    for (const hex of (m[1] ?? "").matchAll(/<([0-9a-fA-F]*)>/g)) codes.push(...((hex[1] ?? "").match(/.{4}/g) ?? []));
  }
  return codes;
}

/** every leaf string of a message subtree, with its dotted key */
function leaves(node: unknown, prefix: string): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`));
}

const PARAMS = {
  month: "November 2026",
  unit: "A-101",
  from: "2,000",
  to: "2,150",
  usage: "150",
  number: "INV-2026-000123",
  property: "Riverside",
  date: "21 Nov 2026",
  method: "KHQR",
  link: "https://acme.phteah.test/pay/abc",
};

function everyPrintableString(locale: Locale): string[] {
  const t = createTranslator(locale);
  const keys = [
    ...leaves(invoices.en.pdf, "invoices.pdf"),
    ...leaves(invoices.en.line, "invoices.line"),
    ...leaves(invoices.en.statuses, "invoices.statuses"),
    ...leaves(invoices.en.lineKinds, "invoices.lineKinds"),
  ];
  const intl = locale === "km" ? "km-KH" : "en-GB";
  const months = Array.from({ length: 12 }, (_, m) =>
    new Intl.DateTimeFormat(intl, { month: "long", year: "numeric", day: "numeric", timeZone: "UTC" }).format(Date.UTC(2026, m, 28)),
  );
  const money = [123456, -5000, 0].flatMap((minor) => ["USD", "KHR"].map((c) => formatMoney(minor, c, locale)));
  return [...keys.map((k) => t(k as MessageKey, PARAMS)), ...months, ...money];
}

function documentOf(locale: Locale, strings: string[]): BillingDocument {
  return {
    kind: "invoice",
    locale,
    labels: {
      title: "T",
      number: "N",
      issued: "I",
      due: "D",
      paid: "P",
      billTo: "B",
      description: "D",
      amount: "A",
      total: "T",
      status: "S",
      method: "M",
      reference: "R",
      period: "P",
    },
    issuer: { name: "Acme", lines: [] },
    billTo: { name: "Renter", lines: [] },
    number: "INV-1",
    issuedAt: "1",
    statusText: "S",
    lines: strings.map((s) => ({ description: s, amount: "$1.00" })),
    total: "$1.00",
  };
}

describe("the rent PDF's glyph coverage", () => {
  it.each(["en", "km"] as const)(
    "draws every string it can print in %s with real glyphs, none as .notdef",
    async (locale) => {
      const strings = everyPrintableString(locale);
      expect(strings.some((s) => s.includes("→"))).toBe(true);
      // Khmer spells the units out (ម៉ែត្រគូប, docs/I18N.md's glossary): ³ is only in the English lines (and the test below)
      expect(strings.some((s) => s.includes("³"))).toBe(locale === "en");
      const pdf = await renderBillingPdf(documentOf(locale, strings));
      const glyphs = shownGlyphs(pdf);
      expect(glyphs.length).toBeGreaterThan(100);
      expect(glyphs.filter((g) => g === "0000")).toEqual([]);
    },
    30_000,
  ); // dozens of shaped Khmer lines: seconds on a busy machine

  it("draws the water line's m³ and the arrow of a reading range without .notdef", async () => {
    for (const s of ["Water 40 → 45 m³ (5 m³)", "ទឹក ៤០ → ៤៥ m³", "m² ¹ ½ × ÷ ≤ ≥ ←"]) {
      const pdf = await renderBillingPdf(documentOf("en", [s]));
      expect(
        shownGlyphs(pdf).filter((g) => g === "0000"),
        s,
      ).toEqual([]);
    }
  });
});
