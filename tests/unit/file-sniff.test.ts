// The upload type check: only what the bytes prove (PNG/JPEG/WebP with a parsable header and
// sane dimensions, PDF) is accepted; names and claimed types never count.
import { describe, expect, it } from "vitest";
import { pngBitDepth, sniffFile } from "@/lib/files/sniff";
import { IMAGE_LIMITS, imageSizeProblem } from "@/lib/files/image-limits";
import { acceptFor } from "@/lib/files/purposes";
import { privateFileUrl, publicFileUrl } from "@/lib/files/urls";
import {
  makeBombPng,
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

  it("refuses SVG, HTML, executables, GIF, text, truncated headers and zero dimensions", () => {
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
    // HTML that starts with a PDF-looking comment is still only ever served as application/pdf + nosniff
    expect(sniffFile(Buffer.from("<html>%PDF-1.4"))).toBeNull();
  });

  it("reads the declared size of absurd images from the header alone, for the purpose's limits to refuse", () => {
    const bomb = sniffFile(makeBombPng(50_000, 50_000));
    expect(bomb).toEqual({ kind: "image", mimeType: "image/png", width: 50_000, height: 50_000 });
    expect(imageSizeProblem(bomb as { mimeType: string; width: number; height: number }, IMAGE_LIMITS.property_photo)).toEqual({
      width: 50_000,
      height: 50_000,
      maxSide: 16_384,
      maxMegapixels: 40,
    });
    const header = (width: number, height: number, bitDepth = 8) => ({ mimeType: "image/webp", width, height, bitDepth });
    expect(sniffFile(webpExtended(16_385, 10))).toMatchObject({ width: 16_385, height: 10 });
    expect(imageSizeProblem(header(16_385, 10), IMAGE_LIMITS.property_photo)).not.toBeNull(); // a side over the bound
    expect(imageSizeProblem(header(7_000, 7_000), IMAGE_LIMITS.renter_id)).not.toBeNull(); // 49 megapixels
    expect(imageSizeProblem(header(16_000, 2_000), IMAGE_LIMITS.property_photo)).toBeNull(); // a panorama
    expect(imageSizeProblem(header(8_000, 5_000), IMAGE_LIMITS.contract_scan)).toBeNull(); // 40 MP exactly
    expect(imageSizeProblem(header(6_000, 4_000, 16), IMAGE_LIMITS.property_photo)).not.toBeNull(); // 16-bit: 384 MB decoded
    expect(imageSizeProblem(header(5_000, 5_000), IMAGE_LIMITS.tenant_logo)).toMatchObject({ maxMegapixels: 16 });
    expect(imageSizeProblem(header(4_000, 3_000), IMAGE_LIMITS.tenant_logo)).toBeNull();
    expect(pngBitDepth(makePng(2, 2))).toBe(8);
  });

  it("purposes and URLs", () => {
    expect(acceptFor("property_photo")).toBe("image/png,image/jpeg,image/webp");
    expect(acceptFor("tenant_logo")).toBe("image/png,image/jpeg");
    expect(acceptFor("renter_id")).toBe("image/png,image/jpeg,image/webp,application/pdf");
    expect(privateFileUrl("abc")).toBe("/files/abc");
    expect(publicFileUrl("abc")).toBe("/files/public/abc");
  });
});
