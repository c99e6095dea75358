// The staging banner (components/layout/staging-banner-static.tsx): what the root layout shows on every
// page of an APP_ENV=staging server, in the reader's language (English and Khmer).
import { readFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createTranslator, type Locale } from "@/lib/i18n";
import { StagingBannerStatic } from "@/components/layout/staging-banner-static";

/** as the root layout renders it: its words translated on the server */
function render(locale: Locale): string {
  return renderToString(createElement(StagingBannerStatic, { text: createTranslator(locale)("app.stagingBanner") }));
}

describe("the staging banner", () => {
  it("says in English and in Khmer that this is a staging copy", () => {
    const en = render("en");
    expect(en).toContain('data-testid="staging-banner"');
    expect(en).toContain("Staging: a test copy with anonymised data.");
    const km = render("km");
    expect(km).toContain("កំណែសាកល្បង");
    expect(km).not.toContain("a test copy");
  });

  it("is rendered by the root layout and the pay page, above every page, exactly when APP_ENV=staging", () => {
    const layout = readFileSync(path.resolve(__dirname, "../../app/(app)/layout.tsx"), "utf8");
    expect(layout).toContain('{getEnv().APP_ENV === "staging" && <StagingBannerStatic text={t("app.stagingBanner")} />}');
    expect(layout.indexOf("<StagingBannerStatic ")).toBeLessThan(layout.indexOf("{children}"));
    // the renter pay page (server/pay-page/render.public.ts; document.ts draws the same banner above
    // the page when given its text; tests/unit/pay-page.test.ts)
    const pay = readFileSync(path.resolve(__dirname, "../../server/pay-page/render.public.ts"), "utf8");
    expect(pay).toContain('staging: env.APP_ENV === "staging" ? t("app.stagingBanner") : null');
  });
});
