// Helpers for the catalog tests: the arguments an ICU message uses, parsed the way next-intl does.
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";

export function flattenMessages(node: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null) for (const [kk, vv] of flattenMessages(v, key)) out.set(kk, vv);
    else out.set(key, v as string);
  }
  return out;
}

/** The parsed message (throws on an ICU syntax error). */
export function parseMessage(message: string): MessageFormatElement[] {
  return parse(message);
}

/**
 * Every argument of the message: one entry per occurrence outside plural/select branches; an
 * argument used only inside branches is listed once (its branches may differ in how often).
 */
export function icuArguments(message: string): string[] {
  const top: string[] = [];
  const nested = new Set<string>();
  const walk = (elements: MessageFormatElement[], inBranch: boolean) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      if (el.type === TYPE.tag) {
        walk(el.children, inBranch);
        continue;
      }
      if (inBranch) nested.add(el.value);
      else top.push(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        for (const option of Object.values(el.options)) walk(option.value, true);
      }
    }
  };
  walk(parseMessage(message), false);
  return [...top, ...[...nested].filter((n) => !top.includes(n))];
}

/** Arguments that select a plural form (they need a number). */
export function pluralArguments(message: string): Set<string> {
  const out = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.plural) out.add(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parseMessage(message));
  return out;
}
