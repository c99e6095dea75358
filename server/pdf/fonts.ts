import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inflateSync } from "node:zlib";

// The PDFs' font: Noto Sans Khmer from fontsource, which ships it split by unicode-range (the
// "khmer" file also carries basic ASCII, the "latin"/"latin-ext" files carry the rest of Latin).
// Each file is read and unpacked from WOFF once per process, parsed once by fontkit (pdfkit's own
// shaper) and patched where fontkit mis-positions Khmer marks.

const FONT_PACKAGE = "@fontsource/noto-sans-khmer";
export const SUBSETS = ["khmer", "latin", "latin-ext"] as const;
export type Subset = (typeof SUBSETS)[number];
export type Weight = 400 | 700;
export type FontKey = `${Subset}-${Weight}`;

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
export function parsedFont(key: FontKey): ParsedFont {
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
