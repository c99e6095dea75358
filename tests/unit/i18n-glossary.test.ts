// The Khmer catalog against its glossary (docs/I18N.md §9) and its English twin: every Khmer
// entry says a concept with the glossary's one word (no second word for the same thing, no retired
// spelling), and carries exactly the English entry's ICU arguments, of the same kind, and the same
// `{{template variables}}` it quotes. The other catalog checks: i18n.test.ts (keys, placeholder
// names), i18n-khmer.test.ts (Khmer script, no stray Latin words, Latin digits), i18n-icu.test.ts.
import { TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/messages/en";
import { km } from "@/lib/i18n/messages/km";
import { flattenMessages, parseMessage } from "./support/icu";

const EN = flattenMessages(en);
const KM = flattenMessages(km);

/** text a person reads: ICU arguments, quoted template variables and commands left out */
const prose = (s: string) =>
  s
    .replace(/'?\{\{\w+\}\}'?/g, " ")
    .replace(/\{\w+(, ?\w+)?\}/g, " ")
    .replace(/\S*\/\S*/g, " ");

/**
 * The glossary's choices (docs/I18N.md §9): where the English says `en`, the Khmer says `km`. An
 * entry may be listed in `except` when the English word means something else there.
 */
const TERMS: { en: RegExp; km: RegExp; word: string; except?: string[] }[] = [
  { en: /\bvoid(ed)?\b/i, km: /បោះបង់/, word: "void → បោះបង់ (never លុប: a voided invoice stays in the list)" },
  { en: /\bmeter readings?\b/i, km: /លេខកុងទ័រ/, word: "meter reading → លេខកុងទ័រ" },
  { en: /\boverdue\b/i, km: /ហួសកំណត់/, word: "overdue → ហួសកំណត់" },
  { en: /\bdue date\b/i, km: /ថ្ងៃផុតកំណត់/, word: "due date → ថ្ងៃផុតកំណត់" },
  { en: /\bworkspaces?\b/i, km: /កន្លែងធ្វើការ/, word: "workspace → កន្លែងធ្វើការ" },
  { en: /\brenters?\b/i, km: /អ្នកជួល/, word: "renter → អ្នកជួល" },
  { en: /\bdeposit\b/i, km: /ប្រាក់កក់/, word: "deposit → ប្រាក់កក់" },
  { en: /\bcontracts?\b/i, km: /កិច្ចសន្យា/, word: "contract → កិច្ចសន្យា" },
  { en: /\binvoices?\b/i, km: /វិក្កយបត្រ/, word: "invoice → វិក្កយបត្រ" },
  { en: /\breceipts?\b/i, km: /បង្កាន់ដៃ/, word: "receipt → បង្កាន់ដៃ" },
  { en: /\bpay link\b/i, km: /តំណបង់ប្រាក់/, word: "pay link → តំណបង់ប្រាក់" },
  { en: /\blate fee\b/i, km: /ពិន័យ/, word: "late fee → ប្រាក់ពិន័យ" },
  { en: /\bcredit\b/i, km: /ប្រាក់បង់លើស/, word: "credit (money paid ahead) → ប្រាក់បង់លើស" },
  { en: /\bsubscriptions?\b/i, km: /ជាវ/, word: "subscription → ការជាវ" },
  { en: /\bfeature flags?\b/i, km: /មុខងារសាកល្បង/, word: "feature flag → មុខងារសាកល្បង" },
  { en: /\belectricity\b/i, km: /ភ្លើង/, word: "electricity → ភ្លើង / ថ្លៃភ្លើង (never អគ្គិសនី on a bill)" },
  { en: /\bledger\b/i, km: /បញ្ជីគណនី/, word: "ledger → បញ្ជីគណនី" },
  { en: /\brefunded\b/i, km: /សងប្រាក់/, word: "refunded → បានសងប្រាក់វិញ" },
  { en: /\bpropert(y|ies)\b/i, km: /អចលនទ្រព្យ/, word: "property → អចលនទ្រព្យ (អគារ is one kind of property)" },
  { en: /\bactive contracts?\b/i, km: /កិច្ចសន្យា\S*\s?\S*កំពុងអនុវត្ត/, word: "an active contract → កិច្ចសន្យាកំពុងអនុវត្ត (as its status)" },
  { en: /\bdashboard\b/i, km: /ផ្ទាំងគ្រប់គ្រង/, word: "dashboard → ផ្ទាំងគ្រប់គ្រង" },
];

/** Words and spellings the review retired: each has the glossary's word beside it. */
const RETIRED: [RegExp, string][] = [
  [/កន្លែងការងារ/, "workspace is កន្លែងធ្វើការ"],
  [/ហួសកាលកំណត់/, "overdue is ហួសកំណត់"],
  [/មោឃៈ/, "void is បោះបង់"],
  [/អំណាន|នាឡិកាស្ទង់/, "a meter reading is លេខកុងទ័រ"],
  [/ឥណទាន/, "credit kept for the next invoices is ប្រាក់បង់លើស"],
  [/ការទូទាត់/, "a payment is ការបង់ប្រាក់"],
  [/ទង់មុខងារ/, "a feature flag is មុខងារសាកល្បង"],
  [/បាគង/, "Bakong stays in Latin letters, as in the banking apps"],
  [/វិក័យ|វិក្កយប័ត្រ/, "invoice is spelled វិក្កយបត្រ"],
  [/អគ្គិសនី/, "electricity on a bill is ភ្លើង / ថ្លៃភ្លើង"],
  [/បង្វិលសង|បានសងវិញ/, "refunded is បានសងប្រាក់វិញ"],
  [/អ៊ីម៉ែល|អ៊ីមេល/, "e-mail is spelled អ៊ីមែល"],
  [/ទូរសព្ទ/, "phone is spelled ទូរស័ព្ទ"],
  [/ប្តូរ|ម្តង|ផ្តើម|សេចក្តី|ស្តារ|ផ្តល់|ផ្តាច/, "these words are spelled with ្ដ (ប្ដូរ, ម្ដង, ផ្ដើម, សេចក្ដី, ស្ដារ, ផ្ដល់, ផ្ដាច)"],
];

/**
 * Every argument of a message with its kind (`name:argument`, `status:select`, `<b>`, …), sorted.
 * A plural counts as a plain argument: Khmer has one form, so `{count}` may stand for the English
 * `{count, plural, …}`.
 */
function argumentKinds(message: string): string[] {
  const out = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      if (el.type === TYPE.tag) {
        out.add(`<${el.value}>`);
        walk(el.children);
        continue;
      }
      out.add(`${el.value}:${el.type === TYPE.plural ? "argument" : TYPE[el.type]}`);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
    }
  };
  walk(parseMessage(message));
  return [...out].sort();
}

/** The `{{variables}}` a message shows as text (template help quotes them). */
const templateVariables = (message: string) => [...new Set(message.match(/\{\{\w+\}\}/g) ?? [])].sort();

describe("the Khmer catalog against the English one", () => {
  it("has the same ICU arguments of the same kind (a select stays a select, a number a number) in every entry", () => {
    const different: string[] = [];
    for (const [key, e] of EN) {
      const k = KM.get(key);
      if (k === undefined) continue; // missing keys: i18n.test.ts
      const [a, b] = [argumentKinds(e).join(" "), argumentKinds(k).join(" ")];
      if (a !== b) different.push(`${key}: en [${a}] km [${b}]`);
    }
    expect(different).toEqual([]);
  });

  it("quotes the same {{template variables}} as the English", () => {
    const different = [...EN]
      .filter(([key, e]) => KM.has(key) && templateVariables(e).join() !== templateVariables(KM.get(key)!).join())
      .map(([key, e]) => `${key}: en ${templateVariables(e).join(" ")} km ${templateVariables(KM.get(key)!).join(" ")}`);
    expect(different).toEqual([]);
  });
});

describe("the Khmer catalog against the glossary (docs/I18N.md §9)", () => {
  it("says each glossary concept with the glossary's word", () => {
    const off: string[] = [];
    for (const term of TERMS) {
      for (const [key, e] of EN) {
        if (term.except?.includes(key) || !term.en.test(prose(e))) continue;
        const k = KM.get(key);
        if (k !== undefined && !term.km.test(k)) off.push(`${key} (${term.word}): ${k}`);
      }
    }
    expect(off).toEqual([]);
  });

  it("uses none of the retired words and spellings", () => {
    const found: string[] = [];
    for (const [key, k] of KM) for (const [word, why] of RETIRED) if (word.test(k)) found.push(`${key}: ${why}: ${k}`);
    expect(found).toEqual([]);
  });

  it("never says delete (លុប) where the English voids", () => {
    const found = [...EN].filter(([key, e]) => /\bvoid/i.test(e) && /លុប/.test(KM.get(key) ?? "")).map(([key]) => key);
    expect(found).toEqual([]);
  });

  it("gives Invoices, Billing and Payments three different words in the menu", () => {
    const words = [km.invoices.nav, km.billing.nav, km.rentPayments.list.nav];
    expect(new Set(words).size).toBe(3);
  });

  it("calls the plan-and-subscription pages Billing's menu word, never the renters' invoice word", () => {
    for (const label of [km.billing.title, km.billing.banner.openBilling, km.team.areas.billing, km.adminBilling.title]) {
      expect(label).toContain(km.billing.nav);
    }
  });
});
