// The upload type check: only what the bytes prove (PNG/JPEG/WebP with a parsable header and
// sane dimensions, PDF) is accepted; names and claimed types never count.
import { describe, expect, it } from "vitest";
import { MAX_IMAGE_SIDE, sniffFile } from "@/lib/files/sniff";
import { acceptFor } from "@/lib/files/purposes";
import { privateFileUrl, publicFileUrl } from "@/lib/files/urls";
import {
  makePng,
  SAMPLE_EXE,
  SAMPLE_HTML,
  SAMPLE_JPEG,
  SAMPLE_PDF,
  SAMPLE_SVG,
  SAMPLE_WEBP,
  SAMPLE_WEBP_LOSSLESS,
} from "@/server/testing/sample-files";

function webpExtended(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write("RIFF", 0, "ascii");
  b.writeUInt32LE(22, 4);
  b.write("WEBP", 8, "ascii");
  b.write("VP8X", 12, "ascii");
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

function jpegWithExif(width: number, height: number): Buffer {
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, 0x08]), Buffer.from("Exif\0\0")]);
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sof, Buffer.from([0xff, 0xd9])]);
}

describe("sniffFile", () => {
  it("recognises PNG, JPEG (baseline/progressive, after APPn segments), WebP (lossy, lossless, extended) and PDF", () => {
    expect(sniffFile(makePng(640, 480))).toEqual({ kind: "image", mimeType: "image/png", width: 640, height: 480 });
    expect(sniffFile(SAMPLE_JPEG)).toEqual({ kind: "image", mimeType: "image/jpeg", width: 1, height: 1 });
    expect(sniffFile(jpegWithExif(4032, 3024))).toEqual({ kind: "image", mimeType: "image/jpeg", width: 4032, height: 3024 });
    expect(sniffFile(SAMPLE_WEBP)).toMatchObject({ mimeType: "image/webp", width: 1, height: 1 });
    expect(sniffFile(SAMPLE_WEBP_LOSSLESS)).toMatchObject({ mimeType: "image/webp", width: 1, height: 1 });
    expect(sniffFile(webpExtended(1920, 1080))).toMatchObject({ mimeType: "image/webp", width: 1920, height: 1080 });
    expect(sniffFile(SAMPLE_PDF)).toEqual({ kind: "pdf", mimeType: "application/pdf" });
  });

  it("refuses SVG, HTML, executables, GIF, text, truncated headers and absurd dimensions", () => {
    for (const bytes of [
      SAMPLE_SVG,
      SAMPLE_HTML,
      SAMPLE_EXE,
      Buffer.from("GIF89a\x01\x00\x01\x00"),
      Buffer.from("hello"),
      Buffer.alloc(0),
    ]) {
      expect(sniffFile(bytes)).toBeNull();
    }
    expect(sniffFile(makePng(4, 4).subarray(0, 20))).toBeNull();
    expect(sniffFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBeNull();
    expect(sniffFile(jpegWithExif(0, 10))).toBeNull();
    expect(sniffFile(webpExtended(MAX_IMAGE_SIDE + 1, 10))).toBeNull();
    expect(sniffFile(webpExtended(15_000, 15_000))).toBeNull(); // 225 megapixels
    // HTML that starts with a PDF-looking comment is still only ever served as application/pdf + nosniff
    expect(sniffFile(Buffer.from("<html>%PDF-1.4"))).toBeNull();
  });

  it("purposes and URLs", () => {
    expect(acceptFor("property_photo")).toBe("image/png,image/jpeg,image/webp");
    expect(acceptFor("tenant_logo")).toBe("image/png,image/jpeg");
    expect(acceptFor("renter_id")).toBe("image/png,image/jpeg,image/webp,application/pdf");
    expect(privateFileUrl("abc")).toBe("/files/abc");
    expect(publicFileUrl("abc")).toBe("/files/public/abc");
  });
});
