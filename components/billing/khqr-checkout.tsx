"use client";
import { useEffect, useRef } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { khqrMerchant } from "./khqr-fields";
import { pdfHref, useBillingFormat } from "./format";
import { useNow } from "./use-now";

const POLL_MS = 2500;
/** keep asking a little after expiry: Bakong may confirm a transfer made just before it */
const POLL_GRACE_MS = 2 * 60_000;
const KHQR_RED = "#E1232E";

function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/**
 * KHQR checkout for one invoice: starts (or resumes) a payment attempt, shows the QR with a live
 * countdown, polls the payment every 2.5 s and turns into "Paid" without a reload.
 */
export function KhqrCheckout({ invoiceId, timeZone }: { invoiceId: string; timeZone: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const f = useBillingFormat(timeZone);
  const { t } = f;
  const now = useNow(1000);
  const overview = useQuery(trpc.billing.overview.queryOptions());

  const checkout = useMutation(trpc.billing.checkout.mutationOptions());
  const start = checkout.mutate;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start({ invoiceId });
  }, [invoiceId, start]);

  const attempt = checkout.data;
  // the device's clock may be off: count down against the server's, measured once when the QR
  // arrives (the server's time when it answered against the device's when it asked)
  const skew = attempt ? new Date(attempt.serverNow).getTime() - checkout.submittedAt : 0;
  const payment = useQuery({
    ...trpc.billing.payment.queryOptions(attempt ? { paymentId: attempt.paymentId } : skipToken),
    staleTime: 0,
    refetchInterval: (q) => {
      const data = q.state.data;
      if (data && data.status !== "pending") return false;
      const expiresAt = data?.expiresAt ?? attempt?.expiresAt;
      if (expiresAt && Date.now() + skew > new Date(expiresAt).getTime() + POLL_GRACE_MS) return false;
      return POLL_MS;
    },
  });

  const simulate = useMutation(
    trpc.billingSimulator.pay.mutationOptions({
      onSuccess: () => void payment.refetch(),
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  const live = payment.data && attempt && payment.data.paymentId === attempt.paymentId ? payment.data : null;
  const status = live?.status ?? attempt?.status ?? "pending";
  const expiresAt = live?.expiresAt ?? attempt?.expiresAt ?? null;
  const remaining = expiresAt ? new Date(expiresAt).getTime() - (now + skew) : 0;
  const expired = status === "expired" || (status === "pending" && expiresAt !== null && remaining <= 0);
  const shown = expired ? "expired" : status;

  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (status !== "paid" || !attempt || announced.current === attempt.paymentId) return;
    announced.current = attempt.paymentId;
    toast.success(t("billing.checkout.paidToast", { number: attempt.invoiceNumber }));
    void queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
    // the workspace banner and the plan in the server-rendered frame
    router.refresh();
  }, [status, attempt, t, queryClient, trpc, router]);

  const back = (
    <Link href="/billing" className="text-sm font-medium text-teal-800 underline">
      {t("billing.checkout.back")}
    </Link>
  );

  if (checkout.status === "error" && !attempt) {
    return (
      <div className="space-y-3">
        <div role="alert" data-testid="checkout-error" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          {errorMessage(checkout.error, t("billing.checkout.failed"))}
        </div>
        {back}
      </div>
    );
  }
  if (!attempt) {
    return (
      <p className="text-sm text-slate-500" aria-live="polite" data-testid="checkout-starting">
        {t("billing.checkout.starting")}
      </p>
    );
  }

  const amount = f.money(attempt.amount, attempt.currency);
  const merchant = khqrMerchant(attempt.qr);
  const paidAt = live?.paidAt ?? attempt.paidAt;

  return (
    <div className="space-y-4">
      <div>{back}</div>
      <div className="grid items-start gap-6 md:grid-cols-[minmax(0,22rem)_1fr]">
        <div
          className="mx-auto w-full max-w-[22rem] overflow-hidden rounded-2xl bg-white shadow-lg ring-1 ring-slate-200"
          data-testid="khqr-card"
        >
          <div className="relative flex h-14 items-center justify-center" style={{ backgroundColor: KHQR_RED }}>
            <span className="text-xl font-black tracking-[0.3em] text-white">{t("billing.checkout.brand")}</span>
            <span
              aria-hidden="true"
              className="absolute -bottom-4 right-0 h-4 w-8"
              style={{ backgroundColor: KHQR_RED, clipPath: "polygon(0 0, 100% 0, 100% 100%)" }}
            />
          </div>
          <div className="px-6 pt-5">
            <p className="truncate text-sm text-slate-600" data-testid="khqr-merchant">
              {merchant.name ?? t("app.name")}
            </p>
            <p className="text-3xl font-bold tabular-nums text-slate-900" data-testid="khqr-amount">
              {amount}
            </p>
          </div>
          <div className="mt-4 border-t border-dashed border-slate-300" />
          <div className="relative p-5">
            {status === "paid" ? (
              <div className="flex aspect-square flex-col items-center justify-center gap-3 text-center" data-testid="checkout-paid">
                <svg viewBox="0 0 48 48" aria-hidden="true" className="h-20 w-20 text-teal-600">
                  <circle cx="24" cy="24" r="22" fill="currentColor" opacity="0.12" />
                  <path
                    d="M14 25l7 7 13-15"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="4"
                    strokeLinecap="round"
                    strokeLinejoin="round"
                  />
                </svg>
                <p className="text-lg font-semibold text-slate-900">{t("billing.checkout.paidTitle")}</p>
                <p className="text-sm text-slate-600" data-testid={live?.review ? "checkout-review" : undefined}>
                  {t(live?.review ? "billing.checkout.reviewBody" : "billing.checkout.paidBody", { number: attempt.invoiceNumber })}
                </p>
                {paidAt ? <p className="text-xs text-slate-500">{t("billing.checkout.paidAt", { date: f.date(paidAt) })}</p> : null}
              </div>
            ) : attempt.qrImage ? (
              <>
                {/* a data: URL rendered by the server; next/image adds nothing here */}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={attempt.qrImage}
                  alt={t("billing.checkout.qrAlt", { amount, number: attempt.invoiceNumber })}
                  width={320}
                  height={320}
                  data-testid="khqr-image"
                  className={`mx-auto aspect-square w-full max-w-[20rem] [image-rendering:pixelated] ${expired ? "opacity-15 blur-[2px]" : ""}`}
                />
                {expired ? (
                  <div
                    className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-6 text-center"
                    data-testid="khqr-expired"
                  >
                    <p className="text-lg font-semibold text-slate-900">{t("billing.checkout.status.expired")}</p>
                    <p className="text-sm text-slate-600">{t("billing.checkout.expiredHelp")}</p>
                    <Button onClick={() => start({ invoiceId })} disabled={checkout.isPending} data-testid="khqr-new">
                      {t("billing.checkout.newQr")}
                    </Button>
                  </div>
                ) : null}
              </>
            ) : null}
          </div>
        </div>

        <div className="space-y-4">
          <div>
            <h1 className="text-2xl font-semibold text-slate-900">{t("billing.checkout.title")}</h1>
            <p className="mt-1 text-sm text-slate-600">{t("billing.checkout.scanHelp")}</p>
          </div>
          <p
            role="status"
            aria-live="polite"
            data-testid="checkout-status"
            data-status={shown}
            className={`rounded-lg px-3 py-2 text-sm font-medium ${
              shown === "paid" ? "bg-teal-50 text-teal-900" : shown === "pending" ? "bg-sky-50 text-sky-900" : "bg-red-50 text-red-800"
            }`}
          >
            {t(`billing.checkout.status.${shown}`)}
          </p>
          {status === "pending" && !expired ? (
            <p className="text-sm text-slate-700">
              <span
                data-testid="khqr-countdown"
                className="font-mono text-base font-semibold tabular-nums"
                aria-label={t("billing.checkout.expiresIn", { time: countdown(remaining) })}
              >
                {t("billing.checkout.expiresIn", { time: countdown(remaining) })}
              </span>
            </p>
          ) : null}
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm">
            <dt className="text-slate-500">{t("billing.checkout.amount")}</dt>
            <dd className="font-semibold tabular-nums text-slate-900">{amount}</dd>
            <dt className="text-slate-500">{t("billing.checkout.invoice")}</dt>
            <dd className="font-mono text-slate-900" data-testid="checkout-invoice-number">
              {attempt.invoiceNumber}
            </dd>
            <dt className="text-slate-500">{t("billing.checkout.merchant")}</dt>
            <dd className="text-slate-900">
              {merchant.name ?? t("app.name")}
              {merchant.city ? (
                <span className="text-slate-500">
                  {" · "}
                  {merchant.city}
                </span>
              ) : null}
            </dd>
          </dl>
          {attempt.deepLink && status === "pending" && !expired ? (
            <a
              href={attempt.deepLink}
              data-testid="khqr-deeplink"
              className="flex min-h-12 w-full items-center justify-center rounded-lg px-4 py-3 text-base font-semibold text-white sm:hidden"
              style={{ backgroundColor: KHQR_RED }}
            >
              {t("billing.checkout.openBakong")}
            </a>
          ) : null}
          {overview.data?.simulator && status === "pending" && !expired ? (
            <div className="space-y-2 rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 p-4">
              <Button
                variant="secondary"
                className="w-full"
                onClick={() => simulate.mutate({ paymentId: attempt.paymentId })}
                disabled={simulate.isPending}
                data-testid="simulate-payment"
              >
                {simulate.isPending ? t("billing.checkout.simulating") : t("billing.checkout.simulate")}
              </Button>
              <p className="text-xs text-amber-900">{t("billing.checkout.simulateHelp")}</p>
            </div>
          ) : null}
          {status === "paid" ? (
            <div className="flex flex-wrap gap-3">
              <Link
                href="/billing"
                data-testid="checkout-done"
                className="inline-flex min-h-10 items-center justify-center rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
              >
                {t("billing.checkout.back")}
              </Link>
              <a
                href={pdfHref(attempt.invoiceId, "receipt")}
                target="_blank"
                rel="noopener"
                className="inline-flex min-h-10 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
              >
                {t("billing.checkout.viewReceipt")}
              </a>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
