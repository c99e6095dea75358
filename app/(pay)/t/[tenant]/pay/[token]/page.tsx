import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { PayPage, type PayAttemptData, type PayPageData } from "@/components/payments/pay-page";
import { PayInstructions } from "./pay-instructions";
import { getScope, getServerCaller, getT } from "@/server/core/page-context";
import { Suspense } from "react";
import { TelegramPayLink } from "./telegram-link";
import { PayCurrencyChoice, payInFrom } from "./currency-choice";

// The renter's pay page on the tenant host (/pay/<token>): outside the workspace, no session.
// An unknown, revoked or malformed token is the ordinary 404 (nothing tells them apart).
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("payPage.title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

/**
 * The view and the KHQR attempt in one call, so the QR is in the HTML instead of after the page's
 * JavaScript and a round trip (a phone's largest paint). An attempt still payable another minute is
 * resumed by the view's own statement, with no write; a new one is started through the checkout's
 * throttle, as the browser's start is. When none can be shown (a throttle, Bakong away) the browser
 * asks, as before, and shows the answer with its retry.
 */
async function load(
  token: string,
  pay: string | string[] | undefined,
): Promise<{ view: PayPageData; attempt: PayAttemptData | null; telegramLink: boolean } | "rate_limited"> {
  const caller = await getServerCaller();
  try {
    return await caller.payPage.open({ token: token.slice(0, 200), payIn: pay === "USD" || pay === "KHR" ? pay : null });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "TOO_MANY_REQUESTS") return "rate_limited";
    if (e instanceof TRPCError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

export default async function RenterPayPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ pay?: string | string[] }>;
}) {
  const scope = await getScope();
  if (scope?.kind !== "tenant") notFound();
  const { token } = await params;
  const { pay } = await searchParams;
  const loaded = await load(token, pay);
  if (loaded === "rate_limited") {
    const t = await getT();
    return (
      <main
        id="main"
        className="flex min-h-screen flex-col items-center justify-center gap-2 bg-slate-50 px-4 text-center"
        data-testid="pay-rate-limited"
      >
        <h1 className="text-xl font-semibold text-slate-900">{t("payPage.rateLimitedTitle")}</h1>
        <p className="max-w-sm text-sm text-slate-600">{t("payPage.rateLimitedBody")}</p>
      </main>
    );
  }
  // "pay in riel" (?pay=KHR) for a USD invoice, "pay in dollars" for a KHR one (docs/CURRENCY.md)
  const { view, attempt, telegramLink } = loaded;
  const payIn = payInFrom(view, pay);
  return (
    <PayPage
      token={token}
      initial={view}
      initialAttempt={attempt}
      timeZone={scope.tenant.timezone}
      manualDetails={<PayInstructions instructions={view.instructions} />}
      payIn={payIn}
      currencyChoice={<PayCurrencyChoice view={view} payIn={payIn} />}
      telegramLink={
        // streamed after the page: the renter's one-time Telegram link (issue 18); payPage.open already
        // said whether there is one to offer (a bot, the renter unlinked), so no box costs no transaction
        telegramLink ? (
          <Suspense fallback={null}>
            <TelegramPayLink tenantId={scope.tenant.id} payToken={token} />
          </Suspense>
        ) : null
      }
    />
  );
}
