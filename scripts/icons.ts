// Generates the app icons in public/ from one drawing (run once, the output is committed):
//   npx tsx scripts/icons.ts
// favicon.ico (16, 32 and 48 px PNGs in one ICO), icons/icon-192.png, icons/icon-512.png,
// icons/icon-maskable-512.png (the house inside the 80 % safe zone, background to the edges),
// apple-touch-icon.png (180 px, opaque) and icons/icon.svg. app/manifest.ts and the root layout's
// metadata point at them; proxy.ts leaves these paths alone on every host.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

const BRAND = "#0f766e"; // Tailwind teal-700, the product's accent
const root = path.resolve(import.meta.dirname, "..", "public");

/** A house (ផ្ទះ, "phteah") with a door, white on the brand colour; `inset` shrinks it into the maskable safe zone. */
function drawing(rounded: boolean, inset = 0): string {
  const s = 512;
  const k = 1 - inset * 2;
  const o = s * inset;
  const t = (x: number) => (o + x * k).toFixed(1);
  const house = `M${t(256)} ${t(96)} L${t(432)} ${t(240)} L${t(392)} ${t(240)} L${t(392)} ${t(416)} L${t(120)} ${t(416)} L${t(120)} ${t(240)} L${t(80)} ${t(240)} Z`;
  const door = `M${t(224)} ${t(416)} L${t(224)} ${t(316)} Q${t(224)} ${t(296)} ${t(244)} ${t(296)} L${t(268)} ${t(296)} Q${t(288)} ${t(296)} ${t(288)} ${t(316)} L${t(288)} ${t(416)} Z`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${s} ${s}">
  <rect width="${s}" height="${s}" rx="${rounded ? 112 : 0}" fill="${BRAND}"/>
  <path d="${house}" fill="#ffffff" stroke="#ffffff" stroke-width="${(24 * k).toFixed(1)}" stroke-linejoin="round"/>
  <path d="${door}" fill="${BRAND}"/>
</svg>
`;
}

async function png(svg: string, size: number): Promise<Buffer> {
  return sharp(Buffer.from(svg)).resize(size, size).png({ compressionLevel: 9 }).toBuffer();
}

/** An ICO holding PNG images (supported by every browser since Windows Vista's format revision). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

async function main() {
  mkdirSync(path.join(root, "icons"), { recursive: true });
  const rounded = drawing(true);
  const square = drawing(false);
  const maskable = drawing(false, 0.1);
  writeFileSync(path.join(root, "icons", "icon.svg"), rounded);
  writeFileSync(path.join(root, "icons", "icon-192.png"), await png(rounded, 192));
  writeFileSync(path.join(root, "icons", "icon-512.png"), await png(rounded, 512));
  writeFileSync(path.join(root, "icons", "icon-maskable-512.png"), await png(maskable, 512));
  // iOS rounds the corners itself and shows transparency as black: a full square
  writeFileSync(path.join(root, "apple-touch-icon.png"), await png(square, 180));
  const sizes = [16, 32, 48];
  writeFileSync(
    path.join(root, "favicon.ico"),
    ico(await Promise.all(sizes.map(async (size) => ({ size, data: await png(rounded, size) })))),
  );
  console.log(`icons written to ${root}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
