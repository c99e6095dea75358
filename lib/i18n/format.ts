// Dates, months, numbers and money in the reader's language: the one formatting module, for
// server code (pages, PDFs, e-mails, jobs, invoice runs) and client components alike (no catalog,
// no server-only import). Khmer month names and digits come from the tables below, never from
// the ICU data of the browser or of Node: a phone whose browser has no Khmer locale data, or a
// Node built with small-icu, prints the same Khmer as the server. English goes through Intl's
// en-GB / en-US, which every ICU build carries. Time zones are resolved with Intl (numeric parts
// only, from the always-present en-US data). See docs/I18N.md, "Dates, numbers and digits".
import { formatMoney, formatMoneyCompact, minorDigits, toMajor } from "@/lib/money";

export type FormatLocale = "km" | "en";

/** Digit systems a reader can choose: Latin (0-9, the default) or Khmer (០-៩). */
export const DIGIT_SYSTEMS = ["latn", "khmr"] as const;
export type Digits = (typeof DIGIT_SYSTEMS)[number];
/** Latin digits unless the reader chose Khmer ones (docs/I18N.md says why). */
export const DEFAULT_DIGITS: Digits = "latn";
/** The browser cookie holding a reader's digit choice (set from the account page's language card). */
export const DIGITS_COOKIE = "phteah-digits";

export function isDigits(value: unknown): value is Digits {
  return typeof value === "string" && (DIGIT_SYSTEMS as readonly string[]).includes(value);
}

const KHMER_DIGITS = ["០", "១", "២", "៣", "៤", "៥", "៦", "៧", "៨", "៩"] as const;

/** Khmer month names of the solar calendar, January first (the same long and short). */
export const KHMER_MONTHS = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"] as const;

/** Every Latin digit of `text` in the chosen digit system (Khmer: ០-៩); anything else as it is. */
export function toDigits(text: string, digits: Digits): string {
  return digits === "khmr" ? text.replace(/[0-9]/g, (d) => KHMER_DIGITS[Number(d)]!) : text;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar and clock of `d` in `timeZone`, as numbers (en-US numeric parts: present in every ICU). */
function partsOf(d: Date, timeZone: string): Parts {
  let f = partFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    if (partFormats.size < 64) partFormats.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(d)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

const englishFormats = new Map<string, Intl.DateTimeFormat>();
function english(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = englishFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", options);
    if (englishFormats.size < 256) englishFormats.set(key, f);
  }
  return f;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "2026-04" → a Date at 1 April 2026 00:00 UTC (null when it is not a period). */
function periodDate(period: string): Date | null {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return new Date(Date.UTC(Number(m[1]), month - 1, 1));
}

function toDate(d: Date | string): Date {
  return d instanceof Date ? d : new Date(d);
}

/** A calendar day given as YYYY-MM-DD (or a Date at midnight UTC): shown as that day whatever the zone. */
function dayDate(d: Date | string): Date {
  return typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00Z`) : toDate(d);
}

export interface Formatter {
  locale: FormatLocale;
  digits: Digits;
  /** "1 Apr 2026" / "1 មេសា 2026": a moment's day in `timeZone` (Phnom Penh unless told) */
  date(d: Date | string, timeZone?: string): string;
  /** "1 Apr 2026, 14:05" / "1 មេសា 2026 ម៉ោង 14:05" */
  dateTime(d: Date | string, timeZone?: string): string;
  /** with seconds (the audit log) */
  dateTimeSeconds(d: Date | string, timeZone?: string): string;
  /** "14:05" */
  time(d: Date | string, timeZone?: string): string;
  /** a calendar day (YYYY-MM-DD or a date-only Date), shown as that day: "30 Apr 2026" */
  day(d: Date | string): string;
  /** a billing period "2026-04" → "April 2026" / "មេសា 2026" (the text as given when it is not one) */
  month(period: string): string;
  /** "Apr" / "មេសា" (chart axes) */
  monthShort(period: string): string;
  /** "1 Apr 2026 – 30 Apr 2026" (calendar days) */
  dayRange(from: Date | string, to: Date | string): string;
  /** "1,234" */
  number(n: number): string;
  /** 12.5 → "12.5%" */
  percent(rate: number): string;
  money(minor: number, currency: string): string;
  moneyCompact(minor: number, currency: string): string;
  /** a countdown "04:59" from milliseconds */
  countdown(ms: number): string;
  /** any text that carries digits of ours (a count we built), in the chosen digits */
  digitsOf(text: string): string;
}

const SYMBOLS: Record<string, string> = { USD: "$", KHR: "៛" };
const groupings = new Map<number, Intl.NumberFormat>();
function grouped(value: number, fractionDigits: number): string {
  let f = groupings.get(fractionDigits);
  if (!f)
    groupings.set(
      fractionDigits,
      (f = new Intl.NumberFormat("en-US", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })),
    );
  return f.format(value);
}

/** Khmer money, the order CLDR gives km-KH ("19.00$", "78,000៛"), without needing Khmer ICU data. */
function khmerMoney(minor: number, currency: string): string {
  const code = currency.trim().toUpperCase();
  const symbol = SYMBOLS[code];
  if (!symbol) return formatMoney(minor, code, "km");
  const digits = minorDigits(code);
  const value = toMajor(digits === 0 ? Math.round(minor) : minor, code);
  return `${value < 0 ? "-" : ""}${grouped(Math.abs(value), digits)}${symbol}`;
}

/** Short Khmer money for chart axes: "1.2 ពាន់$", "400 ពាន់៛", "3 លាន៛". */
function khmerMoneyCompact(minor: number, currency: string): string {
  const code = currency.trim().toUpperCase();
  const symbol = SYMBOLS[code];
  if (!symbol) return formatMoney(minor, code, "km");
  const value = toMajor(minor, code);
  const abs = Math.abs(value);
  const [scale, word] = abs >= 1e9 ? [1e9, " ប៊ីលាន"] : abs >= 1e6 ? [1e6, " លាន"] : abs >= 1e3 ? [1e3, " ពាន់"] : [1, ""];
  const n = Math.round((abs / scale) * 10) / 10;
  return `${value < 0 ? "-" : ""}${grouped(n, Number.isInteger(n) ? 0 : 1)}${word}${symbol}`;
}

const DEFAULT_ZONE = "Asia/Phnom_Penh";
const formatters = new Map<string, Formatter>();

/** The formatter for `locale` with `digits` (kept per pair: building Intl formatters is costly). */
export function createFormat(locale: string, digits: Digits = DEFAULT_DIGITS): Formatter {
  const loc: FormatLocale = locale === "km" ? "km" : "en";
  const key = `${loc}|${digits}`;
  const cached = formatters.get(key);
  if (cached) return cached;
  const dg = (s: string) => toDigits(s, digits);
  const km = loc === "km";
  // made on first use: a page that formats no number (most islands) builds no Intl object (issue 17)
  let numberFormat: Intl.NumberFormat | undefined;
  let percentFormat: Intl.NumberFormat | undefined;

  const date = (d: Date | string, timeZone = DEFAULT_ZONE) => {
    const at = toDate(d);
    if (Number.isNaN(at.getTime())) return "—";
    if (!km) return dg(english(`d|${timeZone}`, { dateStyle: "medium", timeZone }).format(at));
    const p = partsOf(at, timeZone);
    return dg(`${p.day} ${KHMER_MONTHS[p.month - 1]} ${p.year}`);
  };
  const time = (d: Date | string, timeZone = DEFAULT_ZONE, seconds = false) => {
    const at = toDate(d);
    if (Number.isNaN(at.getTime())) return "—";
    const p = partsOf(at, timeZone);
    return dg(`${pad2(p.hour)}:${pad2(p.minute)}${seconds ? `:${pad2(p.second)}` : ""}`);
  };
  const dateTime = (d: Date | string, timeZone = DEFAULT_ZONE, seconds = false) => {
    const at = toDate(d);
    if (Number.isNaN(at.getTime())) return "—";
    return km ? `${date(at, timeZone)} ម៉ោង ${time(at, timeZone, seconds)}` : `${date(at, timeZone)}, ${time(at, timeZone, seconds)}`;
  };
  const day = (d: Date | string) => date(dayDate(d), "UTC");
  const month = (period: string) => {
    const at = periodDate(period);
    if (!at) return period;
    if (!km) return dg(english("m", { month: "long", year: "numeric", timeZone: "UTC" }).format(at));
    return dg(`${KHMER_MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`);
  };
  const monthShort = (period: string) => {
    const at = periodDate(period);
    if (!at) return period;
    return km ? KHMER_MONTHS[at.getUTCMonth()]! : english("ms", { month: "short", timeZone: "UTC" }).format(at);
  };
  const f: Formatter = {
    locale: loc,
    digits,
    date,
    dateTime: (d, tz) => dateTime(d, tz),
    dateTimeSeconds: (d, tz) => dateTime(d, tz, true),
    time: (d, tz) => time(d, tz),
    day,
    month,
    monthShort,
    dayRange: (from, to) => `${day(from)} – ${day(to)}`,
    number: (n) => dg((numberFormat ??= new Intl.NumberFormat("en-US")).format(n)),
    percent: (rate) =>
      dg((percentFormat ??= new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 })).format(rate / 100)),
    money: (minor, currency) => dg(km ? khmerMoney(minor, currency) : formatMoney(minor, currency, loc)),
    moneyCompact: (minor, currency) => dg(km ? khmerMoneyCompact(minor, currency) : formatMoneyCompact(minor, currency, loc)),
    countdown: (ms) => {
      const total = Math.max(0, Math.ceil(ms / 1000));
      return dg(`${pad2(Math.floor(total / 60))}:${pad2(total % 60)}`);
    },
    digitsOf: dg,
  };
  formatters.set(key, f);
  return f;
}

type ParamTranslator<P> = (key: never, params?: P) => string;

/**
 * A translator that prints the reader's digits: numbers and the message's own digits in `digits`,
 * params given as text (names, codes, already formatted dates) exactly as given.
 */
export function withDigits<T extends ParamTranslator<Record<string, string | number>>>(t: T, digits: Digits): T {
  if (digits === "latn") return t;
  const wrapped = (key: never, params?: Record<string, string | number>) => {
    if (!params) return toDigits(t(key), digits);
    const texts: string[] = [];
    const masked: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === "string") {
        masked[name] = `\uE000${texts.length}\uE001`;
        texts.push(value);
      } else masked[name] = value;
    }
    return toDigits(t(key, masked), digits).replace(/\uE000([០-៩0-9]+)\uE001/g, (_, i: string) => texts[Number(toLatin(i))] ?? "");
  };
  return wrapped as unknown as T;
}

/** Khmer digits back to Latin ones (for reading our own markers). */
function toLatin(text: string): string {
  return text.replace(/[០-៩]/g, (d) => String(KHMER_DIGITS.indexOf(d as (typeof KHMER_DIGITS)[number])));
}
