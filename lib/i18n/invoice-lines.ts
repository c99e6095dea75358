// Invoice line descriptions in the reader's language. A run stores each line's description in the
// workspace's language at the time (the record of what was issued, kept as it was). What a person
// sees is rendered again from the line's kind and parameters in the viewer's language: the
// parameters come from the line's meta (readings) and from the stored text itself, read back with
// the templates of both catalogs (and the earlier wordings below), so invoices issued before this
// rendering are shown in the viewer's language too. Lines a person typed (charges) and text no
// template matches are shown as stored. docs/I18N.md, "Invoice lines".
import "server-only";
import { catalogs, createTranslator, type Locale, type MessageKey } from "./index";
import { createFormat } from "./format";

type RenderedKind = "rent" | "electricity" | "water" | "late_fee";

const KEYS: Record<RenderedKind, MessageKey> = {
  rent: "invoices.line.rent",
  electricity: "invoices.line.electricity",
  water: "invoices.line.water",
  late_fee: "invoices.line.lateFee",
};

/** Wordings stored by earlier releases (still read back). */
const EARLIER: Record<RenderedKind, string[]> = {
  rent: [],
  electricity: ["អគ្គិសនី {from} → {to} kWh ({usage} kWh)"],
  water: ["ទឹក {from} → {to} m³ ({usage} m³)"],
  late_fee: [],
};

function isRenderedKind(kind: string): kind is RenderedKind {
  return Object.hasOwn(KEYS, kind);
}

function templateOf(key: MessageKey, locale: Locale): string {
  let node: unknown = catalogs[locale];
  for (const part of key.split(".")) node = (node as Record<string, unknown>)[part];
  return node as string;
}

/** "Rent for {month} (unit {unit})" → /^Rent for (?<month>.+?) \(unit (?<unit>.+?)\)$/ */
function patternOf(template: string): RegExp {
  const parts = template.split(/\{(\w+)\}/);
  let src = "^";
  parts.forEach((p, i) => {
    src += i % 2 === 1 ? `(?<${p}>.+?)` : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return new RegExp(`${src}$`, "s");
}

const patterns = new Map<RenderedKind, RegExp[]>();
function patternsFor(kind: RenderedKind): RegExp[] {
  let list = patterns.get(kind);
  if (!list) {
    const templates = [templateOf(KEYS[kind], "en"), templateOf(KEYS[kind], "km"), ...EARLIER[kind]];
    patterns.set(kind, (list = templates.map(patternOf)));
  }
  return list;
}

/** "2,150" or "២,១៥០" → 2150; null when it is not a number. */
function numberOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const latin = text.replace(/[០-៩]/g, (d) => String(d.charCodeAt(0) - 0x17e0)).replace(/[,\s]/g, "");
  return /^-?\d+(\.\d+)?$/.test(latin) ? Number(latin) : null;
}

function readingsOf(meta: unknown): { previous: number; current: number } | null {
  if (typeof meta !== "object" || meta === null) return null;
  const { previous, current } = meta as { previous?: unknown; current?: unknown };
  return typeof previous === "number" && typeof current === "number" ? { previous, current } : null;
}

export interface LocalizableLine {
  kind: string;
  description: string;
  meta?: unknown;
}

/** The description of one line of the invoice of `period` (YYYY-MM) in `locale`. */
export function lineDescription(line: LocalizableLine, period: string, locale: Locale): string {
  if (!isRenderedKind(line.kind)) return line.description;
  let groups: Record<string, string> | undefined;
  for (const re of patternsFor(line.kind)) {
    const m = re.exec(line.description.trim());
    if (m) {
      groups = m.groups ?? {};
      break;
    }
  }
  if (!groups) return line.description;
  const t = createTranslator(locale);
  const fmt = createFormat(locale);
  switch (line.kind) {
    case "rent":
      return groups.unit === undefined ? line.description : t(KEYS.rent, { month: fmt.month(period), unit: groups.unit });
    case "late_fee":
      return groups.number === undefined ? line.description : t(KEYS.late_fee, { number: groups.number });
    default: {
      const readings = readingsOf(line.meta);
      const from = readings?.previous ?? numberOf(groups.from);
      const to = readings?.current ?? numberOf(groups.to);
      const usage = readings ? readings.current - readings.previous : numberOf(groups.usage);
      if (from === null || to === null || usage === null) return line.description;
      return t(KEYS[line.kind], { from: fmt.number(from), to: fmt.number(to), usage: fmt.number(usage) });
    }
  }
}

/** `lines` with each description in `locale` (everything else as given). */
export function localizeLines<L extends LocalizableLine>(lines: readonly L[], period: string, locale: Locale): L[] {
  return lines.map((l) => ({ ...l, description: lineDescription(l, period, locale) }));
}
