import "server-only";
import sharp from "sharp";
import type { FilePurpose } from "@/lib/files/purposes";
import { IMAGE_LIMITS, imageSizeProblem, type ImageLimits } from "@/lib/files/image-limits";
import { pngBitDepth, sniffFile } from "@/lib/files/sniff";

// The one place images are decoded (sharp/libvips). Every caller has already checked the declared
// size from the header (lib/files/image-limits.ts); sharp's own pixel limit is the second wall, a
// timeout bounds the work, and one image is decoded at a time per server process so that two
// large uploads never hold two full decodes in memory at once. Any decoder complaint (bad CRC,
// truncated data, garbage after the header) makes the image "damaged": refused at upload, left
// out of PDFs.

sharp.cache(false); // nothing decoded stays in memory after the request

const DECODE_TIMEOUT_SECONDS = 20;
const JPEG = { quality: 82, mozjpeg: true } as const;
const SCAN_JPEG = { quality: 88, mozjpeg: true } as const;

export type StoredImageType = "image/png" | "image/jpeg" | "image/webp";

export class DamagedImageError extends Error {
  constructor(cause: unknown) {
    super("the image could not be decoded", { cause });
    this.name = "DamagedImageError";
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `work` after every earlier decode in this process has finished. */
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

function decoder(bytes: Uint8Array, limits: ImageLimits): ReturnType<typeof sharp> {
  return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "warning", pages: 1 })
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
    .rotate() // applies the EXIF orientation; the output carries no EXIF, GPS, XMP or ICC metadata
    .resize({ width: limits.maxStoredSide, height: limits.maxStoredSide, fit: "inside", withoutEnlargement: true });
}

/**
 * Decodes `bytes` (whose header already passed `limits`) and encodes them again, bounded and
 * without metadata: logos as PNG (what the PDFs embed), photos and scans as JPEG, or WebP when
 * they have transparency. Throws DamagedImageError when the image does not decode cleanly.
 */
export function reencodeImage(
  bytes: Uint8Array,
  purpose: FilePurpose,
  limits: ImageLimits = IMAGE_LIMITS[purpose],
): Promise<{ bytes: Buffer; mimeType: StoredImageType }> {
  return oneAtATime(async () => {
    try {
      if (purpose === "tenant_logo") {
        return { bytes: await decoder(bytes, limits).png({ compressionLevel: 9 }).toBuffer(), mimeType: "image/png" };
      }
      const { hasAlpha } = await sharp(bytes, { limitInputPixels: limits.maxPixels }).metadata();
      const quality = purpose === "property_photo" ? JPEG : SCAN_JPEG;
      if (hasAlpha) return { bytes: await decoder(bytes, limits).webp({ quality: quality.quality }).toBuffer(), mimeType: "image/webp" };
      return { bytes: await decoder(bytes, limits).jpeg(quality).toBuffer(), mimeType: "image/jpeg" };
    } catch (e) {
      throw new DamagedImageError(e);
    }
  });
}

/**
 * A stored logo made safe to embed in a PDF: a PNG of at most 512 px, or null (with the reason)
 * when it is not an image, declares a size over the logo limits, or does not decode. Logos
 * uploaded since the upload re-encode already are such PNGs; this guards older ones.
 */
export async function logoForPdf(bytes: Uint8Array): Promise<{ png: Buffer } | { problem: string }> {
  const sniffed = sniffFile(bytes);
  if (sniffed?.kind !== "image") return { problem: "not an image" };
  const header = { ...sniffed, bitDepth: sniffed.mimeType === "image/png" ? pngBitDepth(bytes) : 8 };
  const tooLarge = imageSizeProblem(header, IMAGE_LIMITS.tenant_logo);
  if (tooLarge) return { problem: `declares ${tooLarge.width} × ${tooLarge.height} pixels` };
  try {
    return { png: (await reencodeImage(bytes, "tenant_logo")).bytes };
  } catch (e) {
    return { problem: e instanceof DamagedImageError && e.cause instanceof Error ? e.cause.message : "does not decode" };
  }
}
