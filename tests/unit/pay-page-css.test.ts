// The renter pay page's inline CSS (server/pay-page/styles.generated.ts) and fonts (public/fonts/) are
// generated ahead by scripts/pay-page-css.ts (Tailwind is a development tool, not installed in
// production): this fails when either is stale, e.g. a class added to the page but not regenerated.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPayPageCss, GENERATED, PAY_PAGE_FONTS } from "../../scripts/pay-page-css";

const ROOT = path.resolve(__dirname, "../..");

describe("the pay page's generated CSS and fonts", () => {
  it("styles.generated.ts is what `npx tsx scripts/pay-page-css.ts` makes now", async () => {
    expect(readFileSync(GENERATED, "utf8")).toBe(await buildPayPageCss());
  }, 30_000);

  it("has the page's classes (the live part's too) and the Khmer font", () => {
    const css = readFileSync(GENERATED, "utf8");
    for (const cls of [
      "bg-slate-50",
      "max-w-\\\\[18rem\\\\]",
      "sm\\\\:hidden",
      "tabular-nums",
      "font-mono",
      "blur-\\\\[2px\\\\]",
      "border-dashed",
    ])
      expect(css, cls).toContain(`.${cls}`);
    expect(css).toContain("Noto Sans Khmer");
    expect(css).toContain("/fonts/noto-sans-khmer-khmer-400-normal.woff2");
  });

  it("public/fonts/ holds the very files app/fonts.ts bundles", () => {
    for (const [name, from] of Object.entries(PAY_PAGE_FONTS))
      expect(readFileSync(path.join(ROOT, "public/fonts", name)).equals(readFileSync(path.join(ROOT, from))), name).toBe(true);
  });
});
