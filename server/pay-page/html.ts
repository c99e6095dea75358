// HTML for the renter pay page's route handler (app/(pay)/t/[tenant]/pay/[token]/route.ts): a tagged
// template that escapes every interpolation (text and attribute values alike) unless it is already
// Html, and JSON that is safe inside an inline <script>.

export class Html {
  constructor(readonly __html: string) {}
  toString(): string {
    return this.__html;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Markup already escaped (a nested `html`, or the runtime's own escaped output). */
export function raw(markup: string): Html {
  return new Html(markup);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function one(value: Value): string {
  if (value instanceof Html) return value.__html;
  if (Array.isArray(value)) return value.map(one).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(value);
}

/** `html\`<p title="${x}">${y}</p>\``: x and y escaped; null, undefined and false print nothing. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += one(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/**
 * JSON for an inline script: `<`, `>`, `&` and the line separators escaped, so no value can close
 * the script element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
