// How big an uploaded image may be, checked from its header (lib/files/sniff.ts) before anything
// decodes it, and how big it is stored after the one re-encode at upload
// (server/files/images.ts). A few hundred bytes of PNG can declare a 50,000 × 50,000 canvas
// (a decompression bomb: 7.5 GB once decoded); the header check refuses it without decoding.
import type { FilePurpose } from "./purposes";

export interface ImageLimits {
  /** longest side accepted, in pixels */
  maxSide: number;
  /** width × height accepted */
  maxPixels: number;
  /** the decoded size accepted (width × height × bytes per pixel), so 16-bit PNGs count double */
  maxDecodedBytes: number;
  /** the stored image fits in maxStoredSide × maxStoredSide (never enlarged) */
  maxStoredSide: number;
}

const MEGAPIXEL = 1_000_000;

/** Photos and image scans: a 40 MP phone photo, a long panorama. */
const PHOTO_INPUT = { maxSide: 16_384, maxPixels: 40 * MEGAPIXEL, maxDecodedBytes: 4 * 40 * MEGAPIXEL } as const;

export const IMAGE_LIMITS: Record<FilePurpose, ImageLimits> = {
  property_photo: { ...PHOTO_INPUT, maxStoredSide: 2048 },
  // the logo is drawn about 140 × 52 pt in PDFs and small on screen
  tenant_logo: { maxSide: 8_192, maxPixels: 16 * MEGAPIXEL, maxDecodedBytes: 4 * 16 * MEGAPIXEL, maxStoredSide: 512 },
  // scans keep enough pixels to read an ID card or a contract page
  renter_id: { ...PHOTO_INPUT, maxStoredSide: 3000 },
  contract_scan: { ...PHOTO_INPUT, maxStoredSide: 3000 },
};

export interface ImageHeader {
  mimeType: string;
  width: number;
  height: number;
  /** 16 for 16-bit PNGs; 8 otherwise */
  bitDepth?: number;
}

/** Bytes a decoder may allocate for this image: RGBA, 2 bytes a channel for 16-bit PNGs. */
export function decodedBytes(image: ImageHeader): number {
  return image.width * image.height * 4 * (image.bitDepth === 16 ? 2 : 1);
}

/** Whether the declared size fits `limits`; the parameters of files.errors.imageTooLarge when not. */
export function imageSizeProblem(
  image: ImageHeader,
  limits: ImageLimits,
): { width: number; height: number; maxSide: number; maxMegapixels: number } | null {
  const { width, height } = image;
  const fits =
    width >= 1 &&
    height >= 1 &&
    width <= limits.maxSide &&
    height <= limits.maxSide &&
    width * height <= limits.maxPixels &&
    decodedBytes(image) <= limits.maxDecodedBytes;
  return fits ? null : { width, height, maxSide: limits.maxSide, maxMegapixels: limits.maxPixels / MEGAPIXEL };
}
