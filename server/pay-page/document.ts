import "server-only";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { messagesFor, type Locale } from "@/lib/i18n";
import { LOCALES, LOCALE_COOKIE, isLocale } from "@/lib/i18n/config";
import { createFormat, KHMER_MONTHS, type Digits } from "@/lib/i18n/format";
import { formatMoney, minorDigits } from "@/lib/money";
import { browserScrubRules } from "@/lib/observability/scrub";
import { html, jsonForScript, raw, type Html } from "./html";
import { payPageRuntime, type PayCurrency, type PayRuntimeConfig } from "./runtime";
import { PAY_PAGE_CSS } from "./styles.generated";

// The renter pay page's HTML, written by its route handler (app/(pay)/t/[tenant]/pay/[token]/route.ts)
// instead of React (issues 13 and 17: Next's render of any App Router page cost more server time than
// the page's three SQL statements, and React's runtime most of a phone's blocking time). The same
// document for the page, its 404, its error, its throttle and a suspended workspace: the CSS this
// page uses (Tailwind, styles.generated.ts) inline, no framework script; the live part
// (runtime.ts) is the page's one inline script. Every value is escaped by `html` (html.ts).

type PayPageOpen = inferRouterOutputs<AppRouter>["payPage"]["open"];
export type PayPageView = PayPageOpen["view"];
export type PayCheckoutView = NonNullable<PayPageOpen["attempt"]>;

/** Notyf's script and styles, for the first toast (app/api/pay-page/notyf/route.ts) */
export const NOTYF_SRC = "/api/pay-page/notyf";

type T = (key: string, params?: Record<string, string | number>) => string;

export interface PayDocumentContext {
  locale: Locale;
  digits: Digits;
  /** the request's CSP nonce (proxy.ts) */
  nonce: string;
  /** the browser's Sentry DSN (server/core/observability/sentry-tunnel.ts), when monitoring is on */
  sentry: { dsn: string; environment: string | null } | null;
  /** the staging banner's text, on a staging server */
  staging: string | null;
}

const runtimeMessagesByLocale = new Map<Locale, Record<string, string>>();
const moneySpecs = new Map<string, { d: number; pre: string; suf: string }>();

/** The page's messages (`payPage.*`, the KHQR brand, the error toast), flat, for the runtime; once per locale and process. */
function runtimeMessages(locale: Locale): Record<string, string> {
  let out = runtimeMessagesByLocale.get(locale);
  if (!out) runtimeMessagesByLocale.set(locale, (out = flatRuntimeMessages(locale)));
  return out;
}

function flatRuntimeMessages(locale: Locale): Record<string, string> {
  const m = messagesFor(locale);
  const out: Record<string, string> = {};
  const walk = (prefix: string, node: unknown) => {
    if (typeof node === "string") out[prefix] = node;
    else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(`${prefix}.${k}`, v);
  };
  walk("payPage", m.payPage);
  walk("files.logo.alt", m.files.logo.alt);
  walk("billing.checkout.brand", m.billing.checkout.brand);
  walk("errors.errorBody", m.errors.errorBody);
  return out;
}

/** A currency's money as lib/i18n/format.ts prints it: its digits and the symbol before / after the amount. */
export function moneySpec(locale: Locale, currency: string): { d: number; pre: string; suf: string } {
  const key = `${locale}:${currency}`;
  let spec = moneySpecs.get(key);
  if (!spec) moneySpecs.set(key, (spec = sampleMoneySpec(locale, currency)));
  return spec;
}

function sampleMoneySpec(locale: Locale, currency: string): { d: number; pre: string; suf: string } {
  const d = minorDigits(currency);
  const zero = (0).toFixed(d);
  const sample = createFormat(locale, "latn").money(0, currency);
  const at = sample.indexOf(zero);
  return at === -1 ? { d, pre: "", suf: ` ${currency}` } : { d, pre: sample.slice(0, at), suf: sample.slice(at + zero.length) };
}

export function runtimeConfig(p: {
  locale: Locale;
  digits: Digits;
  timeZone: string;
  token: string;
  payIn: PayCurrency | null;
  view: PayPageView;
  attempt: PayCheckoutView | null;
  sentry: PayDocumentContext["sentry"];
}): PayRuntimeConfig {
  const inv = p.view.invoice;
  const currencies = new Set([inv.currency, "USD", "KHR"]);
  if (p.attempt) currencies.add(p.attempt.currency);
  return {
    token: p.token,
    payIn: p.payIn,
    locale: p.locale,
    digits: p.digits,
    timeZone: p.timeZone,
    kmMonths: [...KHMER_MONTHS],
    money: Object.fromEntries([...currencies].map((c) => [c, moneySpec(p.locale, c)])),
    s: runtimeMessages(p.locale),
    invoice: {
      number: inv.number,
      status: inv.status,
      currency: inv.currency,
      total: inv.total,
      amountPaid: inv.amountPaid,
      amountDue: inv.amountDue,
      paidAt: inv.paidAt ? new Date(inv.paidAt).toISOString() : null,
    },
    khqr: p.view.khqr,
    simulator: p.view.simulator,
    attempt: p.attempt
      ? {
          ...p.attempt,
          expiresAt: p.attempt.expiresAt ? new Date(p.attempt.expiresAt).toISOString() : null,
          serverNow: new Date(p.attempt.serverNow).toISOString(),
        }
      : null,
    sentry: p.sentry,
    scrub: browserScrubRules(),
    notyfSrc: NOTYF_SRC,
  };
}

/** The whole document around `body`; `script` (already safe) runs at the end of the body. */
export function payDocument(ctx: PayDocumentContext, title: string, body: Html, script?: string): string {
  const n = ctx.nonce;
  return `<!DOCTYPE html>${html`<html lang="${ctx.locale}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="theme-color" content="#0f766e" />
      <title>${title} · Phteah</title>
      <meta name="description" content="Rental management for Cambodia" />
      <meta name="robots" content="noindex, nofollow" />
      <meta name="referrer" content="no-referrer" />
      <link rel="manifest" href="/manifest.webmanifest" />
      <link rel="icon" href="/favicon.ico" sizes="48x48" />
      <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
      <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
      ${
        ctx.sentry
          ? html`<meta
                name="sentry-dsn"
                content="${ctx.sentry.dsn}"
              />${ctx.sentry.environment ? html`<meta name="sentry-environment" content="${ctx.sentry.environment}" />` : ""}`
          : ""
      }
      <style nonce="${n}">
        ${raw(PAY_PAGE_CSS)}
      </style>
    </head>
    <body class="font-sans text-slate-900 antialiased">
      ${
        ctx.staging
          ? html`<div
              role="note"
              data-testid="staging-banner"
              class="sticky top-0 z-50 bg-amber-400 px-3 py-1 text-center text-sm font-semibold text-amber-950"
            >
              ${ctx.staging}
            </div>`
          : ""
      }${body}${
        script
          ? html`<script nonce="${n}">
              ${raw(script)};
            </script>`
          : ""
      }
    </body>
  </html>`}`;
}

/** The ordinary 404 (app/_components/not-found-panel.tsx's look): unknown, revoked and malformed tokens alike. */
export function notFoundBody(t: T): Html {
  return html`<main id="main" class="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 px-4 text-center">
    <p class="text-5xl font-bold text-teal-800">404</p>
    <h1 class="text-2xl font-semibold" data-testid="not-found">${t("errors.notFoundTitle")}</h1>
    <p class="max-w-md text-slate-600">${t("errors.notFoundBody")}</p>
    <a href="/" class="text-teal-800 underline">${t("errors.goHome")}</a>
  </main>`;
}

/** Instead of a bare 500: app/(app)/error.tsx's panel; "try again" reloads the page. */
export function errorBody(t: T, reference: string | null): Html {
  return html`<main id="main">
    <div role="alert" class="mx-auto my-16 max-w-md rounded-xl border border-red-200 bg-white p-6 text-center shadow-sm">
      <h1 class="text-xl font-semibold text-slate-900">${t("errors.errorTitle")}</h1>
      <p class="mt-2 text-slate-600">${t("errors.errorBody")}</p>
      ${reference ? html`<p class="mt-2 font-mono text-xs text-slate-500">${t("errors.reference", { ref: reference })}</p>` : ""}<a
        href=""
        class="mt-4 inline-block rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white"
        >${t("errors.tryAgain")}</a
      >
    </div>
  </main>`;
}

export function rateLimitedBody(t: T): Html {
  return html`<main
    id="main"
    class="flex min-h-screen flex-col items-center justify-center gap-2 bg-slate-50 px-4 text-center"
    data-testid="pay-rate-limited"
  >
    <h1 class="text-xl font-semibold text-slate-900">${t("payPage.rateLimitedTitle")}</h1>
    <p class="max-w-sm text-sm text-slate-600">${t("payPage.rateLimitedBody")}</p>
  </main>`;
}

/** app/_components/workspace-suspended.tsx's look. */
export function suspendedBody(t: T, workspace: string): Html {
  return html`<main
    id="main"
    class="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 px-4 text-center"
    data-testid="suspended"
  >
    <h1 class="text-2xl font-semibold">${t("workspace.suspendedTitle")}</h1>
    <p class="max-w-md text-slate-600">${t("workspace.suspendedBody", { workspace })}</p>
  </main>`;
}

const rateText = (khrPerUsd: number) => new Intl.NumberFormat("en-US").format(khrPerUsd);

/** USD and riel (docs/CURRENCY.md): the total in the other currency, and "pay in riel / dollars" (links: no script). */
function currencyChoice(t: T, locale: Locale, view: PayPageView, payIn: PayCurrency | null): Html | "" {
  const eq = view.equivalent;
  const other = view.khqr ? view.payInOther : null;
  if (!eq && !other) return "";
  const label = (c: string) => (c === "KHR" ? t("currency.pay.inRiel") : t("currency.pay.inDollars"));
  const option = (active: boolean) =>
    `flex min-h-11 items-center justify-center rounded-lg px-3 text-center font-medium ring-1 ${
      active ? "bg-teal-700 text-white ring-teal-700" : "bg-white text-teal-800 ring-slate-300 hover:bg-slate-50"
    }`;
  return html`<section class="space-y-3 rounded-2xl bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200" data-testid="pay-currency">
    ${
      eq
        ? html`<p class="text-slate-600 tabular-nums" data-testid="pay-equivalent">
            ${t("currency.equivalent", {
              amount: formatMoney(eq.amount, eq.currency, locale),
              rate: rateText(eq.khrPerUsd),
            })}
          </p>`
        : ""
    }${
      other
        ? html`<nav class="grid grid-cols-2 gap-2" aria-label="${t("currency.pay.choose")}">
              <a
                href="?"
                class="${option(payIn === null)}"
                ${payIn === null ? raw(' aria-current="page"') : ""}
                data-testid="pay-in-invoice"
                >${label(view.invoice.currency)}</a
              ><a
                href="?pay=${other.currency}"
                class="${option(payIn !== null)}"
                ${payIn !== null ? raw(' aria-current="page"') : ""}
                data-testid="pay-in-other"
                >${label(other.currency)}</a
              >
            </nav>
            ${
              payIn
                ? html`<p class="text-slate-700 tabular-nums" data-testid="pay-in-other-note">
                    ${t(other.currency === "KHR" ? "currency.pay.rielNote" : "currency.pay.dollarNote", {
                      amount: formatMoney(other.amount, other.currency, locale),
                      rate: rateText(other.khrPerUsd),
                    })}
                  </p>`
                : ""
            }`
        : ""
    }
  </section>`;
}

/** The workspace's own cash and bank-transfer instructions (/settings → "Cash and bank transfer"). */
function instructions(t: T, view: PayPageView): Html | "" {
  const i = view.instructions;
  if (!i) return "";
  const rows: Array<{ label: string; value: string; tel?: boolean }> = [];
  if (i.bankName) rows.push({ label: t("invoices.pdf.howToPay.bankName"), value: i.bankName });
  if (i.accountName) rows.push({ label: t("invoices.pdf.howToPay.accountName"), value: i.accountName });
  if (i.accountNumber) rows.push({ label: t("invoices.pdf.howToPay.accountNumber"), value: i.accountNumber });
  if (i.phone) rows.push({ label: t("invoices.pdf.howToPay.phone"), value: i.phone, tel: true });
  return html`<dl class="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5" data-testid="pay-instructions">
    ${rows.map(
      (r) =>
        html`<div class="contents">
          <dt class="text-slate-600">${r.label}</dt>
          <dd class="font-medium break-words text-slate-900 tabular-nums">
            ${
              r.tel
                ? html`<a href="${`tel:${r.value.replace(/[\s-]/g, "")}`}" class="text-teal-800 underline underline-offset-2"
                    >${r.value}</a
                  >`
                : r.value
            }
          </dd>
        </div>`,
    )}
  </dl>`;
}

/** The renter's one-time Telegram link (issue 18): its QR and a button; nothing without one. */
function telegramBox(t: T, link: { url: string; qr: string } | null): Html | "" {
  if (!link) return "";
  return html`<aside class="rounded-2xl border border-sky-200 bg-sky-50 p-4 text-sm" data-testid="pay-telegram">
    <h2 class="font-semibold text-slate-900">${t("telegram.pay.title")}</h2>
    <p class="mt-1 text-slate-700">${t("telegram.pay.body")}</p>
    <div class="mt-3 flex items-center gap-3">
      <img src="${link.qr}" alt="${t("telegram.panel.qrAlt")}" width="96" height="96" class="rounded bg-white" /><a
        href="${link.url}"
        rel="noreferrer"
        class="inline-flex min-h-10 items-center justify-center rounded-lg bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800"
        >${t("telegram.pay.open")}</a
      >
    </div>
  </aside>`;
}

/**
 * The renter's language switch: a link per language to this page with `?lang=` (the route handler
 * keeps the choice in the same cookie the app's language select sets, then shows the page again),
 * so it works before and without the script. Each language is named in its own script.
 */
function languageSwitch(t: T, locale: Locale, token: string, payIn: PayCurrency | null): Html {
  return html`<nav aria-label="${t("app.language")}" class="flex shrink-0 items-center gap-1 text-sm" data-testid="pay-language">
    ${LOCALES.map((l) =>
      l === locale
        ? html`<span aria-current="true" class="rounded-md bg-teal-700 px-2 py-1 font-medium text-white" lang="${l}"
            >${t(`locale.${l}`)}</span
          >`
        : html`<a
            href="${payPagePath(token, payIn, l)}"
            hreflang="${l}"
            lang="${l}"
            rel="nofollow"
            class="rounded-md px-2 py-1 text-teal-800 underline-offset-2 hover:underline"
            data-testid="pay-language-${l}"
            >${t(`locale.${l}`)}</a
          >`,
    )}
  </nav>`;
}

/**
 * `?lang=km|en` (the language switch): a 303 back to the page without it, the choice kept for a year in
 * the app's language cookie. An unknown value changes nothing; the redirect only ever names this page.
 */
export function languageRedirect(token: string, query: URLSearchParams): Response | null {
  const lang = query.get("lang");
  if (lang === null) return null;
  const pay = query.get("pay");
  const headers = new Headers({ location: payPagePath(token, pay === "USD" || pay === "KHR" ? pay : null), "cache-control": "no-store" });
  if (isLocale(lang)) headers.append("set-cookie", `${LOCALE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`);
  return new Response(null, { status: 303, headers });
}

/** This pay page's path on the workspace's host, with the chosen currency and, to switch, a language. */
export function payPagePath(token: string, payIn: PayCurrency | null, lang?: Locale): string {
  const query = new URLSearchParams();
  if (payIn) query.set("pay", payIn);
  if (lang) query.set("lang", lang);
  const q = query.toString();
  return `/pay/${encodeURIComponent(token)}${q ? `?${q}` : ""}`;
}

/** Source text that cannot end its script element or open a comment in it (`<\/script` is the same string to JavaScript). */
function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** the browser's copy of the live part, made safe once per process */
const RUNTIME_SOURCE = scriptSafe(payPageRuntime.toString());

const LINE_KINDS = new Set(["rent", "electricity", "water", "charge", "late_fee"]);

/**
 * The page: the workspace, the invoice and what is due; the live part (runtime.ts) renders the
 * status, the totals and the KHQR, "Paid" or closed section, on the server now and in the browser later.
 */
export function payPageBody(p: {
  t: T;
  locale: Locale;
  digits: Digits;
  config: PayRuntimeConfig;
  view: PayPageView;
  payIn: PayCurrency | null;
  telegram: { url: string; qr: string } | null;
  now: number;
}): { body: Html; script: string } {
  const { t, view, config } = p;
  const runtime = payPageRuntime(config, false);
  const rt = runtime.t;
  const fmt = createFormat(p.locale, p.digits);
  const inv = view.invoice;
  const money = (minor: number) => runtime.money(minor, inv.currency);
  const state = runtime.initialState(p.now);
  const manual = html`<section class="rounded-2xl bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200" data-testid="pay-manual">
    <h2 class="mb-1 font-semibold text-slate-900">${rt("payPage.manualTitle")}</h2>
    ${view.khqr ? "" : html`<p class="mb-1 text-slate-600">${rt("payPage.khqrUnavailableBody")}</p>`}
    <p class="text-slate-700">
      ${rt("payPage.manualBody", {
        workspace: view.workspace.name,
        number: inv.number,
      })}
    </p>
    ${instructions(t, view)}
  </section>`;
  const live = runtime.render(state, p.now, {
    currency: html`${currencyChoice(t, p.locale, view, p.payIn)}`.__html,
    manual: manual.__html,
  });
  const body = html`<main id="main" class="min-h-screen bg-slate-50 px-4 py-6 sm:py-10">
    <div class="mx-auto w-full max-w-md space-y-4">
      <header class="flex items-center gap-3" data-testid="pay-workspace">
        ${
          view.workspace.logoUrl
            ? html`<img
                src="${view.workspace.logoUrl}"
                alt="${rt("files.logo.alt", { workspace: view.workspace.name })}"
                class="h-12 w-12 rounded-lg bg-white object-contain ring-1 ring-slate-200"
                data-testid="pay-logo"
              />`
            : ""
        }
        <div class="min-w-0 flex-1">
          <h1 class="truncate text-lg font-semibold text-slate-900">${view.workspace.name}</h1>
          <p class="text-sm text-slate-500">${rt("payPage.title")}</p>
        </div>
        ${languageSwitch(t, p.locale, config.token, p.payIn)}
      </header>
      <section class="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="pay-invoice">
        <div class="flex items-start justify-between gap-3 border-b border-slate-100 p-4">
          <div>
            <p class="text-xs uppercase tracking-wide text-slate-500">${rt("payPage.invoice")}</p>
            <p class="font-mono text-base font-semibold text-slate-900" data-testid="pay-invoice-number">${inv.number}</p>
            <p class="text-sm text-slate-600">${rt("payPage.period")}: ${fmt.month(inv.period)}</p>
            <p class="text-sm text-slate-600">${rt("payPage.dueDate")}: ${fmt.day(inv.dueDate)}</p>
          </div>
          ${raw(live.badge)}
        </div>
        <div class="p-4">
          <h2 class="mb-2 text-sm font-medium text-slate-700">${rt("payPage.details")}</h2>
          <ul class="divide-y divide-slate-100 text-sm">
            ${inv.lines.map(
              (l) =>
                html`<li class="flex items-baseline justify-between gap-3 py-2">
                  <span class="min-w-0"
                    ><span class="block text-slate-900"
                      >${l.description || (LINE_KINDS.has(l.kind) ? rt(`payPage.kind.${l.kind}`) : l.kind)}</span
                    >${
                      l.quantity !== 1
                        ? html`<span class="block text-xs text-slate-500"
                            >${rt("payPage.quantity", { quantity: l.quantity, unit: money(l.unitAmount) })}</span
                          >`
                        : ""
                    }</span
                  ><span class="shrink-0 tabular-nums text-slate-900">${money(l.amount)}</span>
                </li>`,
            )}
          </ul>
          ${raw(live.totals)}
        </div>
      </section>
      <div class="space-y-4" data-pay-live>${raw(live.live)}</div>
      ${telegramBox(t, p.telegram)}
      <p class="pt-2 text-center text-xs text-slate-600">${rt("payPage.footer")}</p>
    </div>
  </main>`;
  return { body, script: `(${RUNTIME_SOURCE})(${jsonForScript(config)}, true);` };
}
