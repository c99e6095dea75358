// What an upload really is, from its bytes (never from its name or the browser's Content-Type).
// Only PNG, JPEG, WebP (with a parsable header and a non-zero size) and PDF are recognised;
// everything else (SVG, HTML, executables, archives, truncated headers) is `null` and refused.
// The declared size is read here, from the header alone, so that lib/files/image-limits.ts can
// refuse a decompression bomb before anything decodes it.
import { PDF_MIME_TYPE, type FileKind, type StoredMimeType } from "./purposes";

export type SniffedFile =
  | { kind: Extract<FileKind, "image">; mimeType: Exclude<StoredMimeType, typeof PDF_MIME_TYPE>; width: number; height: number }
  | { kind: Extract<FileKind, "pdf">; mimeType: typeof PDF_MIME_TYPE };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return "";
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (!startsWith(b, PNG_SIGNATURE) || b.length < 24) return null;
  if (u32be(b, 8) !== 13 || ascii(b, 12, 4) !== "IHDR") return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  if (!startsWith(b, [0xff, 0xd8, 0xff])) return null;
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    while (b[i + 1] === 0xff && i + 2 < b.length) i++; // fill bytes
    const marker = b[i + 1]!;
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan data before any frame header
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (i + 4 > b.length) return null;
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrameHeader) {
      if (i + 9 > b.length) return null;
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  if (ascii(b, 0, 4) !== "RIFF" || ascii(b, 8, 4) !== "WEBP") return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 ") {
    if (b.length < 30 || !startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (b.length < 25 || b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") {
    if (b.length < 30) return null;
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return null;
}

/** A size to check against the purpose's limits (lib/files/image-limits.ts); zero is no image at all. */
function saneSize(size: { width: number; height: number } | null): size is { width: number; height: number } {
  return !!size && size.width >= 1 && size.height >= 1;
}

/** A PNG's bit depth per channel from its IHDR (16-bit images decode to twice the bytes); 8 otherwise. */
export function pngBitDepth(bytes: Uint8Array): number {
  return pngSize(bytes) && bytes.length > 24 ? bytes[24]! : 8;
}

/** The file's real type from its content, or null when it is not one we store. */
export function sniffFile(bytes: Uint8Array): SniffedFile | null {
  const png = pngSize(bytes);
  if (png) return saneSize(png) ? { kind: "image", mimeType: "image/png", ...png } : null;
  const jpeg = jpegSize(bytes);
  if (jpeg) return saneSize(jpeg) ? { kind: "image", mimeType: "image/jpeg", ...jpeg } : null;
  const webp = webpSize(bytes);
  if (webp) return saneSize(webp) ? { kind: "image", mimeType: "image/webp", ...webp } : null;
  if (ascii(bytes, 0, 5) === "%PDF-") return { kind: "pdf", mimeType: PDF_MIME_TYPE };
  return null;
}
