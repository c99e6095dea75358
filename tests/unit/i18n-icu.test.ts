// The catalogs under next-intl: every message is valid ICU and formats in both languages with
// sample params, plain messages read exactly as the hand-written `{name}` translator printed
// them, plurals pick the right form, and the client side sees what the server side does.
import { readFileSync } from "node:fs";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { createTranslator as createIntlTranslator, type IntlError } from "use-intl/core";
import { describe, expect, it } from "vitest";
import { createTranslator, messagesFor, type Locale, type MessageKey } from "@/lib/i18n";
import { I18nProvider, useI18n } from "@/lib/i18n/client";
import { substitute } from "@/lib/i18n/config";
import { en } from "@/lib/i18n/messages/en";
import { km } from "@/lib/i18n/messages/km";
import { flattenMessages, icuArguments, parseMessage, pluralArguments } from "./support/icu";

const catalogs = { en, km } as const;
const LOCALES = ["en", "km"] as const;

/** Sample params for a message: a number for each plural argument, a marked string otherwise. */
function sampleParams(message: string, count: number): Record<string, string | number> {
  const plural = pluralArguments(message);
  return Object.fromEntries(icuArguments(message).map((name) => [name, plural.has(name) ? count : `‹${name}›`]));
}

describe("every message under ICU", () => {
  it.each(LOCALES)("parses (%s)", (locale) => {
    const broken: string[] = [];
    for (const [key, message] of flattenMessages(catalogs[locale])) {
      try {
        parseMessage(message);
      } catch (e) {
        broken.push(`${key}: ${(e as Error).message}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(LOCALES)("formats with sample params and without any error (%s)", (locale) => {
    const problems: string[] = [];
    let current = "";
    const t = createIntlTranslator({
      locale,
      messages: catalogs[locale],
      onError: (e: IntlError) => problems.push(`${current}: ${e.code} ${e.message}`),
    });
    for (const [key, message] of flattenMessages(catalogs[locale])) {
      current = key;
      // every argument is filled in: no ICU syntax or argument name reaches the reader (except
      // the braces a message quotes on purpose, such as `'{{link}}'`)
      const leftover = /'[{}]/.test(message) ? /'\{|plural,/ : /\{\w+(, ?(plural|select|number)[^}]*)?\}|plural,/;
      for (const count of pluralArguments(message).size > 0 ? [0, 1, 2, 21, 1000] : [1]) {
        const out = t(key as MessageKey, sampleParams(message, count));
        if (out === key || out.trim() === "" || leftover.test(out)) problems.push(`${key} (${count}): ${out}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(LOCALES)("reads exactly as before for messages without plurals or ICU quoting (%s)", (locale) => {
    const t = createTranslator(locale);
    const changed: string[] = [];
    let checked = 0;
    for (const [key, message] of flattenMessages(catalogs[locale])) {
      if (pluralArguments(message).size > 0 || /'[{}#|']/.test(message)) continue;
      const params = sampleParams(message, 1);
      const hasParams = Object.keys(params).length > 0;
      const before = substitute(message, hasParams ? params : undefined);
      if (t(key as MessageKey, hasParams ? params : undefined) !== before) changed.push(key);
      checked++;
    }
    expect(changed).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it("prints literal braces where a message quotes them", () => {
    expect(createTranslator("en")("templates.malformed", { field: "subject", near: "{{x" })).toBe(
      "Broken placeholder in the subject near “{{x”. Write variables as {{name}}.",
    );
    expect(createTranslator("km")("templates.bodyHelp")).toContain("[បង់ឥឡូវនេះ]({{link}})");
    expect(createTranslator("en")("templates.sensitive", { variables: "{{resetLink}}" })).toBe(
      "{{resetLink}} is a single-use secret link: use it only as a button's address, such as [Open]({{link}}). The message log hides it.",
    );
  });

  it("keeps the params' own text as given (no ICU parsing of values)", () => {
    expect(createTranslator("en")("errors.internal", { ref: "{x}'#<b>" })).toBe("Something went wrong on our side. Reference: {x}'#<b>");
  });
});

describe("plurals", () => {
  const en1 = createTranslator("en");
  const km1 = createTranslator("km");

  it("pick one or other in English", () => {
    expect(en1("dashboard.rentDue.invoices", { count: 1 })).toBe("1 invoice");
    expect(en1("dashboard.rentDue.invoices", { count: 2 })).toBe("2 invoices");
    expect(en1("dashboard.rentDue.invoices", { count: 0 })).toBe("0 invoices");
    expect(en1("dashboard.rentDue.invoices", { count: 1234 })).toBe("1,234 invoices");
    expect(en1("dashboard.overdue.invoices", { count: 1 })).toBe("1 overdue invoice");
    expect(en1("dashboard.ending.count", { count: 2 })).toBe("2 contracts");
    expect(en1("rentPayments.list.totalOf", { count: 1 })).toBe("1 payment");
    expect(en1("rentPayments.list.totalOf", { count: 2 })).toBe("2 payments");
    expect(en1("imports.summary", { valid: 1, invalid: 2 })).toBe("1 row ready, 2 with problems.");
    expect(en1("imports.summary", { valid: 2, invalid: 0 })).toBe("2 rows ready, 0 with problems.");
    expect(en1("imports.importedRenters", { count: 1 })).toBe("1 renter imported.");
    expect(en1("team.membersCount", { count: 1 })).toBe("1 member");
    expect(en1("team.membersCount", { count: 3 })).toBe("3 members");
    expect(en1("errors.roleInUse", { count: 1 })).toBe("This role is still assigned to 1 member. Give them another role first.");
    expect(en1("renters.errors.hasOpenContracts", { count: 2 })).toBe("This renter has 2 draft or active contracts. End them first.");
    expect(en1("renters.errors.hasOpenContracts", { count: 1 })).toBe("This renter has 1 draft or active contract. End it first.");
    expect(en1("settings.reminders.daysAfter", { n: 1 })).toBe("1 day after the due date");
    expect(en1("settings.reminders.daysBefore", { n: 3 })).toBe("3 days before the due date");
    expect(en1("readings.errors_toast", { count: 1 })).toBe("1 reading needs a look. Nothing was saved.");
    expect(en1("readings.errors_toast", { count: 3 })).toBe("3 readings need a look. Nothing was saved.");
    expect(en1("readings.saved_toast", { count: 1 })).toBe("1 reading saved.");
    expect(en1("properties.errors.hasOccupiedUnits", { count: 1 })).toBe(
      "1 unit is occupied or under contract. End their contracts first.",
    );
    expect(en1("dashboard.occupancy.summary", { occupied: 0, total: 1 })).toBe("0 of 1 unit occupied");
    expect(en1("messagesLog.attemptsCount", { count: 1 })).toBe("1 attempt");
    expect(en1("billing.statusDetail.trialing", { days: 1, date: "7 Dec" })).toBe("1 day left in your trial (ends 7 Dec)");
  });

  it("select on a count given as text too (params that arrive serialised)", () => {
    expect(en1("team.membersCount", { count: "1" })).toBe("1 member");
    expect(en1("team.membersCount", { count: "2" })).toBe("2 members");
  });

  it("have one form in Khmer, with the same number whatever the count", () => {
    expect(km1("dashboard.rentDue.invoices", { count: 1 })).toBe("វិក្កយបត្រ 1");
    expect(km1("dashboard.rentDue.invoices", { count: 2 })).toBe("វិក្កយបត្រ 2");
    expect(km1("dashboard.collected.payments", { count: 1234 })).toBe("ការបង់ប្រាក់ 1,234");
    expect(km1("rentPayments.list.totalOf", { count: 1 })).toBe("ការបង់ប្រាក់ 1 ដង");
    expect(km1("rentPayments.list.totalOf", { count: 2 })).toBe("ការបង់ប្រាក់ 2 ដង");
    expect(km1("team.membersCount", { count: 1 })).toBe("សមាជិក 1 នាក់");
    expect(km1("imports.summary", { valid: 1, invalid: 2 })).toBe("ជួរចំនួន 1 រួចរាល់ និង 2 មានបញ្ហា។");
  });
});

describe("the active locale's messages", () => {
  it("are complete in each locale (Khmer where it has one, English where it lacks one)", () => {
    expect([...flattenMessages(messagesFor("km")).keys()].sort()).toEqual([...flattenMessages(en).keys()].sort());
    expect(messagesFor("km").members.title).toBe(km.members.title);
    expect(messagesFor("en")).toBe(en);
  });

  it("show the language just chosen after a change, from either catalog", () => {
    for (const locale of LOCALES) {
      expect(createTranslator(locale)("account.language.savedIn.km")).toBe("ភាសាត្រូវបានរក្សាទុក។");
      expect(createTranslator(locale)("account.language.savedIn.en")).toBe("Language saved.");
    }
  });
});

describe("useI18n (client components)", () => {
  function render(locale: Locale, probe: (i18n: ReturnType<typeof useI18n>) => ReactNode): string {
    function Probe() {
      return createElement("p", null, probe(useI18n()));
    }
    const props = { locale, messages: messagesFor(locale) } as Parameters<typeof I18nProvider>[0];
    return renderToString(createElement(I18nProvider, props, createElement(Probe)));
  }

  it.each(LOCALES)("renders what the server translator renders (%s)", (locale) => {
    const server = createTranslator(locale);
    const keys: [MessageKey, Record<string, string | number>?][] = [
      ["members.title"],
      ["errors.internal", { ref: "req-1" }],
      ["dashboard.rentDue.invoices", { count: 1 }],
      ["dashboard.rentDue.invoices", { count: 7 }],
      ["templates.bodyHelp"],
    ];
    for (const [key, params] of keys) {
      const html = render(locale, ({ t }) => t(key, params));
      expect(html).toBe(`<p>${escapeHtml(server(key, params))}</p>`);
    }
    expect(render(locale, ({ locale: l }) => l)).toBe(`<p>${locale}</p>`);
  });

  it("falls back like the server: the key for an unknown key, `{name}` for a missing param", () => {
    expect(render("km", ({ t }) => t("audit.actions.legacy.thing_done" as MessageKey))).toBe("<p>audit.actions.legacy.thing_done</p>");
    expect(render("en", ({ t }) => t("errors.internal", { other: "x" }))).toBe("<p>Something went wrong on our side. Reference: {ref}</p>");
    expect(render("en", ({ t }) => t("errors.notFound", { ref: "x" }))).toBe("<p>Not found.</p>");
  });

  it("formats dates in the reader's language, Phnom Penh time by default", () => {
    const d = "2026-03-31T20:00:00Z"; // 1 April 03:00 in Phnom Penh
    expect(render("en", ({ formatDate }) => formatDate(d))).toBe(`<p>${escapeHtml(dateIn("en-GB", d, "Asia/Phnom_Penh"))}</p>`);
    // Khmer from our own month names (lib/i18n/format.ts), not from the runtime's ICU data
    expect(render("km", ({ formatDate }) => formatDate(d, "UTC"))).toBe("<p>31 មីនា 2026</p>");
    expect(render("km", ({ formatDate }) => formatDate(d))).toBe("<p>1 មេសា 2026</p>");
  });
});

describe("only the active locale reaches the browser", () => {
  const source = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

  it("the catalogs module is server-only, and the client side of i18n never imports it", () => {
    expect(source("lib/i18n/catalogs.ts")).toMatch(/^import "server-only";$/m);
    for (const path of ["lib/i18n/config.ts", "lib/i18n/client.tsx", "lib/trpc/client.tsx"]) {
      const imports = [...source(path).matchAll(/^import (?!type )[^;]*from "([^"]+)";$/gm)].map((m) => m[1]);
      expect(
        imports.filter((i) => /(^|\/)(catalogs|messages\/(en|km))$|^@\/lib\/i18n$|^\.\/index$|^\.$/.test(i!)),
        path,
      ).toEqual([]);
    }
  });
});

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

function dateIn(intl: string, d: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeZone }).format(new Date(d));
}
