"use client";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import superjson from "superjson";
import type { RouterInputs, RouterOutputs } from "@/lib/trpc/client";
import { usePayI18n } from "./pay-i18n";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { useNow } from "@/components/billing/use-now";

export type PayPageData = RouterOutputs["payPage"]["view"];
export type PayAttemptData = RouterOutputs["payPage"]["checkout"];
type PayStatusData = RouterOutputs["payPage"]["status"];

/** The server's safe, translated message of a refused call ("" when there is none: the caller's fallback). */
class PayCallError extends Error {}

/**
 * One tRPC procedure over plain fetch (the wire format of the app's httpBatchLink with superjson,
 * one call per request): the pay page loads neither the tRPC client nor react-query (issue 17).
 */
async function callPayPage<P extends "checkout" | "status" | "simulate">(
  procedure: P,
  input: RouterInputs["payPage"][P],
): Promise<RouterOutputs["payPage"][P]> {
  const path = `/api/trpc/payPage.${procedure}`;
  const wire = JSON.stringify(superjson.serialize(input));
  const res = await fetch(
    procedure === "status" ? `${path}?input=${encodeURIComponent(wire)}` : path,
    procedure === "status"
      ? { headers: { accept: "application/json" } }
      : { method: "POST", headers: { "content-type": "application/json" }, body: wire },
  ).catch(() => null);
  const payload = (await res?.json().catch(() => null)) as {
    result?: { data?: Parameters<typeof superjson.deserialize>[0] };
    error?: { json?: { message?: unknown } };
  } | null;
  if (res?.ok && payload?.result?.data !== undefined) return superjson.deserialize(payload.result.data);
  const message = payload?.error?.json?.message;
  throw new PayCallError(typeof message === "string" ? message : "");
}

function errorMessage(error: unknown, fallback: string): string {
  return error instanceof PayCallError && error.message ? error.message : fallback;
}

type Checkout =
  | { state: "idle" }
  | { state: "pending"; submittedAt: number }
  | { state: "success"; submittedAt: number; data: PayAttemptData }
  | { state: "error"; submittedAt: number; error: unknown };

const POLL_MS = 3000;
/** keep asking a little after expiry: Bakong may confirm a transfer made just before it */
const POLL_GRACE_MS = 2 * 60_000;
const KHQR_RED = "#E1232E";

const noSubscription = () => () => {};
const clientSnapshot = () => true;
const serverSnapshot = () => false;

const LINE_KINDS = ["rent", "electricity", "water", "charge", "late_fee"] as const;
function isLineKind(k: string): k is (typeof LINE_KINDS)[number] {
  return (LINE_KINDS as readonly string[]).includes(k);
}

/**
 * The renter's pay page: the workspace, the invoice and what is due; a KHQR for the amount due
 * (countdown, Bakong deep link on phones) that turns into "Paid" by itself, or how to pay in cash
 * or by transfer when KHQR is not available. No session: the token in the URL is the key.
 */
export function PayPage({
  token,
  initial,
  initialAttempt = null,
  timeZone,
  manualDetails = null,
  payIn = null,
  currencyChoice = null,
  telegramLink = null,
}: {
  token: string;
  initial: PayPageData;
  /** the KHQR attempt the server started (or resumed) while rendering: the QR is in the HTML */
  initialAttempt?: PayAttemptData | null;
  timeZone: string;
  /** the workspace's own cash and bank-transfer instructions, rendered on the server (pay-instructions.tsx) */
  manualDetails?: React.ReactNode;
  /** the renter chose to pay in the other currency (docs/CURRENCY.md): every QR this page asks for is in it */
  payIn?: "USD" | "KHR" | null;
  /** the other currency's value and the "pay in riel" choice, rendered on the server (currency-choice.tsx) */
  currencyChoice?: React.ReactNode;
  /** the renter's one-time Telegram link, streamed by the server (telegram-link.tsx): inside the page, before its footer */
  telegramLink?: React.ReactNode;
}) {
  const { t, formatDate, fmt } = usePayI18n();
  const now = useNow(1000);
  const inv = initial.invoice;
  const money = (minor: number) => fmt.money(minor, inv.currency);

  const [checkout, setCheckout] = useState<Checkout>({ state: "idle" });
  const start = useCallback(
    (input: { token: string }) => {
      const submittedAt = Date.now();
      setCheckout({ state: "pending", submittedAt });
      callPayPage("checkout", { ...input, payIn }).then(
        (data) => setCheckout({ state: "success", submittedAt, data }),
        (error: unknown) => setCheckout({ state: "error", submittedAt, error }),
      );
    },
    [payIn],
  );
  const checkoutPending = checkout.state === "pending";
  // the server's attempt until the renter asks for a new QR (then the browser's)
  const fromServer = checkout.state === "idle" && initialAttempt !== null;
  const attempt = fromServer ? initialAttempt : checkout.state === "success" ? checkout.data : undefined;
  const started = useRef(false);
  const payable = initial.khqr && inv.amountDue > 0;
  useEffect(() => {
    // the server could not start one (a throttle, Bakong away): the browser asks, as it always did
    if (!payable || started.current || initialAttempt) return;
    started.current = true;
    start({ token });
  }, [payable, start, token, initialAttempt]);

  // the countdown runs on this browser's clock from its first tick: the server's HTML and the
  // hydrating render show it at the server's instant (both the same text), then it ticks here
  // (the server's attempt is as old as this page: its skew is counted from the navigation's start)
  const hydrated = useSyncExternalStore(noSubscription, clientSnapshot, serverSnapshot);
  const serverNow = attempt ? new Date(attempt.serverNow).getTime() : 0;
  const skew = !attempt
    ? 0
    : serverNow -
      (fromServer ? (hydrated ? performance.timeOrigin : serverNow) : checkout.state === "idle" ? serverNow : checkout.submittedAt);

  // the attempt's status, asked at once and then every POLL_MS until it is settled or long expired;
  // a failed poll (an overloaded moment, a throttle) is retried by the next tick, without back-off
  const paymentId = attempt?.paymentId ?? null;
  const [polled, setPolled] = useState<{ paymentId: string; data: PayStatusData } | null>(null);
  const pollContext = useRef<{ expiresAt: Date | string | null | undefined; skew: number }>({ expiresAt: attempt?.expiresAt, skew });
  useEffect(() => {
    pollContext.current = { expiresAt: attempt?.expiresAt, skew };
  });
  const pollNow = useRef<() => void>(() => {});
  useEffect(() => {
    if (!paymentId) return;
    let stopped = false;
    let timer: number | undefined;
    let last: PayStatusData | undefined;
    const settled = () => {
      if (last && (last.invoiceStatus === "paid" || (last.payment && last.payment.status !== "pending"))) return true;
      const expiresAt = last?.payment?.expiresAt ?? pollContext.current.expiresAt;
      return Boolean(expiresAt && Date.now() + pollContext.current.skew > new Date(expiresAt).getTime() + POLL_GRACE_MS);
    };
    const tick = async () => {
      window.clearTimeout(timer);
      try {
        last = await callPayPage("status", { token, paymentId });
        if (!stopped) setPolled({ paymentId, data: last });
      } catch {
        // the next tick is the retry
      }
      if (!stopped && !settled()) timer = window.setTimeout(() => void tick(), POLL_MS);
    };
    pollNow.current = () => void tick();
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      pollNow.current = () => {};
    };
  }, [token, paymentId]);

  const [simulating, setSimulating] = useState(false);
  const simulate = (input: { token: string; paymentId: string }) => {
    setSimulating(true);
    callPayPage("simulate", input).then(
      () => {
        setSimulating(false);
        pollNow.current();
      },
      (e: unknown) => {
        setSimulating(false);
        toast.error(errorMessage(e, t("errors.errorBody")));
      },
    );
  };

  const live = polled && polled.paymentId === paymentId ? polled.data : undefined;
  const invoiceStatus = live?.invoiceStatus ?? inv.status;
  const amountDue = live ? live.amountDue : inv.amountDue;
  const amountPaid = live ? live.amountPaid : inv.amountPaid;
  const paid = invoiceStatus === "paid";
  const paidAt = live?.paidAt ?? inv.paidAt;
  const paymentStatus = live?.payment?.status ?? attempt?.status ?? "pending";
  const expiresAt = live?.payment?.expiresAt ?? attempt?.expiresAt ?? null;
  const clock = !hydrated && attempt ? serverNow : now + skew;
  const remaining = expiresAt ? new Date(expiresAt).getTime() - clock : 0;
  const expired = paymentStatus === "expired" || (paymentStatus === "pending" && expiresAt !== null && remaining <= 0);

  const announced = useRef(false);
  useEffect(() => {
    if (!paid || inv.status === "paid" || announced.current) return;
    announced.current = true;
    toast.success(t("payPage.paidToast", { number: inv.number }));
  }, [paid, inv.status, inv.number, t]);

  const closed = invoiceStatus === "void" || invoiceStatus === "draft";

  return (
    <main id="main" className="min-h-screen bg-slate-50 px-4 py-6 sm:py-10">
      <div className="mx-auto w-full max-w-md space-y-4">
        <header className="flex items-center gap-3" data-testid="pay-workspace">
          {initial.workspace.logoUrl ? (
            // a public file of this workspace, served with its own cache headers
            // eslint-disable-next-line @next/next/no-img-element
            <img
              src={initial.workspace.logoUrl}
              alt={t("files.logo.alt", { workspace: initial.workspace.name })}
              className="h-12 w-12 rounded-lg bg-white object-contain ring-1 ring-slate-200"
              data-testid="pay-logo"
            />
          ) : null}
          <div className="min-w-0">
            <p className="truncate text-lg font-semibold text-slate-900">{initial.workspace.name}</p>
            <p className="text-sm text-slate-500">{t("payPage.title")}</p>
          </div>
        </header>

        <section className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="pay-invoice">
          <div className="flex items-start justify-between gap-3 border-b border-slate-100 p-4">
            <div>
              <p className="text-xs uppercase tracking-wide text-slate-500">{t("payPage.invoice")}</p>
              <p className="font-mono text-base font-semibold text-slate-900" data-testid="pay-invoice-number">
                {inv.number}
              </p>
              <p className="text-sm text-slate-600">
                {t("payPage.period")}
                {": "}
                {fmt.month(inv.period)}
              </p>
              <p className="text-sm text-slate-600">
                {t("payPage.dueDate")}
                {": "}
                {fmt.day(inv.dueDate)}
              </p>
            </div>
            <span
              className={`shrink-0 rounded-full px-2.5 py-1 text-xs font-semibold ${
                paid ? "bg-teal-100 text-teal-900" : invoiceStatus === "overdue" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"
              }`}
              data-testid="pay-status"
              data-status={invoiceStatus}
            >
              {t(`payPage.status.${invoiceStatus}`)}
            </span>
          </div>
          <div className="p-4">
            <h2 className="mb-2 text-sm font-medium text-slate-700">{t("payPage.details")}</h2>
            <ul className="divide-y divide-slate-100 text-sm">
              {inv.lines.map((l, i) => (
                <li key={i} className="flex items-baseline justify-between gap-3 py-2">
                  <span className="min-w-0">
                    <span className="block text-slate-900">
                      {l.description || (isLineKind(l.kind) ? t(`payPage.kind.${l.kind}`) : l.kind)}
                    </span>
                    {l.quantity !== 1 ? (
                      <span className="block text-xs text-slate-500">
                        {t("payPage.quantity", { quantity: l.quantity, unit: money(l.unitAmount) })}
                      </span>
                    ) : null}
                  </span>
                  <span className="shrink-0 tabular-nums text-slate-900">{money(l.amount)}</span>
                </li>
              ))}
            </ul>
            <dl className="mt-3 space-y-1 border-t border-slate-200 pt-3 text-sm">
              <div className="flex justify-between">
                <dt className="text-slate-600">{t("payPage.total")}</dt>
                <dd className="tabular-nums">{money(inv.total)}</dd>
              </div>
              {amountPaid > 0 ? (
                <div className="flex justify-between">
                  <dt className="text-slate-600">{t("payPage.paidSoFar")}</dt>
                  <dd className="tabular-nums" data-testid="pay-paid-so-far">
                    {money(amountPaid)}
                  </dd>
                </div>
              ) : null}
              <div className="flex justify-between text-base font-semibold">
                <dt>{t("payPage.amountDue")}</dt>
                <dd className="tabular-nums" data-testid="pay-amount-due">
                  {money(amountDue)}
                </dd>
              </div>
            </dl>
          </div>
        </section>

        {paid ? null : currencyChoice}
        {paid ? (
          <section
            className="flex flex-col items-center gap-2 rounded-2xl bg-white p-6 text-center shadow-sm ring-1 ring-teal-200"
            data-testid="pay-paid"
            role="status"
            aria-live="polite"
          >
            <svg viewBox="0 0 48 48" aria-hidden="true" className="h-16 w-16 text-teal-600">
              <circle cx="24" cy="24" r="22" fill="currentColor" opacity="0.12" />
              <path d="M14 25l7 7 13-15" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            <p className="text-lg font-semibold text-slate-900">{t("payPage.paidTitle")}</p>
            <p className="text-sm text-slate-600">{t("payPage.paidBody", { number: inv.number })}</p>
            {paidAt ? <p className="text-xs text-slate-500">{t("payPage.paidAt", { date: formatDate(paidAt, timeZone) })}</p> : null}
          </section>
        ) : closed ? (
          <p className="rounded-2xl bg-white p-4 text-sm text-slate-700 ring-1 ring-slate-200">{t("payPage.closedBody")}</p>
        ) : payable ? (
          <section className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="pay-khqr">
            <div className="flex h-12 items-center justify-center" style={{ backgroundColor: KHQR_RED }}>
              <span className="text-lg font-black tracking-[0.3em] text-white">{t("billing.checkout.brand")}</span>
            </div>
            <div className="space-y-3 p-4">
              {checkout.state === "error" && !attempt ? (
                <div className="space-y-3">
                  <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800" data-testid="pay-checkout-error">
                    {errorMessage(checkout.error, t("payPage.checkoutFailed"))}
                  </p>
                  <Button variant="secondary" className="w-full" onClick={() => start({ token })} disabled={checkoutPending}>
                    {t("payPage.newQr")}
                  </Button>
                </div>
              ) : !attempt ? (
                // the QR's box at its final size while the attempt starts: nothing below it moves when it arrives
                <>
                  <p className="text-center text-3xl font-bold tabular-nums text-slate-900">{money(inv.amountDue)}</p>
                  <div
                    className="mx-auto flex aspect-square w-full max-w-[18rem] items-center justify-center rounded-lg bg-slate-50 p-6 text-center text-sm text-slate-600"
                    aria-live="polite"
                    data-testid="pay-khqr-starting"
                  >
                    {t("payPage.starting")}
                  </div>
                  <p className="text-center text-sm text-slate-600">{t("payPage.scanHelp")}</p>
                </>
              ) : (
                <>
                  <p className="text-center text-3xl font-bold tabular-nums text-slate-900" data-testid="pay-khqr-amount">
                    {fmt.money(attempt.amount, attempt.currency)}
                  </p>
                  <div className="relative">
                    {/* a data: URL rendered by the server */}
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img
                      src={attempt.qrImage}
                      data-qr={attempt.qr}
                      alt={t("payPage.qrAlt", { amount: fmt.money(attempt.amount, attempt.currency), number: inv.number })}
                      width={320}
                      height={320}
                      data-testid="pay-khqr-image"
                      className={`mx-auto aspect-square w-full max-w-[18rem] [image-rendering:pixelated] ${expired ? "opacity-15 blur-[2px]" : ""}`}
                    />
                    {expired ? (
                      <div
                        className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-6 text-center"
                        data-testid="pay-khqr-expired"
                      >
                        <p className="text-lg font-semibold text-slate-900">{t("payPage.expired")}</p>
                        <p className="text-sm text-slate-600">{t("payPage.expiredHelp")}</p>
                        <Button onClick={() => start({ token })} disabled={checkoutPending} data-testid="pay-khqr-new">
                          {t("payPage.newQr")}
                        </Button>
                      </div>
                    ) : null}
                  </div>
                  <p className="text-center text-sm text-slate-600">{t("payPage.scanHelp")}</p>
                  <p
                    role="status"
                    aria-live="polite"
                    data-testid="pay-khqr-status"
                    data-status={expired ? "expired" : paymentStatus}
                    className="rounded-lg bg-sky-50 px-3 py-2 text-center text-sm font-medium text-sky-900"
                  >
                    {t(`payPage.khqrStatus.${expired ? "expired" : paymentStatus}`)}
                  </p>
                  {paymentStatus === "pending" && !expired ? (
                    <p
                      className="text-center font-mono text-base font-semibold tabular-nums text-slate-800"
                      data-testid="pay-khqr-countdown"
                    >
                      {t("payPage.expiresIn", { time: fmt.countdown(remaining) })}
                    </p>
                  ) : null}
                  {attempt.deepLink && paymentStatus === "pending" && !expired ? (
                    <a
                      href={attempt.deepLink}
                      data-testid="pay-khqr-deeplink"
                      className="flex min-h-12 w-full items-center justify-center rounded-lg px-4 py-3 text-base font-semibold text-white sm:hidden"
                      style={{ backgroundColor: KHQR_RED }}
                    >
                      {t("payPage.openBakong")}
                    </a>
                  ) : null}
                  {initial.simulator && paymentStatus === "pending" && !expired ? (
                    <div className="space-y-2 rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 p-3">
                      <Button
                        variant="secondary"
                        className="w-full"
                        onClick={() => simulate({ token, paymentId: attempt.paymentId })}
                        disabled={simulating}
                        data-testid="pay-simulate"
                      >
                        {simulating ? t("payPage.simulating") : t("payPage.simulate")}
                      </Button>
                      <p className="text-xs text-amber-900">{t("payPage.simulateHelp")}</p>
                    </div>
                  ) : null}
                </>
              )}
            </div>
          </section>
        ) : null}

        {!paid && !closed ? (
          <section className="rounded-2xl bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200" data-testid="pay-manual">
            <h2 className="mb-1 font-semibold text-slate-900">{t("payPage.manualTitle")}</h2>
            {!initial.khqr ? <p className="mb-1 text-slate-600">{t("payPage.khqrUnavailableBody")}</p> : null}
            <p className="text-slate-700">{t("payPage.manualBody", { workspace: initial.workspace.name, number: inv.number })}</p>
            {manualDetails}
          </section>
        ) : null}

        {telegramLink}

        <p className="pt-2 text-center text-xs text-slate-600">{t("payPage.footer")}</p>
      </div>
    </main>
  );
}
