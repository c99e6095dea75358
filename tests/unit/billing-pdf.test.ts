// The invoice/receipt PDF renderer: a real PDF, Noto Sans Khmer embedded, Khmer shaped (coeng
// subscripts and reordered vowels are substituted glyphs), logo, wrapping and pagination.
import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { renderBillingPdf, type BillingDocument } from "@/server/pdf/billing-document";
import { billingFontBuffer } from "@/server/pdf/fonts";
import { makeBombPng, makePng } from "@/server/testing/sample-files";

/** the part of fontkit (pdfkit's shaping engine; untyped) this test uses */
interface Glyph {
  id: number;
  codePoints: number[];
}
interface Font {
  postscriptName: string;
  layout(text: string): { glyphs: Glyph[] };
  glyphForCodePoint(codePoint: number): Glyph;
}
const fontkit = createRequire(import.meta.url)("fontkit") as { create(buffer: Buffer): Font };

const KM_LABELS: BillingDocument["labels"] = {
  title: "វិក្កយបត្រ",
  number: "លេខ",
  issued: "កាលបរិច្ឆេទចេញ",
  due: "ថ្ងៃផុតកំណត់",
  paid: "បានបង់",
  billTo: "ចេញវិក្កយបត្រជូន",
  description: "ការពិពណ៌នា",
  amount: "ចំនួនទឹកប្រាក់",
  total: "សរុប",
  status: "ស្ថានភាព",
  method: "វិធីបង់ប្រាក់",
  reference: "លេខយោង",
  period: "រយៈពេល",
};
const EN_LABELS: BillingDocument["labels"] = {
  title: "Receipt",
  number: "Receipt no.",
  issued: "Issued",
  due: "Due",
  paid: "Paid",
  billTo: "Billed to",
  description: "Description",
  amount: "Amount",
  total: "Total",
  status: "Status",
  method: "Payment method",
  reference: "Reference",
  period: "Period",
};

function khmerInvoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return {
    kind: "invoice",
    locale: "km",
    labels: KM_LABELS,
    issuer: { name: "Phteah Co., Ltd.", lines: ["ផ្លូវ ២៧១ សង្កាត់ទួលទំពូង", "Phnom Penh, Cambodia"] },
    billTo: { name: "ផ្ទះជួល Acme", lines: ["owner@acme.test"] },
    number: "INV-2026-000123",
    issuedAt: "២១ វិច្ឆិកា ២០២៦",
    dueAt: "២៨ វិច្ឆិកា ២០២៦",
    period: "១ វិច្ឆិកា – ៣០ វិច្ឆិកា ២០២៦",
    statusText: "មិនទាន់បង់",
    lines: [
      { description: "គម្រោង Pro ប្រចាំខែ — ការជួលផ្ទះ និងការគ្រប់គ្រងអ្នកជួល", amount: "$29.00" },
      // NIKAHIT after most consonants and mark-to-ligature clusters: both crash fontkit 2.0.4 unpatched
      { description: "ចំនួនទឹកប្រាក់ ក្ឃាំ ស្ពាំង", amount: "៛120,000" },
    ],
    total: "$29.00",
    payment: null,
    footer: "សូមអរគុណ! Thank you.",
    ...overrides,
  };
}

function englishReceipt(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return {
    kind: "receipt",
    locale: "en",
    labels: EN_LABELS,
    issuer: { name: "Phteah Co., Ltd.", lines: ["Street 271, Toul Tompoung", "Phnom Penh, Cambodia"] },
    billTo: { name: "Globex Rentals", lines: ["owner@globex.test"] },
    number: "RCP-2026-000042",
    issuedAt: "Nov 21, 2026",
    paidAt: "Nov 21, 2026",
    period: "Nov 1 – Nov 30, 2026",
    statusText: "Paid",
    lines: [{ description: "Pro plan, monthly", amount: "$29.00" }],
    total: "$29.00",
    payment: { method: "KHQR (Bakong)", reference: "a1b2c3d4e5" },
    footer: "Thank you for your business.",
    ...overrides,
  };
}

const text = (pdf: Buffer) => pdf.toString("latin1");

/** every Flate stream, inflated (content streams, ToUnicode maps) */
function inflatedStreams(pdf: Buffer): string {
  const raw = text(pdf);
  const out: string[] = [];
  const re = /\/FlateDecode[^]*?>>\s*stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {
      // font programs are not text; a truncated tail is fine
    }
  }
  return out.join("\n");
}

const pageCount = (pdf: Buffer) => text(pdf).match(/\/Type \/Page(?!s)/g)?.length ?? 0;
const textObjects = (pdf: Buffer) => inflatedStreams(pdf).match(/^BT$/gm)?.length ?? 0;
/** the document info's Title (pdfkit writes it as an indirect string object) */
function infoTitle(pdf: Buffer): string | undefined {
  const ref = /\/Title (\d+) 0 R/.exec(text(pdf))?.[1];
  return ref ? new RegExp(`\\n${ref} 0 obj\\n\\((.*)\\)\\nendobj`).exec(text(pdf))?.[1] : undefined;
}
const embeddedFonts = (pdf: Buffer) => [...text(pdf).matchAll(/\/FontName \/([A-Z]{6}\+[\w-]+)/g)].map((m) => m[1] ?? "");

describe("renderBillingPdf", () => {
  it("renders a Khmer invoice with Noto Sans Khmer embedded and the metadata set", async () => {
    const pdf = await renderBillingPdf(khmerInvoice());
    expect(text(pdf.subarray(0, 5))).toBe("%PDF-");
    expect(text(pdf)).toMatch(/%%EOF\s*$/);
    expect(text(pdf)).toContain("/FontFile2");
    const fonts = embeddedFonts(pdf);
    expect(fonts.some((name) => name.endsWith("+NotoSansKhmer-Regular"))).toBe(true);
    expect(fonts.some((name) => name.endsWith("+NotoSansKhmer-Bold"))).toBe(true);
    // no text fell back to a standard PDF font
    expect(text(pdf)).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(infoTitle(pdf)).toBe("INV-2026-000123");
    expect(text(pdf)).toContain("/Lang (km-KH)");
    expect(pageCount(pdf)).toBe(1);
  });

  it("embeds shaped Khmer glyphs: coeng clusters map back to several code points", async () => {
    const pdf = await renderBillingPdf(khmerInvoice());
    // pdfkit's ToUnicode map lists each embedded glyph's code points: a substituted glyph (e.g. the
    // subscript form of ទ in ផ្ទះ = COENG + TO) has more than one. Unshaped text would have none.
    const cmap = inflatedStreams(pdf);
    expect(cmap).toContain("beginbfrange");
    expect(cmap).toMatch(/<17d2 17[0-9a-f]{2}>/);
  });

  it("shapes Khmer with fontkit on the same font: fewer glyphs than code points, substituted ids", () => {
    const font = fontkit.create(billingFontBuffer("khmer", 400));
    expect(font.postscriptName).toBe("NotoSansKhmer-Regular");

    const house = "ផ្ទះ"; // PHA, COENG, TO, REAHMUK
    const shaped = font.layout(house).glyphs;
    expect(shaped.length).toBeLessThan([...house].length);
    const subscript = shaped.find((g) => g.codePoints.includes(0x17d2));
    expect(subscript?.codePoints).toEqual([0x17d2, 0x1791]);
    expect(subscript?.id).not.toBe(font.glyphForCodePoint(0x1791).id);

    const rental = "ការជួល";
    const ids = font.layout(rental).glyphs.map((g) => g.id);
    const cmapIds = [...rental].map((c) => font.glyphForCodePoint(c.codePointAt(0) ?? 0).id);
    expect(ids).not.toEqual(cmapIds);
    expect(ids.length).toBeLessThan(cmapIds.length); // KA + AA form one glyph
  });

  it("renders an English receipt through the same font", async () => {
    const pdf = await renderBillingPdf(englishReceipt());
    expect(text(pdf.subarray(0, 5))).toBe("%PDF-");
    expect(embeddedFonts(pdf).every((name) => name.includes("+NotoSansKhmer-"))).toBe(true);
    expect(embeddedFonts(pdf).length).toBeGreaterThan(0);
    expect(text(pdf)).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(infoTitle(pdf)).toBe("RCP-2026-000042");
    expect(text(pdf)).toContain("/Lang (en)");
    expect(text(pdf)).not.toContain("/Subtype /Image");
  });

  it("falls back to the Latin files of the family for characters the Khmer file lacks", async () => {
    const ascii = { period: "2026-11-01 to 2026-11-30" };
    const plain = await renderBillingPdf(
      englishReceipt({ ...ascii, lines: [{ description: "Cafe 'Pro' plan - naive resume", amount: "EUR 29.00" }] }),
    );
    const typographic = await renderBillingPdf(
      englishReceipt({ ...ascii, lines: [{ description: "Café “Pro” plan — naïve résumé ’", amount: "€29.00" }] }),
    );
    const regular = (pdf: Buffer) => embeddedFonts(pdf).filter((name) => name.endsWith("+NotoSansKhmer-Regular")).length;
    expect(regular(typographic)).toBe(regular(plain) + 1);
  });

  it("embeds the issuer logo when one is given", async () => {
    const logoPng = await QRCode.toBuffer("https://acme.example", { type: "png", width: 64, margin: 1 });
    expect(logoPng.subarray(1, 4).toString("latin1")).toBe("PNG");
    const pdf = await renderBillingPdf(englishReceipt({ issuer: { name: "Acme", lines: [], logoPng } }));
    expect(text(pdf)).toContain("/Subtype /Image");
    expect(text(pdf)).toContain("/Width 64");

    // a corrupt logo is left out; the document still renders
    const broken = await renderBillingPdf(englishReceipt({ issuer: { name: "Acme", lines: [], logoPng: Buffer.from("not a png") } }));
    expect(text(broken.subarray(0, 5))).toBe("%PDF-");
    expect(text(broken)).not.toContain("/Subtype /Image");
  });

  it("leaves out a logo that declares a huge canvas (a decompression bomb) instead of embedding or decoding it", async () => {
    for (const logoPng of [makeBombPng(50_000, 50_000), makeBombPng(4_000, 4_000)]) {
      const started = Date.now();
      const pdf = await renderBillingPdf(englishReceipt({ issuer: { name: "Acme", lines: [], logoPng } }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(text(pdf.subarray(0, 5))).toBe("%PDF-");
      expect(text(pdf)).not.toContain("/Subtype /Image");
    }
    // a logo within the bound (what uploads store: at most 512 px) is still embedded
    expect(text(await renderBillingPdf(englishReceipt({ issuer: { name: "Acme", lines: [], logoPng: makePng(512, 200) } })))).toContain(
      "/Width 512",
    );
  });

  it("wraps long descriptions, including unbroken words, without throwing", async () => {
    const short = await renderBillingPdf(khmerInvoice());
    const long = await renderBillingPdf(
      khmerInvoice({
        lines: [
          { description: "ការជួលផ្ទះប្រចាំខែសម្រាប់អ្នកជួលទាំងអស់ក្នុងអគារនេះ ".repeat(12), amount: "$1,234.56" },
          { description: "Monthly rent for unit 12B, including water, electricity and parking. ".repeat(10), amount: "$450.00" },
          { description: `REF-${"X".repeat(300)}`, amount: "$1.00" },
          { description: "ការជួលផ្ទះ".repeat(40), amount: "$2.00" },
          { description: "line one\nline two\r\nline three", amount: "$3.00" },
        ],
      }),
    );
    expect(text(long.subarray(0, 5))).toBe("%PDF-");
    // every drawn line is its own text object: the long rows took many more lines
    expect(textObjects(long)).toBeGreaterThan(textObjects(short) + 20);
  });

  it("paginates many lines", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({
      description: `ការជួលផ្ទះ បន្ទប់លេខ ${i + 1} (Room ${i + 1})`,
      amount: `$${i + 1}.00`,
    }));
    const pdf = await renderBillingPdf(khmerInvoice({ lines }));
    expect(pageCount(pdf)).toBeGreaterThan(1);
    expect(text(pdf)).toContain(`/Count ${pageCount(pdf)}`); // the page tree agrees
  });
});
