import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { logger } from "@/server/core/observability/logger";

// The editors' preview shows the e-mail in a sandboxed iframe, which cannot use the app's own
// fonts: the preview (never a sent e-mail) carries Noto Sans Khmer inline, so Khmer reads the same
// on every computer, with or without a Khmer system font.

const FILE = "noto-sans-khmer-khmer-400-normal.woff2";
let cached: string | null | undefined;

function fontFile(): string {
  // `next start` runs from the project root; the fallback covers tools started elsewhere
  const fromCwd = path.join(process.cwd(), "node_modules/@fontsource/noto-sans-khmer/files", FILE);
  if (existsSync(fromCwd)) return fromCwd;
  return createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ `@fontsource/noto-sans-khmer/files/${FILE}`);
}

/** A data: URL of the Khmer font (read once per process), or undefined when it cannot be read. */
export function previewFontUrl(): string | undefined {
  if (cached === undefined) {
    try {
      cached = `data:font/woff2;base64,${readFileSync(/* turbopackIgnore: true */ fontFile()).toString("base64")}`;
    } catch (e) {
      logger.warn({ err: e }, "template preview: Noto Sans Khmer not found, the preview uses system fonts");
      cached = null;
    }
  }
  return cached ?? undefined;
}
