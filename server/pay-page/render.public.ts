import "server-only";
import { getEnv } from "@/env";
import { createTranslator, type Locale } from "@/lib/i18n";
import { DEFAULT_DIGITS, DIGITS_COOKIE, isDigits } from "@/lib/i18n/format";
import type { HostScope } from "@/server/core/host-scope";
import type { RequestMeta } from "@/server/core/request-meta";
import { isAppError } from "@/server/core/errors";
import { handleServerError } from "@/server/core/observability/report";
import { browserSentryDsn } from "@/server/core/observability/sentry-tunnel";
import { telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";
import { openPayPage, type PayPageOpen } from "@/server/rent-invoices/pay-page.public";
import {
  errorBody,
  languageRedirect,
  notFoundBody,
  payDocument,
  payPageBody,
  rateLimitedBody,
  runtimeConfig,
  suspendedBody,
  type PayDocumentContext,
} from "./document";

// The renter's pay page (/pay/<token> on the workspace's host), answered in one place for its two
// ways in: the route handler under Next (app/(pay)/t/[tenant]/pay/[token]/route.ts) and, in the
// production server, server.mjs's hook (./hook.public.ts), which answers a renter's view without Next's
// request pipeline (issue 13). Both give this function the same facts; it never reads Next's
// request helpers. An unknown, revoked or malformed token is the ordinary 404 (nothing tells them
// apart); a failure is an error page with a reference, never a bare 500.

export interface PayPageRequest {
  /** the workspace the URL names (the route's segment, or the host's label): must be the host's */
  slug: string;
  token: string;
  query: URLSearchParams;
  /** the request's CSP nonce (proxy.ts, or the hook) */
  nonce: string;
  requestId: string | null;
  cookie: (name: string) => string | undefined;
  /** the page's language (the app's rule: cookie, saved language, Accept-Language, the workspace's) */
  locale: () => Promise<Locale>;
  /** the Host header's scope, resolved once per request */
  scope: () => Promise<HostScope | null>;
  meta: RequestMeta;
}

export interface PayPageReply {
  status: number;
  headers: Headers;
  body: string | null;
}

type T = (key: string, params?: Record<string, string | number>) => string;

const HTML_HEADERS: [string, string][] = [
  ["content-type", "text/html; charset=utf-8"],
  ["cache-control", "private, no-cache, no-store, max-age=0, must-revalidate"],
];

function page(document: string, status = 200): PayPageReply {
  return { status, headers: new Headers(HTML_HEADERS), body: document };
}

/** The page, its 404, its notices, or its error page for `r`. */
export async function renderPayPage(r: PayPageRequest): Promise<PayPageReply> {
  const env = getEnv();
  let locale: Locale = "km";
  let ctx: PayDocumentContext | undefined;
  const token = r.token.slice(0, 200);
  const switched = languageRedirect(token, r.query);
  if (switched) return { status: switched.status, headers: switched.headers, body: null };
  try {
    locale = await r.locale();
    const t = createTranslator(locale) as unknown as T;
    const dsn = browserSentryDsn(env);
    const digitsCookie = r.cookie(DIGITS_COOKIE);
    ctx = {
      locale,
      digits: isDigits(digitsCookie) ? digitsCookie : DEFAULT_DIGITS,
      nonce: r.nonce,
      sentry: dsn ? { dsn, environment: env.SENTRY_ENVIRONMENT ?? null } : null,
      staging: env.APP_ENV === "staging" ? t("app.stagingBanner") : null,
    };
    const scope = await r.scope();
    if (scope?.kind !== "tenant" || scope.tenant.slug !== r.slug)
      return page(payDocument(ctx, t("errors.notFoundTitle"), notFoundBody(t)), 404);
    if (scope.tenant.status === "suspended") return page(payDocument(ctx, t("payPage.title"), suspendedBody(t, scope.tenant.name)));

    const pay = r.query.get("pay");
    const payIn = pay === "USD" || pay === "KHR" ? pay : null;
    let opened: PayPageOpen;
    try {
      opened = await openPayPage(scope.tenant, r.meta, locale, { token, payIn });
    } catch (e) {
      if (isAppError(e) && e.code === "TOO_MANY_REQUESTS") return page(payDocument(ctx, t("payPage.title"), rateLimitedBody(t)));
      if (isAppError(e) && e.code === "NOT_FOUND") return page(payDocument(ctx, t("errors.notFoundTitle"), notFoundBody(t)), 404);
      throw e;
    }
    const { view, attempt, telegramLink } = opened;
    // "pay in riel" (?pay=KHR) for a USD invoice, "pay in dollars" for a KHR one (docs/CURRENCY.md),
    // when the invoice can be paid in it today
    const other = view.payInOther;
    const chosen = other && view.khqr && payIn === other.currency ? other.currency : null;
    // the renter's one-time Telegram link (issue 18): openPayPage said whether there is one to offer
    const telegram = telegramLink ? await telegramLinkForPayToken(scope.tenant.id, token).catch(() => null) : null;
    const config = runtimeConfig({
      locale,
      digits: ctx.digits,
      timeZone: scope.tenant.timezone,
      token,
      payIn: chosen,
      view,
      attempt,
      sentry: ctx.sentry,
    });
    const now = attempt ? new Date(attempt.serverNow).getTime() : Date.now();
    const { body, script } = payPageBody({ t, locale, digits: ctx.digits, config, view, payIn: chosen, telegram, now });
    return page(payDocument(ctx, t("payPage.title"), body, script));
  } catch (error) {
    handleServerError(error, { requestId: r.requestId, tenant: r.slug, path: "/pay/[token]" });
    const t = createTranslator(locale) as unknown as T;
    const fallback: PayDocumentContext = ctx ?? { locale, digits: DEFAULT_DIGITS, nonce: r.nonce, sentry: null, staging: null };
    return page(payDocument(fallback, t("errors.errorTitle"), errorBody(t, r.requestId)), 500);
  }
}
