import { cookies, headers } from "next/headers";
import { TRPCError } from "@trpc/server";
import { getEnv } from "@/env";
import { createTranslator, type Locale } from "@/lib/i18n";
import { DEFAULT_DIGITS, DIGITS_COOKIE, isDigits } from "@/lib/i18n/format";
import { REQUEST_ID_HEADER } from "@/server/core/http";
import { getLocale, getScope, getServerCaller } from "@/server/core/page-context";
import { handleServerError } from "@/server/core/observability/report";
import { browserSentryDsn } from "@/server/core/observability/sentry-tunnel";
import { telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";
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
} from "@/server/pay-page/document";

// The renter's pay page on the tenant host (/pay/<token>, rewritten here by proxy.ts): outside the
// workspace, no session, the token in the URL is the key. A route handler that writes the page's
// HTML (server/pay-page/document.ts), not a React page: issues 13 (the page's server time within
// twice its SQL) and 17 (no framework JavaScript on a renter's phone). The tenant comes from the
// Host header (getScope), never from the URL segment. An unknown, revoked or malformed token is the
// ordinary 404 (nothing tells them apart); a failure is an error page, never a bare 500.
export const dynamic = "force-dynamic";

type T = (key: string, params?: Record<string, string | number>) => string;

function respond(document: string, status = 200): Response {
  return new Response(document, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate" },
  });
}

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string; token: string }> }): Promise<Response> {
  const h = await headers();
  const env = getEnv();
  let locale: Locale = "km";
  let ctx: PayDocumentContext | undefined;
  const { tenant: slug, token } = await params;
  const query = new URL(request.url).searchParams;
  const switched = languageRedirect(token.slice(0, 200), query);
  if (switched) return switched;
  try {
    locale = await getLocale();
    const t = createTranslator(locale) as unknown as T;
    const dsn = browserSentryDsn(env);
    const digitsCookie = (await cookies()).get(DIGITS_COOKIE)?.value;
    ctx = {
      locale,
      digits: isDigits(digitsCookie) ? digitsCookie : DEFAULT_DIGITS,
      nonce: h.get("x-nonce") ?? "",
      sentry: dsn ? { dsn, environment: env.SENTRY_ENVIRONMENT ?? null } : null,
      staging: env.APP_ENV === "staging" ? t("app.stagingBanner") : null,
    };
    const scope = await getScope();
    if (scope?.kind !== "tenant" || scope.tenant.slug !== slug)
      return respond(payDocument(ctx, t("errors.notFoundTitle"), notFoundBody(t)), 404);
    if (scope.tenant.status === "suspended") return respond(payDocument(ctx, t("payPage.title"), suspendedBody(t, scope.tenant.name)));

    const pay = query.get("pay");
    const payIn = pay === "USD" || pay === "KHR" ? pay : null;
    let opened;
    try {
      opened = await (await getServerCaller()).payPage.open({ token: token.slice(0, 200), payIn });
    } catch (e) {
      if (e instanceof TRPCError && e.code === "TOO_MANY_REQUESTS")
        return respond(payDocument(ctx, t("payPage.title"), rateLimitedBody(t)));
      if (e instanceof TRPCError && e.code === "NOT_FOUND")
        return respond(payDocument(ctx, t("errors.notFoundTitle"), notFoundBody(t)), 404);
      throw e;
    }
    const { view, attempt, telegramLink } = opened;
    // "pay in riel" (?pay=KHR) for a USD invoice, "pay in dollars" for a KHR one (docs/CURRENCY.md),
    // when the invoice can be paid in it today
    const other = view.payInOther;
    const chosen = other && view.khqr && payIn === other.currency ? other.currency : null;
    // the renter's one-time Telegram link (issue 18): payPage.open said whether there is one to offer
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
    return respond(payDocument(ctx, t("payPage.title"), body, script));
  } catch (error) {
    const requestId = h.get(REQUEST_ID_HEADER);
    handleServerError(error, { requestId, tenant: slug, path: "/pay/[token]" });
    const t = createTranslator(locale) as unknown as T;
    const fallback: PayDocumentContext = ctx ?? {
      locale,
      digits: DEFAULT_DIGITS,
      nonce: h.get("x-nonce") ?? "",
      sentry: null,
      staging: null,
    };
    return respond(payDocument(fallback, t("errors.errorTitle"), errorBody(t, requestId)), 500);
  }
}
