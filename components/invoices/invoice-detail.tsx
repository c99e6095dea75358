"use client";
import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { voidRentInvoiceSchema } from "@/lib/schemas/rent-invoices";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import { RecordPaymentButton } from "@/components/payments/record-payment-dialog";
import { PayLinkActions } from "@/components/payments/pay-link-actions";
import { ContractLedger } from "@/components/payments/contract-ledger";
import { ReceivedAs } from "@/components/payments/received-as";
import { InvoiceStatusBadge } from "./invoice-status-badge";

/** One rent invoice: its lines and totals, status, payments, pay link, PDFs, void, and the contract's ledger. */
export function InvoiceDetail({ invoiceId, timeZone }: { invoiceId: string; timeZone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const can = useCan();
  const { t, formatDate, fmt } = useI18n();
  const invoice = useQuery(trpc.rentInvoices.get.queryOptions({ invoiceId }));
  const payments = useQuery(trpc.rentPayments.forInvoice.queryOptions({ invoiceId }));
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();

  const voidMutation = useMutation(
    trpc.rentInvoices.void.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("invoices.void.done", { number: r.number }));
        setVoiding(false);
        setReason("");
        void queryClient.invalidateQueries({ queryKey: trpc.rentInvoices.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.rentPayments.pathKey() });
        router.refresh();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  if (invoice.isPending) return <div className="h-48 animate-pulse rounded-xl bg-slate-100" aria-busy="true" />;
  if (invoice.isError) {
    return (
      <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
        {errorMessage(invoice.error, t("invoices.loadError"))}
      </p>
    );
  }
  const inv = invoice.data;
  const money = (minor: number) => fmt.money(minor, inv.currency);
  const day = (d: string) => formatDate(`${d}T00:00:00Z`, "UTC");
  const balance = Math.max(0, inv.total - inv.amountPaid);

  async function submitVoid() {
    const parsed = voidRentInvoiceSchema.safeParse({ invoiceId, reason });
    if (!parsed.success) {
      const key = parsed.error.issues.find((i) => i.path[0] === "reason")?.message;
      setReasonError(key ? t(key as Parameters<typeof t>[0]) : undefined);
      return;
    }
    setReasonError(undefined);
    const ok = await confirmAction({
      title: t("invoices.void.title", { number: inv.number }),
      text: t("invoices.void.text"),
      confirmText: t("invoices.void.confirm"),
      cancelText: t("invoices.void.cancel"),
      danger: true,
    });
    if (ok) voidMutation.mutate(parsed.data);
  }

  return (
    <div className="space-y-6" data-testid="invoice-detail">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href="/invoices" className="text-sm text-teal-800 hover:underline">
            {t("invoices.detail.back")}
          </Link>
          <h1 className="mt-1 flex flex-wrap items-center gap-2 text-2xl font-semibold" data-testid="invoice-number">
            {inv.number} <InvoiceStatusBadge status={inv.status} pastDue={inv.pastDue} />
          </h1>
          <p className="text-sm text-slate-600">
            {inv.renterName} · {inv.unitCode} · {inv.propertyName} · {fmt.month(inv.period)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a
            href={`/invoices/${inv.id}/pdf`}
            target="_blank"
            rel="noopener"
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50"
            data-testid="invoice-pdf"
          >
            {t("invoices.detail.pdf")}
          </a>
          {inv.amountPaid > 0 ? (
            <a
              href={`/invoices/${inv.id}/pdf?kind=receipt`}
              target="_blank"
              rel="noopener"
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50"
              data-testid="receipt-pdf"
            >
              {t("invoices.detail.receipt")}
            </a>
          ) : null}
          <RecordPaymentButton
            timeZone={timeZone}
            invoice={{
              id: inv.id,
              number: inv.number,
              currency: inv.currency,
              total: inv.total,
              amountPaid: inv.amountPaid,
              status: inv.status,
            }}
          />
        </div>
      </div>

      {inv.status === "void" && inv.voidedAt ? (
        <p className="rounded-lg bg-slate-100 p-3 text-sm text-slate-700">
          {t("invoices.detail.voided", { date: formatDate(inv.voidedAt, timeZone), reason: inv.voidReason ?? "" })}
        </p>
      ) : null}
      {inv.status === "overdue" && inv.overdueAt ? (
        <p className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          {t("invoices.detail.overdueSince", { date: formatDate(inv.overdueAt, timeZone) })}
        </p>
      ) : null}
      {inv.status === "paid" && inv.paidAt ? (
        <p className="rounded-lg bg-teal-50 p-3 text-sm text-teal-800">
          {t("invoices.detail.paidOn", { date: formatDate(inv.paidAt, timeZone) })}
        </p>
      ) : null}
      {inv.lateFee ? (
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
          {t(inv.lateFee.billed ? "invoices.detail.lateFeeCharged" : "invoices.detail.lateFeePending", {
            amount: money(inv.lateFee.amount),
          })}
        </p>
      ) : null}

      <Card title={t("invoices.detail.lines")}>
        <ul className="divide-y divide-slate-100" data-testid="invoice-lines">
          {inv.lines.map((l) => (
            <li key={l.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2" data-kind={l.kind}>
              <div className="min-w-0">
                <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{t(`invoices.lineKinds.${l.kind}`)}</div>
                <div className="text-slate-900">{l.description}</div>
                {l.quantity !== 1 ? (
                  <div className="text-xs text-slate-500">
                    {t("invoices.detail.qtyRate", { quantity: l.quantity, rate: money(l.unitAmount) })}
                  </div>
                ) : null}
              </div>
              <div className="font-medium tabular-nums">{money(l.amount)}</div>
            </li>
          ))}
        </ul>
        <dl className="mt-3 space-y-1 border-t border-slate-200 pt-3 text-sm">
          <div className="flex justify-between font-semibold">
            <dt>{t("invoices.detail.total")}</dt>
            <dd className="tabular-nums" data-testid="invoice-total">
              {money(inv.total)}
            </dd>
          </div>
          {inv.creditApplied > 0 ? (
            <div className="flex justify-between text-slate-600">
              <dt>{t("invoices.detail.creditApplied")}</dt>
              <dd className="tabular-nums">{money(inv.creditApplied)}</dd>
            </div>
          ) : null}
          <div className="flex justify-between text-slate-600">
            <dt>{t("invoices.detail.amountPaid")}</dt>
            <dd className="tabular-nums">{money(inv.amountPaid)}</dd>
          </div>
          <div className="flex justify-between font-semibold">
            <dt>{t("invoices.detail.balance")}</dt>
            <dd className="tabular-nums" data-testid="invoice-balance">
              {money(balance)}
            </dd>
          </div>
          <div className="flex justify-between text-slate-600">
            <dt>{t("invoices.dueDate")}</dt>
            <dd>{day(inv.dueDate)}</dd>
          </div>
        </dl>
      </Card>

      <Card title={t("invoices.detail.payments")}>
        {payments.data && payments.data.length > 0 ? (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="invoice-payments">
            {payments.data.map((p) => (
              <li key={p.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span>
                  {p.paidAt ? formatDate(p.paidAt, timeZone) : "—"} · {t(`invoices.pdf.methods.${p.method}`)}
                  {p.reference ? <span className="text-slate-500"> · {p.reference}</span> : null}
                </span>
                <span className="flex items-center gap-3">
                  {/* every payment's own receipt (server/receipts): numbered on the first download if older */}
                  <a
                    href={`/payments/${p.id}/receipt`}
                    target="_blank"
                    rel="noopener"
                    className="text-xs font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
                    data-testid="payment-receipt"
                  >
                    {p.receiptNumber ? t("invoices.detail.receiptNumber", { number: p.receiptNumber }) : t("invoices.detail.receipt")}
                  </a>
                  <span className="text-right font-medium tabular-nums">
                    {fmt.money(p.amount, p.currency)}
                    <ReceivedAs payment={p} />
                  </span>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">—</p>
        )}
      </Card>

      {inv.hasPayLink || can("invoices.manage") ? (
        // the pay link section carries its own heading
        <Card>
          <PayLinkActions invoiceId={inv.id} />
        </Card>
      ) : null}

      {can("invoices.manage") && inv.status !== "void" ? (
        <Card>
          {inv.canVoid ? (
            voiding ? (
              <div className="space-y-3">
                <Field
                  id="void-reason"
                  label={t("invoices.void.reasonLabel")}
                  placeholder={t("invoices.void.reasonPlaceholder")}
                  value={reason}
                  maxLength={300}
                  error={reasonError}
                  onChange={(e) => setReason(e.target.value)}
                />
                <div className="flex flex-wrap gap-2">
                  <Button
                    type="button"
                    variant="danger"
                    disabled={voidMutation.isPending}
                    onClick={() => void submitVoid()}
                    data-testid="void-submit"
                  >
                    {t("invoices.void.button")}
                  </Button>
                  <Button type="button" variant="ghost" onClick={() => setVoiding(false)}>
                    {t("invoices.void.cancel")}
                  </Button>
                </div>
              </div>
            ) : (
              <Button type="button" variant="secondary" onClick={() => setVoiding(true)} data-testid="void-invoice">
                {t("invoices.void.button")}
              </Button>
            )
          ) : inv.amountPaid > 0 ? (
            <p className="text-sm text-slate-600">{t("invoices.void.refusedPaid")}</p>
          ) : null}
        </Card>
      ) : null}

      {/* the ledger carries its own heading */}
      <Card>
        <p className="mb-3 text-sm">
          <Link href={`/contracts/${inv.contractId}`} className="text-teal-800 hover:underline">
            {t("invoices.detail.openContract")}
          </Link>
        </p>
        <ContractLedger contractId={inv.contractId} timeZone={timeZone} />
      </Card>
    </div>
  );
}
