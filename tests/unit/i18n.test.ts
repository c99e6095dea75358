// Message catalogs: km and en must stay in step (same keys, same placeholders, nothing empty).
import { describe, expect, it } from "vitest";
import { createTranslator, localeFromAcceptLanguage, lookup, translate, type Messages } from "@/lib/i18n";
import { en } from "@/lib/i18n/messages/en";
import { km } from "@/lib/i18n/messages/km";
import { icuArguments } from "./support/icu";

function flatten(node: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null) for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

// ICU arguments: `{name}` and `{count, plural, ...}` (and what the branches use), each counted
// once per place it appears outside a plural/select, so a `{name}` dropped from a translation
// still shows up as a difference.
const placeholders = (s: string) => icuArguments(s).sort();

const enFlat = flatten(en);
const kmFlat = flatten(km);

describe("catalogs", () => {
  it("have identical key sets", () => {
    expect([...kmFlat.keys()].sort()).toEqual([...enFlat.keys()].sort());
    expect(enFlat.size).toBeGreaterThan(50);
  });

  it("contain only non-empty strings", () => {
    for (const [name, flat] of [
      ["en", enFlat],
      ["km", kmFlat],
    ] as const) {
      for (const [key, value] of flat) {
        expect(typeof value, `${name}:${key}`).toBe("string");
        expect((value as string).trim(), `${name}:${key}`).not.toBe("");
      }
    }
  });

  it("use the same {placeholders} in km as in en", () => {
    const mismatches: string[] = [];
    for (const [key, enValue] of enFlat) {
      const kmValue = kmFlat.get(key);
      if (typeof kmValue !== "string" || typeof enValue !== "string") continue;
      if (placeholders(kmValue).join(",") !== placeholders(enValue).join(",")) {
        mismatches.push(`${key}: en {${placeholders(enValue)}} km {${placeholders(kmValue)}}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("is actually translated (Khmer script in most km strings)", () => {
    const khmer = [...kmFlat.values()].filter((v) => /[\u1780-\u17FF]/.test(String(v)));
    expect(khmer.length / kmFlat.size).toBeGreaterThan(0.8);
  });
});

describe("translate", () => {
  it("fills placeholders", () => {
    expect(translate(en, "errors.internal", { ref: "req-1" })).toBe("Something went wrong on our side. Reference: req-1");
    expect(createTranslator("en")("errors.tooManyRequestsRetry", { minutes: 60 })).toBe("Too many attempts. Try again in 60 min.");
  });

  it("leaves unknown placeholders visible and ignores extra params", () => {
    expect(translate(en, "errors.internal", { other: "x" })).toBe("Something went wrong on our side. Reference: {ref}");
    expect(translate(en, "errors.notFound", { ref: "x" })).toBe("Not found.");
  });

  it("falls back to English for a key missing in the locale", () => {
    const partial = { ...km, errors: { ...km.errors, notFound: undefined } } as unknown as Messages;
    expect(translate(partial, "errors.notFound")).toBe(en.errors.notFound);
    expect(translate(km, "errors.notFound")).toBe(km.errors.notFound);
    expect(km.errors.notFound).not.toBe(en.errors.notFound);
  });

  it("falls back to the key itself when no catalog has it", () => {
    expect(translate(km, "errors.doesNotExist")).toBe("errors.doesNotExist");
    expect(lookup(en, "errors")).toBeUndefined();
    expect(lookup(en, "errors.notFound.deeper")).toBeUndefined();
  });

  it("translates per locale", () => {
    expect(createTranslator("km")("members.title")).toBe(km.members.title);
    expect(createTranslator("en")("members.title")).toBe("Members");
  });
});

describe("localeFromAcceptLanguage", () => {
  it.each([
    ["km-KH,km;q=0.9,en;q=0.8", "km"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR, en;q=0.5", "en"],
    ["fr-FR", undefined],
    ["", undefined],
  ])("%j → %j", (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });
});
