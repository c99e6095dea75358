import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inflateSync } from "node:zlib";
import PDFDocument from "pdfkit";
import { logger } from "@/server/core/observability/logger";

// Invoice/receipt PDFs. Every string goes through Noto Sans Khmer (fontsource ships it split by
// unicode-range: the "khmer" file also carries basic ASCII, the "latin"/"latin-ext" files carry the
// rest of Latin), picked per character so mixed Khmer/English text renders. pdfkit shapes through
// fontkit (OpenType GSUB/GPOS), so coeng subscripts and vowel signs are substituted glyphs, not
// code points. Line breaking is done here rather than by pdfkit: pdfkit's breaker has no Khmer
// dictionary and splits over-long words between code points (which would tear clusters apart),
// while ICU's word segmenter knows Khmer words and its grapheme segmenter keeps clusters whole.

export interface BillingDocument {
  kind: "invoice" | "receipt";
  locale: "en" | "km";
  /** all visible labels, already translated by the caller (the renderer has no i18n) */
  labels: {
    title: string;
    number: string;
    issued: string;
    due: string;
    paid: string;
    billTo: string;
    description: string;
    amount: string;
    total: string;
    status: string;
    method: string;
    reference: string;
    period: string;
  };
  issuer: { name: string; lines: string[]; logoPng?: Buffer | null };
  billTo: { name: string; lines: string[] };
  number: string;
  issuedAt: string; // already formatted by the caller
  dueAt?: string | null;
  paidAt?: string | null;
  period?: string | null;
  statusText: string;
  lines: Array<{ description: string; amount: string /* formatted money */ }>;
  total: string;
  payment?: { method: string; reference?: string | null } | null;
  footer?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Fonts (read once per process; parsed once, shared by every document)

const FONT_PACKAGE = "@fontsource/noto-sans-khmer";
const SUBSETS = ["khmer", "latin", "latin-ext"] as const;
type Subset = (typeof SUBSETS)[number];
type Weight = 400 | 700;
type FontKey = `${Subset}-${Weight}`;

/** the part of fontkit's Font this module uses (fontkit ships no types; pdfkit depends on it) */
interface ParsedFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): { advanceWidth: number };
}
interface Fontkit {
  create(buffer: Buffer): ParsedFont;
}

const fontBuffers = new Map<FontKey, Buffer>();
const parsedFonts = new Map<FontKey, ParsedFont>();
let fontkitModule: Fontkit | null = null;

function fontFile(key: FontKey): string {
  const file = `noto-sans-khmer-${key}-normal.woff`;
  // `next start` runs from the project root; the fallback covers tools started elsewhere.
  const fromCwd = path.join(process.cwd(), "node_modules/@fontsource/noto-sans-khmer/files", file);
  if (existsSync(fromCwd)) return fromCwd;
  // turbopackIgnore: resolved at run time; the bundler must not pull the font files into the build
  return createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ `${FONT_PACKAGE}/files/${file}`);
}

/**
 * The font as a plain TrueType (sfnt) file, unpacked once per process from the package's .woff.
 * fontkit reads WOFF itself, but re-inflates a table with a pure-JS inflater on every access
 * (every glyph pdfkit subsets re-inflates the whole glyf table): unpacking once with zlib makes a
 * document 3-5x cheaper. WOFF rather than WOFF2: the latter needs Brotli and a glyf transform.
 */
export function billingFontBuffer(subset: Subset = "khmer", weight: Weight = 400): Buffer {
  const key: FontKey = `${subset}-${weight}`;
  let buffer = fontBuffers.get(key);
  if (!buffer) {
    // the path is one of two (see fontFile): tell Turbopack not to trace the whole project for it
    buffer = woffToSfnt(readFileSync(/* turbopackIgnore: true */ fontFile(key)));
    fontBuffers.set(key, buffer);
  }
  return buffer;
}

/** WOFF 1.0 → sfnt: the same tables, inflated, behind an sfnt table directory */
function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646 /* wOFF */) return woff;
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.readUInt32BE(at),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(raw) : raw,
    };
  });
  const pad = (n: number) => (n + 3) & ~3;
  const headerSize = 12 + numTables * 16;
  const out = Buffer.alloc(headerSize + tables.reduce((sum, t) => sum + pad(t.data.length), 0));
  const log2 = Math.floor(Math.log2(numTables));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(2 ** log2 * 16, 6);
  out.writeUInt16BE(log2, 8);
  out.writeUInt16BE(numTables * 16 - 2 ** log2 * 16, 10);
  let offset = headerSize;
  tables.forEach((table, i) => {
    const at = 12 + i * 16;
    out.writeUInt32BE(table.tag, at);
    out.writeUInt32BE(table.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(table.data.length, at + 12);
    table.data.copy(out, offset);
    offset += pad(table.data.length);
  });
  return out;
}

/** the parsed font, shared by every document (pdfkit subsets per document) */
function parsedFont(key: FontKey): ParsedFont {
  let font = parsedFonts.get(key);
  if (!font) {
    // pdfkit's own dependency (not bundled: next.config.ts lists both as server externals)
    fontkitModule ??= createRequire(import.meta.url)(/* turbopackIgnore: true */ "fontkit") as Fontkit;
    const [subset, weight] = splitKey(key);
    font = fontkitModule.create(billingFontBuffer(subset, weight));
    patchGpos(font);
    parsedFonts.set(key, font);
  }
  return font;
}

// fontkit 2.0.4 cannot position two common Khmer cases in Noto Sans Khmer, and throws instead:
// - a NULL anchor offset in a mark-attachment subtable (legal OpenType: "no anchor for this class"),
//   hit by NIKAHIT on most consonants ("កំ"; foliojs/fontkit#367, fix proposed in #374);
// - mark-to-ligature picks the component by the ligature's code-point count instead of the
//   LigatureAttach component count (HarfBuzz uses the latter), hit by "ក្ឃាំ"-like clusters.
// Both are fixed on this font instance only, the HarfBuzz way; tests cover both strings.
interface GlyphInfo {
  id: number;
  isMark: boolean;
  ligatureID?: number;
  ligatureComponent?: number;
}
interface MarkRecord {
  class: number;
  markAnchor: unknown;
}
interface MarkToLigatureTable {
  markCoverage: unknown;
  ligatureCoverage: unknown;
  markArray: MarkRecord[];
  ligatureArray: unknown[][][];
}
interface GposProcessor {
  glyphs: GlyphInfo[];
  glyphIterator: { index: number; cur: GlyphInfo };
  coverageIndex(coverage: unknown, glyph?: number): number;
  applyAnchor(markRecord: MarkRecord, baseAnchor: unknown, baseGlyphIndex: number): void;
  applyLookup(lookupType: number, table: unknown): boolean;
}
interface FontInternals {
  _layoutEngine?: { engine?: { GPOSProcessor?: GposProcessor | null } };
}

function patchGpos(font: ParsedFont): void {
  const gpos = (font as FontInternals)._layoutEngine?.engine?.GPOSProcessor;
  if (!gpos || typeof gpos.applyAnchor !== "function" || typeof gpos.applyLookup !== "function") return;
  const applyAnchor = gpos.applyAnchor.bind(gpos);
  gpos.applyAnchor = (markRecord, baseAnchor, baseGlyphIndex) => {
    if (baseAnchor && markRecord.markAnchor) applyAnchor(markRecord, baseAnchor, baseGlyphIndex);
  };
  const applyLookup = gpos.applyLookup.bind(gpos);
  gpos.applyLookup = (lookupType, table) =>
    lookupType === 5 ? markToLigature(gpos, table as MarkToLigatureTable) : applyLookup(lookupType, table);
}

function markToLigature(gpos: GposProcessor, table: MarkToLigatureTable): boolean {
  const markIndex = gpos.coverageIndex(table.markCoverage);
  if (markIndex === -1) return false;
  let base = gpos.glyphIterator.index;
  while (--base >= 0 && gpos.glyphs[base]?.isMark);
  const ligature = gpos.glyphs[base];
  if (!ligature) return false;
  const ligIndex = gpos.coverageIndex(table.ligatureCoverage, ligature.id);
  if (ligIndex === -1) return false;
  const components = table.ligatureArray[ligIndex];
  const markRecord = table.markArray[markIndex];
  if (!components?.length || !markRecord) return false;
  const mark = gpos.glyphIterator.cur;
  const sameLigature = Boolean(ligature.ligatureID) && ligature.ligatureID === mark.ligatureID && (mark.ligatureComponent ?? 0) > 0;
  const component = sameLigature ? Math.min(mark.ligatureComponent ?? 0, components.length) - 1 : components.length - 1;
  gpos.applyAnchor(markRecord, components[component]?.[markRecord.class], base);
  return true;
}

function splitKey(key: FontKey): [Subset, Weight] {
  const at = key.lastIndexOf("-");
  return [key.slice(0, at) as Subset, Number(key.slice(at + 1)) as Weight];
}

// ---------------------------------------------------------------------------------------------
// Text: per-character font choice, measuring, wrapping, drawing

type Doc = PDFKit.PDFDocument;
interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}
interface Run {
  key: FontKey;
  text: string;
}

const ZWSP = "\u200B";
const SOFT_HYPHEN = "\u00AD";
const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/u;
const SPACE = /^\s+$/u;
const wordSegmenter = new Intl.Segmenter("km", { granularity: "word" });
const graphemeSegmenter = new Intl.Segmenter("km", { granularity: "grapheme" });

const lineHeight = (size: number) => size * 1.5;

/** splits text into runs of one font each; a character stays in the current run's font when it has it */
function fontRuns(text: string, weight: Weight): Run[] {
  const runs: Run[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    const last = runs.at(-1);
    if (last && parsedFont(last.key).hasGlyphForCodePoint(cp)) {
      last.text += char;
      continue;
    }
    const found = SUBSETS.find((subset) => parsedFont(`${subset}-${weight}`).hasGlyphForCodePoint(cp));
    // no glyph anywhere: keep the current font (the PDF shows its .notdef box) rather than drop text
    const key: FontKey = found ? `${found}-${weight}` : (last?.key ?? `khmer-${weight}`);
    if (last && last.key === key) last.text += char;
    else runs.push({ key, text: char });
  }
  return runs;
}

function selectFont(doc: Doc, key: FontKey, size: number): Doc {
  // registered under our own key (both subsets share one PostScript name); pdfkit takes a parsed
  // fontkit font as well as bytes, and this one carries the GPOS fixes above
  doc.registerFont(key, parsedFont(key) as unknown as PDFKit.Mixins.PDFFontSource);
  return doc.font(key).fontSize(size);
}

// widths come from fontkit directly (the same shaping pdfkit applies), cached across documents:
// wrapping measures every word, and shaping Khmer is the slow part of rendering
const advanceCache = new Map<string, number>();

function advance(key: FontKey, text: string): number {
  const cacheKey = `${key}\u0000${text}`;
  let units = advanceCache.get(cacheKey);
  if (units === undefined) {
    const font = parsedFont(key);
    units = font.layout(text).advanceWidth / font.unitsPerEm;
    if (advanceCache.size >= 20_000) advanceCache.clear();
    advanceCache.set(cacheKey, units);
  }
  return units;
}

function measure(text: string, style: TextStyle): number {
  let width = 0;
  for (const run of fontRuns(text, style.bold ? 700 : 400)) width += advance(run.key, run.text);
  return width * style.size;
}

function drawLine(doc: Doc, text: string, x: number, y: number, style: TextStyle): void {
  let cx = x;
  doc.fillColor(style.color ?? COLORS.text);
  for (const run of fontRuns(text, style.bold ? 700 : 400)) {
    selectFont(doc, run.key, style.size).text(run.text, cx, y, { lineBreak: false });
    cx += advance(run.key, run.text) * style.size;
  }
}

/** unbreakable pieces of one paragraph, each with its trailing spaces */
function breakChunks(paragraph: string): string[] {
  const chunks: string[] = [];
  let previous: Intl.SegmentData | null = null;
  for (const segment of wordSegmenter.segment(paragraph)) {
    const text = segment.segment;
    const canBreak =
      previous !== null &&
      !SPACE.test(text) &&
      (SPACE.test(previous.segment) ||
        previous.segment === ZWSP ||
        // Khmer writes no spaces between words: the dictionary segmenter finds the boundaries
        (Boolean(previous.isWordLike) && Boolean(segment.isWordLike) && (KHMER.test(previous.segment) || KHMER.test(text))) ||
        (/^[-/\u2013\u2014]$/u.test(previous.segment) && Boolean(segment.isWordLike)));
    if (canBreak || chunks.length === 0) chunks.push(text);
    else chunks[chunks.length - 1] += text;
    previous = segment;
  }
  return chunks;
}

/** greedy wrap into lines no wider than maxWidth; explicit newlines are kept */
function wrapText(text: string, maxWidth: number, style: TextStyle): string[] {
  const lines: string[] = [];
  const clean = text.replace(/\r\n?/gu, "\n").replace(/\t/gu, " ");
  for (const paragraph of clean.split("\n")) {
    let line = "";
    let width = 0; // of `line`, trailing spaces included
    const push = () => {
      lines.push(visible(line).trimEnd());
      line = "";
      width = 0;
    };
    for (const chunk of breakChunks(paragraph)) {
      const wordWidth = measure(visible(chunk.trimEnd()), style);
      if (line && width + wordWidth > maxWidth) push();
      if (!line && wordWidth > maxWidth) {
        // a single word wider than the line: break between grapheme clusters
        for (const { segment } of graphemeSegmenter.segment(chunk)) {
          if (line && width + measure(visible(segment.trimEnd()), style) > maxWidth) push();
          if (line || !SPACE.test(segment)) {
            line += segment;
            width += measure(visible(segment), style);
          }
        }
      } else {
        line += chunk;
        width += measure(visible(chunk), style);
      }
    }
    push();
  }
  return lines;
}

/** ZWSP is only a line-break hint and the soft hyphen is invisible: neither is drawn */
function visible(text: string): string {
  return text.replaceAll(ZWSP, "").replaceAll(SOFT_HYPHEN, "");
}

type Align = "left" | "right" | "center";

/** draws wrapped text in a box of `width`; returns the y below it */
function textBlock(doc: Doc, text: string, x: number, y: number, width: number, style: TextStyle, align: Align = "left"): number {
  let cy = y;
  for (const line of wrapText(text, width, style)) {
    drawAligned(doc, line, x, cy, width, style, align);
    cy += lineHeight(style.size);
  }
  return cy;
}

function drawAligned(doc: Doc, line: string, x: number, y: number, width: number, style: TextStyle, align: Align): void {
  const free = width - measure(line, style);
  const dx = align === "right" ? free : align === "center" ? free / 2 : 0;
  drawLine(doc, line, x + Math.max(0, dx), y, style);
}

function blockHeight(doc: Doc, text: string, width: number, style: TextStyle): number {
  return wrapText(text, width, style).length * lineHeight(style.size);
}

// ---------------------------------------------------------------------------------------------
// Layout

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 50;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const RIGHT = PAGE.width - MARGIN;
const FOOTER_TOP = PAGE.height - MARGIN - 16; // the footer sits in the bottom margin band
const CONTENT_BOTTOM = FOOTER_TOP - 14;
const AMOUNT_WIDTH = 140;
const CELL_PAD = 6;
const COLORS = {
  text: "#111827",
  muted: "#6b7280",
  rule: "#e5e7eb",
  headerFill: "#f3f4f6",
  panelFill: "#f9fafb",
  invoice: "#1e3a8a",
  receipt: "#047857",
};

/** a label/value list laid out as two columns; returns the y below it */
function metaRows(doc: Doc, rows: Array<[string, string]>, x: number, y: number, width: number): number {
  const labelWidth = width * 0.42;
  const valueWidth = width - labelWidth - 8;
  let cy = y;
  for (const [label, value] of rows) {
    const a = textBlock(doc, label, x, cy, labelWidth, { size: 9, color: COLORS.muted });
    const b = textBlock(doc, value, x + labelWidth + 8, cy, valueWidth, { size: 9.5 }, "right");
    cy = Math.max(a, b) + 2;
  }
  return cy;
}

/**
 * The largest logo embedded. Callers pass the upload's bounded PNG (server/files/logo.ts: at most
 * 512 px); anything declaring more (a decompression bomb) is refused from its header, before pdfkit
 * would copy or decode its pixel data.
 */
const MAX_LOGO_SIDE = 2048;

/** width and height from a PNG's IHDR chunk */
function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString("latin1", 12, 16) !== "IHDR")
    throw new Error("logo is not a PNG");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (!width || !height) throw new Error("logo has no size");
  if (width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE) throw new Error(`logo declares ${width} × ${height} pixels`);
  return { width, height };
}

function header(doc: Doc, input: BillingDocument, accent: string): number {
  const leftWidth = CONTENT_WIDTH * 0.5;
  const rightX = MARGIN + CONTENT_WIDTH * 0.55;
  const rightWidth = RIGHT - rightX;

  // issuer, top left
  let left = MARGIN;
  const logo = input.issuer.logoPng;
  if (logo && logo.length > 0) {
    try {
      const size = pngSize(logo);
      const scale = Math.min(140 / size.width, 52 / size.height, 1);
      doc.image(logo, MARGIN, left, { width: size.width * scale, height: size.height * scale });
      left += size.height * scale + 10;
    } catch (error) {
      // a broken logo must not block the invoice itself
      logger.warn({ err: error, number: input.number }, "billing pdf: logo could not be embedded");
    }
  }
  left = textBlock(doc, input.issuer.name, MARGIN, left, leftWidth, { size: 13, bold: true });
  for (const line of input.issuer.lines) {
    left = textBlock(doc, line, MARGIN, left, leftWidth, { size: 9, color: COLORS.muted });
  }

  // title and number, top right
  let right = textBlock(doc, input.labels.title, rightX, MARGIN - 4, rightWidth, { size: 22, bold: true, color: accent }, "right");
  right += 4;
  const rows: Array<[string, string]> = [
    [input.labels.number, input.number],
    [input.labels.issued, input.issuedAt],
  ];
  if (input.dueAt) rows.push([input.labels.due, input.dueAt]);
  if (input.paidAt) rows.push([input.labels.paid, input.paidAt]);
  if (input.period) rows.push([input.labels.period, input.period]);
  right = metaRows(doc, rows, rightX, right, rightWidth);

  let y = Math.max(left, right) + 18;
  doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(1).strokeColor(accent).stroke();
  y += 14;

  // bill to
  y = textBlock(doc, input.labels.billTo, MARGIN, y, leftWidth, { size: 9, bold: true, color: COLORS.muted });
  y = textBlock(doc, input.billTo.name, MARGIN, y, leftWidth, { size: 11, bold: true });
  for (const line of input.billTo.lines) {
    y = textBlock(doc, line, MARGIN, y, leftWidth, { size: 9.5, color: COLORS.muted });
  }
  return y + 20;
}

function tableHeader(doc: Doc, input: BillingDocument, y: number): number {
  const style: TextStyle = { size: 9, bold: true, color: COLORS.muted };
  const descWidth = CONTENT_WIDTH - AMOUNT_WIDTH - 3 * CELL_PAD;
  const height =
    Math.max(blockHeight(doc, input.labels.description, descWidth, style), blockHeight(doc, input.labels.amount, AMOUNT_WIDTH, style)) +
    2 * CELL_PAD;
  doc.rect(MARGIN, y, CONTENT_WIDTH, height).fillColor(COLORS.headerFill).fill();
  textBlock(doc, input.labels.description, MARGIN + CELL_PAD, y + CELL_PAD, descWidth, style);
  textBlock(doc, input.labels.amount, RIGHT - CELL_PAD - AMOUNT_WIDTH, y + CELL_PAD, AMOUNT_WIDTH, style, "right");
  return y + height;
}

function table(doc: Doc, input: BillingDocument, startY: number): number {
  const style: TextStyle = { size: 10 };
  const lh = lineHeight(style.size);
  const descX = MARGIN + CELL_PAD;
  const descWidth = CONTENT_WIDTH - AMOUNT_WIDTH - 3 * CELL_PAD;
  const amountX = RIGHT - CELL_PAD - AMOUNT_WIDTH;

  const newPage = () => {
    doc.addPage();
    return tableHeader(doc, input, MARGIN);
  };
  let y = startY + lh * 2 > CONTENT_BOTTOM ? newPage() : tableHeader(doc, input, startY);

  for (const line of input.lines) {
    const desc = wrapText(line.description, descWidth, style);
    const amount = wrapText(line.amount, AMOUNT_WIDTH, style);
    const rows = Math.max(desc.length, amount.length);
    const height = rows * lh + 2 * CELL_PAD;
    // keep a row on one page when it fits on one; a row taller than a page flows over
    if (y + height > CONTENT_BOTTOM && height <= CONTENT_BOTTOM - MARGIN - 40) y = newPage();
    y += CELL_PAD;
    for (let i = 0; i < rows; i++) {
      if (y + lh > CONTENT_BOTTOM) y = newPage() + CELL_PAD;
      const d = desc[i];
      const a = amount[i];
      if (d) drawLine(doc, d, descX, y, style);
      if (a) drawAligned(doc, a, amountX, y, AMOUNT_WIDTH, style, "right");
      y += lh;
    }
    y += CELL_PAD;
    doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  }
  return y;
}

/** starts a new page when `height` does not fit below y */
function reserve(doc: Doc, y: number, height: number): number {
  if (y + height <= CONTENT_BOTTOM) return y;
  doc.addPage();
  return MARGIN;
}

function totals(doc: Doc, input: BillingDocument, y: number, accent: string): number {
  const labelStyle: TextStyle = { size: 11, bold: true };
  const valueStyle: TextStyle = { size: 13, bold: true, color: accent };
  const labelWidth = 140;
  const x = RIGHT - CELL_PAD - AMOUNT_WIDTH - CELL_PAD - labelWidth;
  const height =
    Math.max(blockHeight(doc, input.labels.total, labelWidth, labelStyle), blockHeight(doc, input.total, AMOUNT_WIDTH, valueStyle)) + 12;
  let cy = reserve(doc, y + 8, height + 8);
  doc.moveTo(x, cy).lineTo(RIGHT, cy).lineWidth(1.2).strokeColor(COLORS.text).stroke();
  cy += 8;
  textBlock(doc, input.labels.total, x, cy + 2, labelWidth, labelStyle, "right");
  textBlock(doc, input.total, RIGHT - CELL_PAD - AMOUNT_WIDTH, cy, AMOUNT_WIDTH, valueStyle, "right");
  return cy + height;
}

function paymentPanel(doc: Doc, input: BillingDocument, y: number, accent: string): number {
  const rows: Array<[string, string]> = [[input.labels.status, input.statusText]];
  if (input.payment?.method) rows.push([input.labels.method, input.payment.method]);
  if (input.payment?.reference) rows.push([input.labels.reference, input.payment.reference]);

  const width = CONTENT_WIDTH * 0.55;
  const inner = width - 24;
  const labelWidth = inner * 0.38;
  const valueWidth = inner - labelWidth - 8;
  const labelStyle: TextStyle = { size: 9, color: COLORS.muted };
  const valueStyle: TextStyle = { size: 10, bold: true };
  const heights = rows.map(([label, value], i) =>
    Math.max(
      blockHeight(doc, label, labelWidth, labelStyle),
      blockHeight(doc, value, valueWidth, i === 0 ? { ...valueStyle, color: accent } : valueStyle),
    ),
  );
  const height = heights.reduce((sum, h) => sum + h + 2, 0) + 20;

  const top = reserve(doc, y + 24, height);
  doc.rect(MARGIN, top, width, height).fillColor(COLORS.panelFill).fill();
  doc.rect(MARGIN, top, 3, height).fillColor(accent).fill();
  let cy = top + 10;
  rows.forEach(([label, value], i) => {
    textBlock(doc, label, MARGIN + 14, cy, labelWidth, labelStyle);
    textBlock(doc, value, MARGIN + 14 + labelWidth + 8, cy, valueWidth, i === 0 ? { ...valueStyle, color: accent } : valueStyle);
    cy += (heights[i] ?? 0) + 2;
  });
  return top + height;
}

function footers(doc: Doc, input: BillingDocument): void {
  const range = doc.bufferedPageRange();
  const pageStyle: TextStyle = { size: 8, color: COLORS.muted };
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .moveTo(MARGIN, FOOTER_TOP - 6)
      .lineTo(RIGHT, FOOTER_TOP - 6)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    const pageText = `${input.number}  |  ${i - range.start + 1} / ${range.count}`;
    const pageWidth = 140;
    drawAligned(doc, pageText, RIGHT - pageWidth, FOOTER_TOP, pageWidth, pageStyle, "right");
    if (input.footer) {
      // two lines at most: the footer band is fixed
      const lines = wrapText(input.footer, CONTENT_WIDTH - pageWidth - 12, pageStyle).slice(0, 2);
      lines.forEach((line, n) => drawLine(doc, line, MARGIN, FOOTER_TOP + n * lineHeight(pageStyle.size), pageStyle));
    }
  }
}

/** renders an invoice or receipt as an A4 PDF */
export async function renderBillingPdf(input: BillingDocument): Promise<Buffer> {
  const accent = input.kind === "receipt" ? COLORS.receipt : COLORS.invoice;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: input.locale === "km" ? "km-KH" : "en",
    displayTitle: true,
    info: {
      Title: input.number,
      Subject: input.labels.title,
      Author: input.issuer.name,
      Creator: "Phteah",
      Producer: "Phteah",
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  let y = header(doc, input, accent);
  y = table(doc, input, y);
  y = totals(doc, input, y, accent);
  paymentPanel(doc, input, y, accent);
  footers(doc, input);

  doc.end();
  return done;
}
