import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import {
  MESSAGE_CATALOG,
  MESSAGE_KEYS,
  TEMPLATE_LOCALES,
  TENANT_TEMPLATE_KEYS,
  isMessageKey,
  isTemplateLocale,
  type MessageKey,
  type TemplateLocale,
  type TemplateText,
} from "@/lib/notifications/catalog";
import { checkTemplate, misplacedSecrets, type TemplateCheck } from "@/lib/notifications/syntax";
import { HIDDEN } from "./redact";

// Templates: validation and resolution (tenant override → global → built-in catalog); rendering
// with React Email is template-render.ts. The template editors call both.
// Secret variables (catalog `secrets`) may only be the whole address of a button line: saving
// anything else is refused, a stored row that breaks the rule is skipped at resolution, and the
// renderer itself puts a secret's value nowhere else (defence in depth). Workspaces cannot override
// the security messages (catalog `security`): their rows are refused on save and ignored here.

export type TemplateChannel = "email";

/**
 * Where the template in use came from, most specific first:
 * tenant+locale → tenant+the tenant's default locale → global+locale → global+en →
 * catalog+locale → catalog+en.
 */
export const TEMPLATE_SOURCES = ["tenant", "tenant_default_locale", "global", "global_default_locale", "catalog", "catalog_en"] as const;
export type TemplateSource = (typeof TEMPLATE_SOURCES)[number];

/** The language every chain ends in. */
export const FALLBACK_LOCALE: TemplateLocale = "en";
export { HIDDEN };

export interface ResolvedTemplate extends TemplateText {
  key: MessageKey;
  /** the language of the template actually used (may differ from the one asked for) */
  locale: TemplateLocale;
  source: TemplateSource;
  updatedAt: Date | null;
  /** stored rows passed over because they break the rules (a secret outside a button, a workspace's security message) */
  skipped: Array<{ level: "tenant" | "global"; locale: TemplateLocale; reason: "security_message" | "secret_misplaced" }>;
}

export interface TemplateListRow {
  key: MessageKey;
  locale: TemplateLocale;
  source: TemplateSource;
  /** this level (the tenant, or the global defaults in the console) has its own text for key + locale */
  overridden: boolean;
  updatedAt: Date | null;
}

export interface TemplateDetail extends TemplateText {
  key: MessageKey;
  locale: TemplateLocale;
  variables: string[];
  sensitive: boolean;
  /** the secret variables: only the whole address of a button line, `[Label]({{link}})` */
  secrets: string[];
  source: TemplateSource;
  overridden: boolean;
  updatedAt: Date | null;
  /** what is used once this level's own text for key + locale is deleted ("Reset to default") */
  fallback: TemplateText & { source: TemplateSource };
  /** the caller may save (the tenant's plan includes custom templates; always true in the console) */
  canEdit: boolean;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Unknown `{{variables}}` (against the key's declared ones), broken braces and secrets outside a button's address. */
export function validateTemplate(key: string, template: TemplateText): TemplateCheck {
  const entry = isMessageKey(key) ? MESSAGE_CATALOG[key] : null;
  return checkTemplate(entry?.variables ?? [], template, entry?.secrets ?? []);
}

/** Refuses a template that would not render as written: the error names the unknown variables. */
export function assertValidTemplate(key: MessageKey, template: TemplateText): void {
  const check = validateTemplate(key, template);
  if (check.unknown.length > 0) {
    throw new AppError(
      "VALIDATION",
      "templates.errors.unknownVariables",
      { variables: check.unknown.join(", "), allowed: MESSAGE_CATALOG[key].variables.join(", ") },
      { unknown: check.unknown },
    );
  }
  const bad = check.malformed[0];
  if (bad) {
    throw new AppError("VALIDATION", bad.field === "subject" ? "templates.errors.malformedSubject" : "templates.errors.malformedBody", {
      near: bad.near,
    });
  }
  const misplaced = check.misplaced[0];
  if (misplaced) {
    throw new AppError(
      "VALIDATION",
      misplaced.field === "subject" ? "templates.errors.secretInSubject" : "templates.errors.secretOutsideButton",
      { variable: `{{${misplaced.variable}}}` },
      { field: misplaced.field, variable: misplaced.variable },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution

interface StoredTemplate extends TemplateText {
  key: string;
  locale: string;
  updatedAt: Date;
}

/** Everything resolution needs for one tenant (or none) and channel, loaded once. */
export interface TemplateRows {
  /** empty when there is no tenant or its plan lacks custom_templates */
  tenant: StoredTemplate[];
  global: StoredTemplate[];
  tenantLocale: TemplateLocale | null;
}

type Level = "tenant" | "global";

const templateSelect = { key: true, locale: true, subject: true, body: true, updatedAt: true } as const;

/**
 * Loads the rows for `keys` (all keys when omitted). A tenant's overrides count only while its plan
 * includes `custom_templates`: after a downgrade they are kept but no longer used.
 */
export async function loadTemplateRows(
  tx: DbTx,
  args: { tenantId: string | null; channel: TemplateChannel; keys?: readonly MessageKey[] },
): Promise<TemplateRows> {
  const keyFilter = args.keys ? { key: { in: [...args.keys] } } : {};
  const global = await tx.globalTemplate.findMany({ where: { channel: args.channel, ...keyFilter }, select: templateSelect });
  if (!args.tenantId) return { tenant: [], global, tenantLocale: null };
  const [tenant, subscription] = await Promise.all([
    tx.tenant.findUnique({ where: { id: args.tenantId }, select: { locale: true } }),
    tx.subscription.findUnique({ where: { tenantId: args.tenantId }, select: { plan: { select: { features: true } } } }),
  ]);
  const tenantLocale = isTemplateLocale(tenant?.locale) ? tenant.locale : null;
  if (!subscription?.plan.features.includes("custom_templates")) return { tenant: [], global, tenantLocale };
  const overrides = await tx.tenantTemplate.findMany({
    // explicit tenantId: this may run in a platform transaction too (the sender, the console)
    where: { tenantId: args.tenantId, channel: args.channel, ...keyFilter },
    select: templateSelect,
  });
  return { tenant: overrides, global, tenantLocale };
}

/**
 * Picks the template for key + locale from loaded rows, in the fallback order. `without` leaves out
 * one stored row (what "Reset to default" would fall back to).
 */
export function pickTemplate(
  rows: TemplateRows,
  key: MessageKey,
  locale: TemplateLocale,
  without?: { level: Level; locale: TemplateLocale },
): ResolvedTemplate {
  const find = (level: Level, loc: TemplateLocale | null) => {
    if (!loc || (without?.level === level && without.locale === loc)) return undefined;
    return rows[level].find((r) => r.key === key && r.locale === loc);
  };
  const chain: Array<[TemplateSource, Level, TemplateLocale | null]> = [
    ["tenant", "tenant", locale],
    ["tenant_default_locale", "tenant", rows.tenantLocale],
    ["global", "global", locale],
    ["global_default_locale", "global", FALLBACK_LOCALE],
  ];
  const entry = MESSAGE_CATALOG[key];
  const skipped: ResolvedTemplate["skipped"] = [];
  for (const [source, level, loc] of chain) {
    const row = find(level, loc);
    if (!row || skipped.some((s) => s.level === level && s.locale === loc)) continue;
    // a workspace's row for a security message (saved before they were closed to workspaces)
    if (level === "tenant" && entry.security) {
      skipped.push({ level, locale: loc!, reason: "security_message" });
      continue;
    }
    // a row that puts a secret anywhere but a button's address (saved before the rule)
    if (misplacedSecrets(row, entry.secrets).length > 0) {
      skipped.push({ level, locale: loc!, reason: "secret_misplaced" });
      continue;
    }
    return { key, locale: loc!, subject: row.subject, body: row.body, source, updatedAt: row.updatedAt, skipped };
  }
  const builtIn = entry.defaults;
  if (builtIn[locale]) return { key, locale, ...builtIn[locale], source: "catalog", updatedAt: null, skipped };
  return { key, locale: FALLBACK_LOCALE, ...builtIn[FALLBACK_LOCALE], source: "catalog_en", updatedAt: null, skipped };
}

/** The template to use for one message, in the fallback order, with its `source`. */
export async function resolveTemplate(
  tx: DbTx,
  m: { tenantId: string | null; key: string; channel: TemplateChannel; locale: string },
): Promise<ResolvedTemplate> {
  const key = messageKey(m.key);
  const rows = await loadTemplateRows(tx, { tenantId: m.tenantId, channel: m.channel, keys: [key] });
  return pickTemplate(rows, key, templateLocale(m.locale, rows.tenantLocale));
}

/** Every key × locale with the template in use (the editors' overview); a workspace's leaves out the security messages. */
export function listTemplates(rows: TemplateRows, level: Level): TemplateListRow[] {
  return (level === "tenant" ? TENANT_TEMPLATE_KEYS : MESSAGE_KEYS).flatMap((key) =>
    TEMPLATE_LOCALES.map((locale) => {
      const used = pickTemplate(rows, key, locale);
      const own = rows[level].find((r) => r.key === key && r.locale === locale);
      return { key, locale, source: used.source, overridden: Boolean(own), updatedAt: own?.updatedAt ?? null };
    }),
  );
}

/** One key + locale for an editor: the text in use, this level's own text, and what a reset falls back to. */
export function templateDetail(
  rows: TemplateRows,
  level: Level,
  key: MessageKey,
  locale: TemplateLocale,
  canEdit: boolean,
): TemplateDetail {
  const used = pickTemplate(rows, key, locale);
  const own = rows[level].find((r) => r.key === key && r.locale === locale);
  const fallback = pickTemplate(rows, key, locale, { level, locale });
  const entry = MESSAGE_CATALOG[key];
  const shown = own ?? fallback;
  return {
    key,
    locale,
    variables: [...entry.variables],
    sensitive: entry.sensitive,
    secrets: [...entry.secrets],
    subject: shown.subject,
    body: shown.body,
    source: used.source,
    overridden: Boolean(own),
    updatedAt: own?.updatedAt ?? null,
    fallback: { subject: fallback.subject, body: fallback.body, source: fallback.source },
    canEdit,
  };
}

export function messageKey(key: string): MessageKey {
  if (!isMessageKey(key)) throw new Error(`unknown message key: ${key}`);
  return key;
}

function templateLocale(locale: string, tenantLocale: TemplateLocale | null): TemplateLocale {
  return isTemplateLocale(locale) ? locale : (tenantLocale ?? FALLBACK_LOCALE);
}
