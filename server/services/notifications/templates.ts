import "server-only";
import { createElement } from "react";
import { render, toPlainText } from "@react-email/components";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/errors";
import { createTranslator, isLocale } from "@/lib/i18n";
import {
  MESSAGE_CATALOG,
  MESSAGE_KEYS,
  TEMPLATE_LOCALES,
  isMessageKey,
  isTemplateLocale,
  type MessageKey,
  type TemplateLocale,
  type TemplateText,
} from "@/lib/notifications/catalog";
import { checkTemplate, fill, isHttpUrl, parseBody, tokenize, type TemplateCheck } from "@/lib/notifications/syntax";
import { MessageEmail, type EmailBlock } from "./email-layout";
import { previewFontUrl } from "./preview-font";

// Templates: validation, resolution (tenant override → global → built-in catalog) and rendering
// with React Email. The queue/sender calls `renderMessage`; the template editors call the rest.

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
export const HIDDEN = "[hidden]";

export interface ResolvedTemplate extends TemplateText {
  key: MessageKey;
  /** the language of the template actually used (may differ from the one asked for) */
  locale: TemplateLocale;
  source: TemplateSource;
  updatedAt: Date | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** `text` with the key's secret variables (single-use links) replaced by "[hidden]", for the message log */
  redactedText: string;
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
  source: TemplateSource;
  overridden: boolean;
  updatedAt: Date | null;
  /** what is used once this level's own text for key + locale is deleted ("Reset to default") */
  fallback: TemplateText & { source: TemplateSource };
  /** the caller may save (the tenant's plan includes custom templates; always true in the console) */
  canEdit: boolean;
}

export interface TemplatePreview {
  subject: string;
  html: string;
  text: string;
  check: TemplateCheck;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Unknown `{{variables}}` (against the key's declared ones) and broken braces. */
export function validateTemplate(key: string, template: TemplateText): TemplateCheck {
  const variables = isMessageKey(key) ? MESSAGE_CATALOG[key].variables : [];
  return checkTemplate(variables, template);
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
  for (const [source, level, loc] of chain) {
    const row = find(level, loc);
    if (row) return { key, locale: loc!, subject: row.subject, body: row.body, source, updatedAt: row.updatedAt };
  }
  const builtIn = MESSAGE_CATALOG[key].defaults;
  if (builtIn[locale]) return { key, locale, ...builtIn[locale], source: "catalog", updatedAt: null };
  return { key, locale: FALLBACK_LOCALE, ...builtIn[FALLBACK_LOCALE], source: "catalog_en", updatedAt: null };
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

/** Every key × locale with the template in use (the editors' overview). */
export function listTemplates(rows: TemplateRows, level: Level): TemplateListRow[] {
  return MESSAGE_KEYS.flatMap((key) =>
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
    subject: shown.subject,
    body: shown.body,
    source: used.source,
    overridden: Boolean(own),
    updatedAt: own?.updatedAt ?? null,
    fallback: { subject: fallback.subject, body: fallback.body, source: fallback.source },
    canEdit,
  };
}

function messageKey(key: string): MessageKey {
  if (!isMessageKey(key)) throw new Error(`unknown message key: ${key}`);
  return key;
}

function templateLocale(locale: string, tenantLocale: TemplateLocale | null): TemplateLocale {
  return isTemplateLocale(locale) ? locale : (tenantLocale ?? FALLBACK_LOCALE);
}

// ---------------------------------------------------------------------------------------------
// Rendering

function stringValue(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Renders a subject + body with values: HTML (React Email, values escaped by React) and plain text. */
export async function renderTemplate(args: {
  key: MessageKey;
  locale: TemplateLocale;
  template: TemplateText;
  variables: Record<string, unknown>;
  /** the heading: the tenant's name */
  heading: string;
  /** a web font for Khmer (the editors' preview) */
  fontUrl?: string;
}): Promise<RenderedMessage> {
  const entry = MESSAGE_CATALOG[args.key];
  const declared = new Set(entry.variables);
  const values = (hide: ReadonlySet<string>) => (name: string) =>
    declared.has(name) ? (hide.has(name) ? HIDDEN : stringValue(args.variables[name])) : undefined;
  const none = new Set<string>();
  const subject = fill(tokenize(args.template.subject).segments, values(none)).replace(/\s+/g, " ").trim();
  const t = createTranslator(isLocale(args.locale) ? args.locale : FALLBACK_LOCALE);
  const footer = t("templates.mail.footer", { workspace: args.heading });

  const draw = async (hide: ReadonlySet<string>) => {
    const element = createElement(MessageEmail, {
      lang: args.locale,
      heading: args.heading,
      blocks: toBlocks(args.template.body, values(hide)),
      footer,
      fontUrl: args.fontUrl,
    });
    const html = await render(element);
    return { html, text: plainText(html) };
  };

  const full = await draw(none);
  const redactedText = entry.sensitive ? (await draw(new Set(entry.secrets))).text : full.text;
  return { subject, html: full.html, text: full.text, redactedText };
}

function toBlocks(body: string, value: (name: string) => string | undefined): EmailBlock[] {
  return parseBody(body).map((block): EmailBlock => {
    if (block.kind === "paragraph") return { kind: "paragraph", lines: block.lines.map((line) => fill(line, value)) };
    const label = fill(block.label, value).trim();
    const href = fill(block.url, value).trim();
    // only http(s) addresses become buttons; anything else (javascript:, a hidden link) stays text
    return isHttpUrl(href) ? { kind: "button", label, href } : { kind: "paragraph", lines: [`${label} ${href}`] };
  });
}

function plainText(html: string): string {
  return toPlainText(html, {
    selectors: [
      { selector: "h1", options: { uppercase: false } },
      { selector: "hr", format: "skip" },
    ],
  }).trim();
}

/**
 * The contract with the sender: resolve the template for the message (fallback order), load the
 * tenant's name, render HTML + text, and the text with secrets hidden for the log.
 * `tenantId` null (an apex password reset) uses the global and built-in templates only.
 */
export async function renderMessage(
  tx: DbTx,
  m: { tenantId: string | null; key: string; channel: TemplateChannel; locale: string; variables: Record<string, unknown> },
): Promise<RenderedMessage & { source: TemplateSource; locale: TemplateLocale }> {
  const key = messageKey(m.key);
  const tenant = m.tenantId ? await tx.tenant.findUnique({ where: { id: m.tenantId }, select: { name: true } }) : null;
  if (m.tenantId && !tenant) throw new Error(`renderMessage: tenant ${m.tenantId} not found`);
  const template = await resolveTemplate(tx, { tenantId: m.tenantId, key, channel: m.channel, locale: m.locale });
  const rendered = await renderTemplate({
    key,
    locale: template.locale,
    template,
    variables: m.variables,
    heading: tenant?.name ?? "Phteah",
  });
  return { ...rendered, source: template.source, locale: template.locale };
}

/** The editors' live preview: the given text with the key's sample values (nothing is stored). */
export async function previewTemplate(args: {
  key: MessageKey;
  locale: TemplateLocale;
  template: TemplateText;
  heading?: string;
}): Promise<TemplatePreview> {
  const sample = MESSAGE_CATALOG[args.key].sample;
  const variables = args.heading ? { ...sample, workspace: args.heading } : sample;
  const rendered = await renderTemplate({
    key: args.key,
    locale: args.locale,
    template: args.template,
    variables,
    heading: args.heading ?? sample.workspace ?? "Phteah",
    fontUrl: previewFontUrl(),
  });
  return {
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    check: validateTemplate(args.key, args.template),
  };
}
