import "server-only";
import { parsedFont, SUBSETS, type FontKey, type Weight } from "./fonts";

// Text for the PDFs: per-character font choice, measuring, wrapping and drawing. Line breaking is
// done here rather than by pdfkit: pdfkit's breaker has no Khmer dictionary and splits over-long
// words between code points (which would tear clusters apart), while ICU's word segmenter knows
// Khmer words and its grapheme segmenter keeps clusters whole.

/** the colour text is drawn in unless a style says otherwise */
export const TEXT_COLOR = "#111827";

export type Doc = PDFKit.PDFDocument;
export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}
interface Run {
  key: FontKey;
  text: string;
  /** a superscript digit the fonts lack (the ³ of m³): its plain digit, smaller, at the line's top */
  sup?: boolean;
}

/** how much smaller a superscript is drawn */
const SUP_SCALE = 0.68;
const SUPERSCRIPTS: Record<string, string> = {
  "\u2070": "0",
  "\u00B9": "1",
  "\u00B2": "2",
  "\u00B3": "3",
  "\u2074": "4",
  "\u2075": "5",
  "\u2076": "6",
  "\u2077": "7",
  "\u2078": "8",
  "\u2079": "9",
};
// characters our text uses that no embedded Noto Sans Khmer file has, drawn as their nearest
// equivalent that it does have (a reading range "2,000 → 2,150" reads as "2,000 – 2,150");
// anything else without a glyph falls back to its compatibility form (NFKC: "½" → "1/2") when
// that is drawable. tests/unit/pdf-glyph-coverage.test.ts prints every string the PDF can hold.
const SUBSTITUTES: Record<string, string> = {
  "\u2192": "\u2013", // → (readings "from → to", contract "start → end")
  "\u27F6": "\u2013",
  "\u2190": "\u2013",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2212": "-",
};

const hasGlyph = (cp: number, weight: Weight) => SUBSETS.some((subset) => parsedFont(`${subset}-${weight}`).hasGlyphForCodePoint(cp));

/** one character as drawn: itself when a font has it, else its substitute */
function drawable(char: string, weight: Weight): { text: string; sup?: boolean } {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x80 || hasGlyph(cp, weight)) return { text: char };
  const digit = SUPERSCRIPTS[char];
  if (digit) return { text: digit, sup: true };
  const substitute = SUBSTITUTES[char];
  if (substitute) return { text: substitute };
  const compatible = char.normalize("NFKC").replaceAll("\u2044", "/"); // "½" → "1/2"
  if (compatible !== char && [...compatible].every((c) => hasGlyph(c.codePointAt(0) ?? 0, weight))) return { text: compatible };
  return { text: char };
}

const ZWSP = "\u200B";
const SOFT_HYPHEN = "\u00AD";
const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/u;
const SPACE = /^\s+$/u;
const wordSegmenter = new Intl.Segmenter("km", { granularity: "word" });
const graphemeSegmenter = new Intl.Segmenter("km", { granularity: "grapheme" });

export const lineHeight = (size: number) => size * 1.5;

/** splits text into runs of one font each; a character stays in the current run's font when it has it */
function fontRuns(text: string, weight: Weight): Run[] {
  const runs: Run[] = [];
  for (const original of text) {
    const shown = drawable(original, weight);
    for (const char of shown.text) {
      const sup = Boolean(shown.sup);
      const cp = char.codePointAt(0) ?? 0;
      const last = runs.at(-1);
      if (last && Boolean(last.sup) === sup && parsedFont(last.key).hasGlyphForCodePoint(cp)) {
        last.text += char;
        continue;
      }
      const found = SUBSETS.find((subset) => parsedFont(`${subset}-${weight}`).hasGlyphForCodePoint(cp));
      // no glyph anywhere: keep the current font (the PDF shows its .notdef box) rather than drop text
      const key: FontKey = found ? `${found}-${weight}` : (last?.key ?? `khmer-${weight}`);
      if (last && last.key === key && Boolean(last.sup) === sup) last.text += char;
      else runs.push(sup ? { key, text: char, sup } : { key, text: char });
    }
  }
  return runs;
}

/** the characters of `text` that would be drawn as a missing-glyph box (none, for our strings) */
export function undrawableCharacters(text: string, bold = false): string[] {
  const weight: Weight = bold ? 700 : 400;
  return [
    ...new Set(
      [...text].filter((c) => [...drawable(c, weight).text].some((d) => !hasGlyph(d.codePointAt(0) ?? 0, weight) && !/\s/u.test(d))),
    ),
  ];
}

function selectFont(doc: Doc, key: FontKey, size: number): Doc {
  // registered under our own key (both subsets share one PostScript name); pdfkit takes a parsed
  // fontkit font as well as bytes, and this one carries the GPOS fixes of ./fonts.ts
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
  for (const run of fontRuns(text, style.bold ? 700 : 400)) width += advance(run.key, run.text) * (run.sup ? SUP_SCALE : 1);
  return width * style.size;
}

export function drawLine(doc: Doc, text: string, x: number, y: number, style: TextStyle): void {
  let cx = x;
  doc.fillColor(style.color ?? TEXT_COLOR);
  for (const run of fontRuns(text, style.bold ? 700 : 400)) {
    const size = run.sup ? style.size * SUP_SCALE : style.size;
    // a superscript starts at the line's top (pdfkit's y), a little lower than a capital's top
    selectFont(doc, run.key, size).text(run.text, cx, run.sup ? y + style.size * 0.08 : y, { lineBreak: false });
    cx += advance(run.key, run.text) * size;
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
export function wrapText(text: string, maxWidth: number, style: TextStyle): string[] {
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

export type Align = "left" | "right" | "center";

/** draws wrapped text in a box of `width`; returns the y below it */
export function textBlock(doc: Doc, text: string, x: number, y: number, width: number, style: TextStyle, align: Align = "left"): number {
  let cy = y;
  for (const line of wrapText(text, width, style)) {
    drawAligned(doc, line, x, cy, width, style, align);
    cy += lineHeight(style.size);
  }
  return cy;
}

export function drawAligned(doc: Doc, line: string, x: number, y: number, width: number, style: TextStyle, align: Align): void {
  const free = width - measure(line, style);
  const dx = align === "right" ? free : align === "center" ? free / 2 : 0;
  drawLine(doc, line, x + Math.max(0, dx), y, style);
}

export function blockHeight(doc: Doc, text: string, width: number, style: TextStyle): number {
  return wrapText(text, width, style).length * lineHeight(style.size);
}
