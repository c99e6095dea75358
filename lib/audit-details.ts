// An audit row in words, for people who run rentals (issue 17): the change as "field: before →
// after" instead of a JSON blob, the record's kind instead of its table name and id, the device
// as "Chrome on Android" instead of a user-agent string. Isomorphic: the audit page's details
// drawer and the workspace CSV (server/audit/audit-query.ts) use the same words.
import type { MessageKey, TranslateParams, Translator } from "@/lib/i18n";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longest value shown in full; longer ones (a message body) are cut with "…". */
const MAX_VALUE = 200;

export function isUuid(value: unknown): boolean {
  return typeof value === "string" && UUID.test(value);
}

/** One line of a change: `before`/`after` for an edit, `value` for a fact of the event. */
export interface ChangeLine {
  field: string;
  before?: string;
  after?: string;
  value?: string;
}

function labelOr(t: Translator, key: string, fallback: () => string): string {
  const label = t(key as MessageKey);
  return label === key ? fallback() : label;
}

/** "rentReminderDays" → "Rent reminder days" when the catalog has no label for the field (remembered: pure, and called per row). */
function humanize(key: string): string {
  let words = humanized.get(key);
  if (words === undefined) {
    words = humanizeNow(key);
    if (humanized.size < 2_000) humanized.set(key, words);
  }
  return words;
}
const humanized = new Map<string, string>();

function humanizeNow(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A readable label for an action name, or the raw name when the catalog does not know it (old rows). */
export function actionLabel(t: Translator, action: string): string {
  return labelOr(t, `audit.actions.${action}`, () => action);
}

export function fieldLabel(t: Translator, key: string): string {
  return labelOr(t, `audit.fields.${key}`, () => humanize(key));
}

/** The kind of record an event is about ("Contract", "Member"), from the row's target type. */
export function targetLabel(t: Translator, targetType: string | null): string {
  if (!targetType) return "";
  const key = targetType.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  return labelOr(t, `audit.targets.${key}`, () => humanize(targetType));
}

/** A record's own reference when it is one a person can read (a job's name, a slug); never a uuid. */
export function targetReference(targetId: string | null): string {
  return targetId && !isUuid(targetId) ? targetId : "";
}

/** The label of a metadata field (`fieldLabel`, or an export's remembered one). */
type FieldLabel = (key: string) => string;

/** A value in words; null when there is nothing a person could read in it (ids). */
function valueText(t: Translator, v: unknown, field: FieldLabel): string | null {
  if (v === null || v === undefined || v === "") return t("audit.none");
  if (typeof v === "boolean") return v ? t("audit.yes") : t("audit.no");
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") {
    if (isUuid(v)) return null;
    return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}…` : v;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return t("audit.none");
    const parts = v.map((x) => (typeof x === "object" && x !== null ? null : valueText(t, x, field)));
    if (parts.every((p) => p === null)) return t("audit.records", { count: v.length });
    return parts.filter((p): p is string => p !== null).join(", ");
  }
  if (typeof v === "object") {
    const parts = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => {
        const text = typeof x === "object" && x !== null && !Array.isArray(x) ? null : valueText(t, x, field);
        return text === null ? null : `${field(k)}: ${text}`;
      })
      .filter((p): p is string => p !== null);
    return parts.length ? parts.join("; ") : null;
  }
  return null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The lines of an event's details: each field of `before`/`after` as an edit, every other
 * field as a fact. Ids (uuids) are left out: they mean nothing to the reader.
 */
export function auditChanges(t: Translator, metadata: unknown, field: FieldLabel = (k) => fieldLabel(t, k)): ChangeLine[] {
  if (!isRecord(metadata)) return [];
  const lines: ChangeLine[] = [];
  const before = isRecord(metadata.before) ? metadata.before : null;
  const after = isRecord(metadata.after) ? metadata.after : null;
  if (before || after) {
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    for (const k of keys) {
      const b = before && k in before ? valueText(t, before[k], field) : t("audit.none");
      const a = after && k in after ? valueText(t, after[k], field) : t("audit.none");
      if (b === null && a === null) continue;
      lines.push({ field: field(k), before: b ?? "…", after: a ?? "…" });
    }
  }
  for (const [k, v] of Object.entries(metadata)) {
    if ((k === "before" && before) || (k === "after" && after)) continue;
    const text = valueText(t, v, field);
    if (text === null) continue;
    lines.push({ field: field(k), value: text });
  }
  return lines;
}

/** The lines as one cell of text: "Role: viewer → manager; Note: …". */
export function changesText(lines: ChangeLine[]): string {
  return lines.map((l) => (l.value !== undefined ? `${l.field}: ${l.value}` : `${l.field}: ${l.before} → ${l.after}`)).join("; ");
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(A|iOS)?\//, "Edge"],
  [/\bOPR\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFxiOS\/|\bFirefox\//, "Firefox"],
  [/\bCriOS\/|\b(?:Headless)?Chrome\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, "Android"],
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "Mac"],
  [/\bLinux\b/, "Linux"],
];

/** "Chrome on Android" from a user-agent string; "Another app" for scripts; null when there is none. */
export function deviceLabel(t: Translator, userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const os = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && os) return t("audit.deviceOn", { browser, os });
  if (browser ?? os) return (browser ?? os)!;
  return /^Mozilla\//.test(userAgent) ? t("audit.unknownDevice") : t("audit.otherApp");
}

/** Distinct values remembered per formatter: a few dozen in practice (labels, devices); the cap only bounds odd data. */
const MEMO_LIMIT = 2_000;

function memo<A, R>(fn: (a: A) => R): (a: A) => R {
  const seen = new Map<A, R>();
  return (a) => {
    let r = seen.get(a);
    if (r === undefined && !seen.has(a)) {
      r = fn(a);
      if (seen.size < MEMO_LIMIT) seen.set(a, r);
    }
    return r as R;
  };
}

/**
 * The same translator, remembering each message it has formatted: an export formats the same
 * few labels ("Invoice", "none", "Chrome on Linux") hundreds of thousands of times, and each call
 * of next-intl's translator resolves and formats the message again (a missing key, such as an
 * old action name, builds an error object too).
 */
export function rememberingTranslator(t: Translator): Translator {
  const plain = memo((key: MessageKey) => t(key));
  const withParams = memo((call: string) => {
    const [key, params] = JSON.parse(call) as [MessageKey, TranslateParams];
    return t(key, params);
  });
  return (key, params) => (params === undefined ? plain(key) : withParams(JSON.stringify([key, params])));
}

/** The words of audit rows for one export (or one page): labels, devices and changes, each distinct value formatted once. */
export interface AuditWords {
  action: (action: string) => string;
  target: (targetType: string | null) => string;
  device: (userAgent: string | null) => string | null;
  /** the change in words, as `changesText(auditChanges(t, metadata))` */
  changes: (metadata: unknown) => string;
}

export function auditWords(translator: Translator): AuditWords {
  const t = rememberingTranslator(translator);
  const field = memo((key: string) => fieldLabel(t, key));
  return {
    action: memo((action: string) => actionLabel(t, action)),
    target: memo((targetType: string | null) => targetLabel(t, targetType)),
    device: memo((userAgent: string | null) => deviceLabel(t, userAgent)),
    changes: (metadata) => changesText(auditChanges(t, metadata, field)),
  };
}
