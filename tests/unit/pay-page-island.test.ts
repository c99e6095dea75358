// Issue 17, "Fast on phones": the renter pay page loads none of the app's client providers (tRPC,
// react-query, next-intl): it has its own root layout, app/(pay)/layout.tsx, and the page's browser
// code gets its few strings from its own layout (lib/i18n/pay-messages.ts).
import { existsSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { messagesFor } from "@/lib/i18n";
import { payIslandMessages } from "@/lib/i18n/pay-messages";
import { PayI18nProvider, usePayI18n } from "@/components/payments/pay-i18n";
import { importClosure, messageAt, readSource as read } from "../support/imports";

const ISLAND = ["components/payments/pay-page.tsx", "app/(pay)/t/[tenant]/pay/[token]/error.tsx"];
/** what the app's workspace pages load in the browser and the pay page must not */
const FORBIDDEN = [
  /^@tanstack\//,
  /^@trpc\/(client|tanstack)/,
  /^next-intl/,
  /^use-intl/,
  /^sweetalert2/,
  /^@\/lib\/i18n\/client$/,
  /^@\/components\/providers$/,
];

/** Every module the island's files load, transitively through project files, and the packages they import. */
const closure = () => importClosure(ISLAND, { specifiers: true });

describe("the renter pay page without the app's client runtime", () => {
  it("loads neither tRPC's client, react-query, next-intl nor the app's providers in the browser", () => {
    const modules = [...closure()];
    expect(modules).toContain("superjson");
    expect(modules.filter((m) => FORBIDDEN.some((f) => f.test(m)))).toEqual([]);
  });

  it("has its own root layout without the app's providers, with its own strings from its layout", () => {
    expect(read("app/(app)/layout.tsx")).toContain("<Providers ");
    const root = read("app/(pay)/layout.tsx");
    expect(root).not.toMatch(/Providers|notyf|@\/components\/providers/);
    expect(root).toContain("<RootDocument ");
    // no root layout above both groups: the pay page's document is app/(pay)/layout.tsx alone
    expect(existsSync(path.join(process.cwd(), "app/layout.tsx"))).toBe(false);
    const layout = read("app/(pay)/t/[tenant]/pay/[token]/layout.tsx");
    expect(layout).toContain("<PayI18nProvider");
    expect(layout).toContain("payIslandMessages(");
  });

  it("passes every key the island reads, in English and Khmer", () => {
    const keys = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of ISLAND) {
      const text = read(file);
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z.]+)"/g)) keys.add(m[1]!);
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z.]+)\.\$\{/g)) prefixes.add(m[1]!);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect(prefixes.size).toBeGreaterThan(1);
    for (const locale of ["en", "km"] as const) {
      const messages = payIslandMessages(messagesFor(locale));
      expect(
        [...keys].filter((k) => typeof messageAt(messages, k) !== "string"),
        locale,
      ).toEqual([]);
      expect(
        [...prefixes].filter((p) => typeof messageAt(messages, p) !== "object"),
        locale,
      ).toEqual([]);
      expect(JSON.stringify(messages).length).toBeLessThan(JSON.stringify(messagesFor(locale)).length / 20);
    }
  });

  it("translates with params, the reader's digits and Khmer", () => {
    function Probe() {
      const { t, fmt } = usePayI18n();
      return createElement(
        "p",
        null,
        `${t("payPage.paidToast", { number: "INV-2026-000012" })}|${t("payPage.quantity", { quantity: 1500, unit: fmt.money(250_000, "KHR") })}|${t("payPage.missing")}`,
      );
    }
    const render = (locale: "en" | "km", digits: "latn" | "khmr") =>
      renderToString(
        // eslint-disable-next-line react/no-children-prop -- createElement in a .ts file: the provider's props type requires children
        createElement(PayI18nProvider, {
          locale,
          digits,
          messages: payIslandMessages(messagesFor(locale)),
          children: createElement(Probe),
        }),
      );
    const en = render("en", "latn");
    expect(en).toContain("Payment received for INV-2026-000012.");
    expect(en).toContain("1,500 × ");
    expect(en).toContain("payPage.missing");
    const km = render("km", "khmr");
    expect(km).toContain("បានទទួលការបង់ប្រាក់សម្រាប់ INV-2026-000012។");
    expect(km).toContain("១,៥០០ × ");
    expect(km).not.toMatch(/1,500/);
  });
});
