// Issue 17, fast on phones: the signed-in shell and the workspace home are server components; the
// browser hydrates only small islands (the drawer toggle and current menu entry, the language select,
// the sign-out button, the checklist's hide button, the refresh on return),
// and none of them translates: the words come from the server, so hydration parses no message
// (intl-messageformat) and builds no formatter. A client component of the shell or the home that calls
// useI18n or next-intl's hooks fails here, the banners shown only in rare states included (there is no
// translator above the home to give them words: tests/unit/page-message-scopes.test.ts).
import { describe, expect, it } from "vitest";
import { importClosure, readSource as read } from "../support/imports";

const TENANT = "app/(app)/t/[tenant]";
const HOME = [`${TENANT}/(home)/layout.tsx`, `${TENANT}/(home)/page.tsx`];

const isClient = (file: string) => /^["']use client["'];?\s*$/m.test(read(file).split("\n").slice(0, 3).join("\n"));
const translates = (file: string) => /\buse(I18n|Translations|Messages|Formatter|Locale)\(/.test(read(file));

describe("the workspace home hydrates no translator", () => {
  const files = importClosure(HOME, { keep: (f) => !f.startsWith("server/"), follow: (f) => !f.startsWith("lib/i18n/") });

  it("its shell, figures and checklist are server components", () => {
    for (const file of [
      "components/layout/app-shell.tsx",
      "components/dashboard/dashboard-view.tsx",
      "components/dashboard/onboarding-checklist.tsx",
      // drawn in HTML and CSS: a chart drawn in the browser measured its box and drew again after
      // hydration, the home's longest task on a phone (Lighthouse)
      "components/dashboard/billed-collected-chart.tsx",
      // shown while a plan needs paying
      "components/billing/subscription-banner.tsx",
      `${TENANT}/_components/workspace-shell.tsx`,
    ]) {
      expect(files, file).toContain(file);
      expect(isClient(file), file).toBe(false);
    }
  });

  it("its client islands get their words from the server", () => {
    const islands = [...files].filter((f) => (f.endsWith(".tsx") || f.endsWith(".ts")) && !f.startsWith("lib/i18n/") && isClient(f));
    for (const island of [
      "components/layout/shell-frame.tsx",
      "components/layout/language-select.tsx",
      "components/layout/sign-out.tsx",
      "components/dashboard/checklist-frame.tsx",
      "components/dashboard/refresh-on-return.tsx",
    ])
      expect(islands, island).toContain(island);
    expect(islands).toContain("components/layout/impersonation-banner.tsx");
    expect(islands.filter((f) => translates(f))).toEqual([]);
    // nothing of the home is loaded later on its own (next/dynamic): what it shows is there at first paint
    expect([...files].filter((f) => /\bnext\/dynamic\b/.test(read(f)))).toEqual([]);
  });

  it("downloads neither tRPC's client nor react-query: no layout above the home imports them", () => {
    // a segment's client modules are downloaded with every page under it, rendered or not: what the
    // home, its layouts and the layouts above it import (server components and client islands alike)
    const modules = importClosure(["app/(app)/layout.tsx", `${TENANT}/layout.tsx`, ...HOME], {
      keep: (f) => !f.startsWith("server/") || f === "server/core/reader-i18n.ts",
      // server-only modules (the catalogs, the server's translator) never reach the browser
      follow: (f) => !f.startsWith("server/") && !/^import "server-only";$/m.test(read(f)),
      specifiers: true,
    });
    expect(modules).toContain("components/dashboard/checklist-frame.tsx");
    expect(modules).toContain("components/settings/restore-workspace-button.tsx");
    expect([...modules].filter((m) => /^(@\/)?lib\/trpc\/client|^@tanstack\/react-query|^@trpc\//.test(m))).toEqual([]);
    // the pages that use them get their provider from their own layer: the workspace's other pages,
    // the apex's and the console's
    expect(read("server/core/app-providers.tsx")).toMatch(/<I18nProvider [^]*<TRPCReactProvider>/);
    for (const layout of ["app/(app)/(marketing)/layout.tsx", "app/(app)/admin/layout.tsx"])
      expect(read(layout), layout).toMatch(/^export \{ default \} from "@\/server\/core\/app-providers";$/m);
  });
});
