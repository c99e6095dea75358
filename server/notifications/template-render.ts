import "server-only";
import { createElement } from "react";
import { render, toPlainText } from "@react-email/components";
import type { DbTx } from "@/server/db/tenant-db";
import { createTranslator, isLocale } from "@/lib/i18n";
import { MESSAGE_CATALOG, type MessageKey, type TemplateLocale, type TemplateText } from "@/lib/notifications/catalog";
import { fill, isHttpUrl, parseBody, soleVariable, tokenize, type TemplateCheck } from "@/lib/notifications/syntax";
import { logger } from "@/server/core/observability/logger";
import { MessageEmail, type EmailBlock } from "./email-layout";
import { previewFontUrl } from "./preview-font";
import { HIDDEN, redactValues, secretValues } from "./redact";
import { FALLBACK_LOCALE, messageKey, resolveTemplate, validateTemplate, type TemplateChannel, type TemplateSource } from "./templates";

// Rendering a resolved template with React Email: the queue/sender calls `renderMessage`, the
// template editors' preview `previewTemplate`. Outside a button's address a secret variable's value
// is never written (defence in depth; templates.ts refuses such templates on save).

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** `text` with the key's secret variables (single-use links) replaced by "[hidden]", for the message log */
  redactedText: string;
  /** `subject` as stored in the message log: secret values (never there by construction) replaced too */
  redactedSubject: string;
  /** the body's buttons, for channels that draw them themselves (Telegram's inline keyboard) */
  buttons?: Array<{ label: string; url: string }>;
}

export interface TemplatePreview {
  subject: string;
  html: string;
  text: string;
  check: TemplateCheck;
}

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
  const secrets = new Set(entry.secrets);
  // outside a button's address a secret is always "[hidden]", whatever the template says
  const values =
    (reveal: boolean) =>
    (name: string): string | undefined =>
      declared.has(name) ? (secrets.has(name) && !reveal ? HIDDEN : stringValue(args.variables[name])) : undefined;
  const subject = fill(tokenize(args.template.subject).segments, values(false)).replace(/\s+/g, " ").trim();
  const t = createTranslator(isLocale(args.locale) ? args.locale : FALLBACK_LOCALE);
  const footer = t("templates.mail.footer", { workspace: args.heading });

  const draw = async (revealButtons: boolean) => {
    const element = createElement(MessageEmail, {
      lang: args.locale,
      heading: args.heading,
      blocks: toBlocks(args.template.body, values(false), revealButtons ? values(true) : values(false), secrets),
      footer,
      fontUrl: args.fontUrl,
    });
    const html = await render(element);
    return { html, text: plainText(html) };
  };

  const full = await draw(true);
  const hidden = secretValues(args.key, args.variables);
  const redactedText = redactValues(entry.sensitive ? (await draw(false)).text : full.text, hidden);
  return { subject, html: full.html, text: full.text, redactedText, redactedSubject: redactValues(subject, hidden) };
}

/**
 * The body's blocks. `text` fills paragraphs, labels and addresses; a secret is filled with
 * `button` (its value, when sending) only where it is the whole address of a button line.
 */
function toBlocks(
  body: string,
  text: (name: string) => string | undefined,
  button: (name: string) => string | undefined,
  secrets: ReadonlySet<string>,
): EmailBlock[] {
  return parseBody(body).flatMap((block): EmailBlock[] => {
    // a value with several lines (a list of workspaces) keeps its line breaks
    if (block.kind === "paragraph") return [{ kind: "paragraph", lines: block.lines.flatMap((line) => fill(line, text).split("\n")) }];
    const label = fill(block.label, text).trim();
    const sole = soleVariable(block.url);
    const href = (sole !== null && secrets.has(sole) ? fill(block.url, button) : fill(block.url, text)).trim();
    // an optional button whose address is empty (contract.activated without a Telegram link) is left out
    if (href === "") return [];
    // only http(s) addresses become buttons; anything else (javascript:, a hidden link) stays text
    return isHttpUrl(href) ? [{ kind: "button", label, href }] : [{ kind: "paragraph", lines: [`${label} ${href}`] }];
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
 * The Telegram variant of a message (same key, same wording): plain text — the subject, then the
 * paragraphs — with each button line as an inline-keyboard URL button instead of text. The log's
 * text names the buttons with their addresses (secret ones hidden).
 */
export function renderTelegramText(args: { key: MessageKey; template: TemplateText; variables: Record<string, unknown> }): {
  subject: string;
  text: string;
  redactedText: string;
  buttons: Array<{ label: string; url: string }>;
} {
  const entry = MESSAGE_CATALOG[args.key];
  const declared = new Set(entry.variables);
  const secrets = new Set(entry.secrets);
  const values =
    (reveal: boolean) =>
    (name: string): string | undefined =>
      declared.has(name) ? (secrets.has(name) && !reveal ? HIDDEN : stringValue(args.variables[name])) : undefined;
  const subject = fill(tokenize(args.template.subject).segments, values(false)).replace(/\s+/g, " ").trim();
  const shown = toBlocks(args.template.body, values(false), values(true), secrets);
  const logged = toBlocks(args.template.body, values(false), values(false), secrets);
  const paragraphs = (blocks: EmailBlock[]) =>
    blocks.flatMap((b) => (b.kind === "paragraph" ? [b.lines.join("\n").trim()] : [])).filter((p) => p.length > 0);
  const buttons = shown.flatMap((b) => (b.kind === "button" ? [{ label: b.label, url: b.href }] : []));
  const text = [subject, ...paragraphs(shown)].join("\n\n");
  const hidden = secretValues(args.key, args.variables);
  const loggedButtons = logged.flatMap((b) => (b.kind === "button" ? [`[${b.label}] ${b.href}`] : []));
  const redactedText = redactValues([subject, ...paragraphs(logged), ...loggedButtons].join("\n\n"), hidden);
  return { subject, text, redactedText, buttons };
}

/**
 * The contract with the sender: resolve the template for the message (fallback order), load the
 * tenant's name, render HTML + text, and the text with secrets hidden for the log.
 * `tenantId` null (an apex password reset) uses the global and built-in templates only.
 */
export async function renderMessage(
  tx: DbTx,
  m: { tenantId: string | null; key: string; channel: TemplateChannel | "telegram"; locale: string; variables: Record<string, unknown> },
): Promise<RenderedMessage & { source: TemplateSource; locale: TemplateLocale }> {
  const key = messageKey(m.key);
  const tenant = m.tenantId ? await tx.tenant.findUnique({ where: { id: m.tenantId }, select: { name: true } }) : null;
  if (m.tenantId && !tenant) throw new Error(`renderMessage: tenant ${m.tenantId} not found`);
  // Telegram uses the same templates (a workspace's wording applies to both), drawn as plain text + buttons
  const template = await resolveTemplate(tx, { tenantId: m.tenantId, key, channel: "email", locale: m.locale });
  if (template.skipped.length > 0) {
    logger.warn(
      { tenantId: m.tenantId, key, locale: m.locale, skipped: template.skipped, used: template.source },
      "stored message templates skipped: they break the rules for secret links",
    );
  }
  if (m.channel === "telegram") {
    const tg = renderTelegramText({ key, template, variables: m.variables });
    return {
      subject: tg.subject,
      text: tg.text,
      html: "",
      redactedText: tg.redactedText,
      redactedSubject: redactValues(tg.subject, secretValues(key, m.variables)),
      buttons: tg.buttons,
      source: template.source,
      locale: template.locale,
    };
  }
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
