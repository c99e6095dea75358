"use client";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { minorToDecimal, parseMoney } from "@/lib/money";
import { todayIn } from "@/lib/dates";
import { DEPOSIT_OUTCOMES, type DepositOutcome } from "@/lib/rentals/contract-state";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { SelectField, TextAreaField } from "@/components/properties/fields";
import { FileUpload } from "@/components/files/file-upload";
import { ContractLedger } from "@/components/payments/contract-ledger";
import type { RouterOutputs } from "@/lib/trpc/client";
import { ContractStatusBadge } from "./contract-status-badge";

type Detail = RouterOutputs["contracts"]["get"];

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  );
}

/** One contract: its terms, the lifecycle actions its status allows, the signed scan and the ledger. */
export function ContractDetail({ contractId, timeZone }: { contractId: string; timeZone: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { t, formatDate, fmt } = useI18n();
  const can = useCan();
  const canManage = can("contracts.manage");
  const query = useQuery(trpc.contracts.get.queryOptions({ contractId }));
  const [closing, setClosing] = useState<"end" | "terminate" | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const activate = useMutation(
    trpc.contracts.activate.mutationOptions({
      onSuccess: () => {
        toast.success(t("contracts.detail.activated_toast", { unit: query.data?.unitCode ?? "" }));
        void refresh();
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.contracts.deleteDraft.mutationOptions({
      onSuccess: () => {
        toast.success(t("contracts.detail.deleted_toast"));
        void refresh();
        router.push("/contracts");
      },
      onError,
    }),
  );
  const attach = useMutation(
    trpc.contracts.attachScan.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.signedFileId ? t("contracts.detail.scanAttached") : t("contracts.detail.scanRemoved"));
        void refresh();
      },
      onError,
    }),
  );

  if (query.isPending) return <p className="text-sm text-slate-600">{t("contracts.loading")}</p>;
  if (query.isError) {
    return (
      <div className="space-y-2">
        <p className="text-sm text-red-700">{errorMessage(query.error, t("contracts.loadError"))}</p>
        <Button type="button" variant="secondary" onClick={() => void query.refetch()}>
          {t("contracts.retry")}
        </Button>
      </div>
    );
  }
  const c = query.data;
  const money = (n: number) => fmt.money(n, c.currency);
  const day = (d: string | null) => (d ? formatDate(d, "UTC") : t("contracts.openEnded"));
  const busy = activate.isPending || remove.isPending;

  async function onActivate() {
    const ok = await confirmAction({
      title: t("contracts.detail.confirmActivateTitle"),
      text: t("contracts.detail.confirmActivateText", { unit: c.unitCode, day: c.billingDay }),
      confirmText: t("contracts.detail.activate"),
      cancelText: t("contracts.close.cancel"),
    });
    if (ok) activate.mutate({ contractId: c.id });
  }
  async function onDelete() {
    const ok = await confirmAction({
      title: t("contracts.detail.confirmDeleteTitle"),
      text: t("contracts.detail.confirmDeleteText"),
      confirmText: t("contracts.detail.delete"),
      cancelText: t("contracts.close.cancel"),
      danger: true,
    });
    if (ok) remove.mutate({ contractId: c.id });
  }
  async function onRemoveScan() {
    const ok = await confirmAction({
      title: t("contracts.detail.confirmRemoveScanTitle"),
      text: t("contracts.detail.confirmRemoveScanText"),
      confirmText: t("contracts.detail.removeScan"),
      cancelText: t("contracts.close.cancel"),
      danger: true,
    });
    if (ok) attach.mutate({ contractId: c.id, fileId: null });
  }

  const lateFee =
    c.lateFeeType === "none"
      ? t("contracts.detail.lateFeeNone")
      : c.lateFeeType === "fixed"
        ? t("contracts.detail.lateFeeFixed", { amount: money(c.lateFeeValue), days: c.lateFeeGraceDays })
        : t("contracts.detail.lateFeePercent", { percent: c.lateFeeValue / 100, days: c.lateFeeGraceDays });

  return (
    <div className="space-y-4" data-testid="contract-detail" data-status={c.status}>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t("contracts.detail.title", { unit: c.unitCode, renter: c.renterName })}</h1>
        <ContractStatusBadge status={c.status} />
      </div>

      {canManage && c.actions.length + (c.status === "draft" ? 1 : 0) > 0 ? (
        <div className="flex flex-wrap gap-2" data-testid="contract-actions">
          {c.status === "draft" ? (
            <>
              <Button type="button" onClick={() => void onActivate()} disabled={busy} data-testid="contract-activate">
                {t("contracts.detail.activate")}
              </Button>
              <Link
                href={`/contracts/${c.id}/edit`}
                className="inline-flex min-h-10 items-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
              >
                {t("contracts.detail.edit")}
              </Link>
              <Button type="button" variant="ghost" className="text-red-700" onClick={() => void onDelete()} disabled={busy}>
                {t("contracts.detail.delete")}
              </Button>
            </>
          ) : null}
          {c.actions.includes("end") ? (
            <Button type="button" variant="secondary" onClick={() => setClosing("end")} data-testid="contract-end">
              {t("contracts.detail.end")}
            </Button>
          ) : null}
          {c.actions.includes("terminate") ? (
            <Button type="button" variant="danger" onClick={() => setClosing("terminate")} data-testid="contract-terminate">
              {t("contracts.detail.terminate")}
            </Button>
          ) : null}
        </div>
      ) : null}

      {closing ? <CloseForm key={closing} contract={c} action={closing} timeZone={timeZone} onDone={() => setClosing(null)} /> : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("contracts.detail.summary")}>
          <dl className="divide-y divide-slate-100">
            <Row label={t("contracts.detail.unit")}>
              {c.unitCode} · {c.propertyName}
            </Row>
            <Row label={t("contracts.detail.renter")}>
              {c.renterName}
              {c.renterNameKm && c.renterNameKm !== c.renterName ? <span className="block text-slate-600">{c.renterNameKm}</span> : null}
            </Row>
            <Row label={t("contracts.detail.phone")}>{c.renterPhone}</Row>
            <Row label={t("contracts.detail.email")}>{c.renterEmail ?? t("contracts.detail.noEmail")}</Row>
            <Row label={t("contracts.detail.period")}>{t("contracts.fromTo", { start: day(c.startDate), end: day(c.endDate) })}</Row>
            {c.activatedAt ? <Row label={t("contracts.detail.activatedAt")}>{formatDate(c.activatedAt, timeZone)}</Row> : null}
            {c.endedAt || c.terminatedAt ? (
              <Row label={t("contracts.detail.closedAt")}>{formatDate((c.endedAt ?? c.terminatedAt)!, timeZone)}</Row>
            ) : null}
            {c.depositOutcome ? (
              <Row label={t("contracts.detail.depositOutcome")}>
                <span data-testid="deposit-outcome">
                  {t("contracts.detail.depositOutcomeValue", {
                    outcome: t(`contracts.close.outcomes.${c.depositOutcome}`),
                    amount: money(c.depositReturnedAmount ?? 0),
                  })}
                </span>
              </Row>
            ) : null}
            {c.endReason ? <Row label={t("contracts.detail.endReason")}>{c.endReason}</Row> : null}
          </dl>
        </Card>
        <Card title={t("contracts.detail.terms")}>
          <dl className="divide-y divide-slate-100">
            <Row label={t("contracts.detail.rent")}>{money(c.rentAmount)}</Row>
            <Row label={t("contracts.detail.deposit")}>{money(c.depositAmount)}</Row>
            <Row label={t("contracts.detail.billingDay")}>
              {t("contracts.detail.billingDayValue", { day: c.billingDay, days: c.dueDays })}
            </Row>
            <Row label={t("contracts.detail.electricity")}>
              {c.electricityRate ? t("contracts.detail.ratePerKwh", { rate: money(c.electricityRate) }) : t("contracts.detail.notBilled")}
            </Row>
            <Row label={t("contracts.detail.water")}>
              {c.waterRate ? t("contracts.detail.ratePerM3", { rate: money(c.waterRate) }) : t("contracts.detail.notBilled")}
            </Row>
            <Row label={t("contracts.detail.lateFee")}>{lateFee}</Row>
            {c.recurringCharges.length > 0 ? (
              <Row label={t("contracts.detail.charges")}>
                <ul>
                  {c.recurringCharges.map((ch, i) => (
                    <li key={i}>
                      {ch.description}: {money(ch.amount)}
                    </li>
                  ))}
                </ul>
              </Row>
            ) : null}
            {c.creditBalance > 0 ? <Row label={t("contracts.detail.credit")}>{money(c.creditBalance)}</Row> : null}
            {c.notes ? <Row label={t("contracts.detail.notes")}>{c.notes}</Row> : null}
          </dl>
        </Card>
      </div>

      <Card title={t("contracts.detail.scan")}>
        <div className="space-y-3" data-testid="contract-scan">
          {c.signedFile ? (
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <a href={c.signedFile.url} target="_blank" rel="noreferrer" className="text-teal-800 hover:underline">
                {t("contracts.detail.openScan")}
              </a>
              <span className="text-slate-600">{c.signedFile.originalName}</span>
              {canManage ? (
                <Button
                  type="button"
                  variant="ghost"
                  className="text-red-700"
                  onClick={() => void onRemoveScan()}
                  disabled={attach.isPending}
                >
                  {t("contracts.detail.removeScan")}
                </Button>
              ) : null}
            </div>
          ) : (
            <p className="text-sm text-slate-600">{t("contracts.detail.noScan")}</p>
          )}
          {canManage ? (
            <FileUpload
              purpose="contract_scan"
              quiet
              disabled={attach.isPending}
              onUploaded={(f) => attach.mutateAsync({ contractId: c.id, fileId: f.id }).then(() => undefined)}
            />
          ) : null}
        </div>
      </Card>

      {c.status !== "draft" ? (
        // the ledger carries its own heading
        <Card>
          <ContractLedger contractId={c.id} timeZone={timeZone} />
        </Card>
      ) : null}
    </div>
  );
}

/**
 * The close form as typed: the returned part of a deposit must lie strictly between nothing and
 * all of it; everything else is the server's to check.
 */
function closeFormSchema(c: { depositAmount: number; currency: string }) {
  return z
    .object({ date: z.string(), depositOutcome: z.enum(DEPOSIT_OUTCOMES), depositReturnedAmount: z.string(), reason: z.string() })
    .transform((v, ctx) => {
      const depositReturnedAmount = v.depositOutcome === "partially_returned" ? parseMoney(v.depositReturnedAmount, c.currency) : null;
      if (
        v.depositOutcome === "partially_returned" &&
        (depositReturnedAmount === null || depositReturnedAmount <= 0 || depositReturnedAmount >= c.depositAmount)
      ) {
        ctx.addIssue({ code: "custom", path: ["depositReturnedAmount"], message: "contracts.errors.partialAmount" });
        return z.NEVER;
      }
      return { date: v.date, depositOutcome: v.depositOutcome, depositReturnedAmount, reason: v.reason };
    });
}
type ClosedForm = z.output<ReturnType<typeof closeFormSchema>>;

/** End or terminate: move-out date, deposit outcome and amount, reason; typed confirmation. */
function CloseForm({
  contract: c,
  action,
  timeZone,
  onDone,
}: {
  contract: Detail;
  action: "end" | "terminate";
  /** the workspace's: the move-out date defaults to today there */
  timeZone: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const { t, fmt } = useI18n();
  const form = useZodForm(closeFormSchema(c), {
    date: action === "end" && c.endDate ? c.endDate : todayIn(timeZone),
    depositOutcome: "returned" as DepositOutcome,
    depositReturnedAmount: minorToDecimal(Math.floor(c.depositAmount / 2), c.currency),
    reason: "",
  });
  const { errors } = form.formState;
  const outcome = form.watch("depositOutcome");
  const behaviour = {
    successToast: () => t(action === "end" ? "contracts.detail.ended_toast" : "contracts.detail.terminated_toast", { unit: c.unitCode }),
    invalidate: [trpc.contracts.pathKey()],
    onSuccess: onDone,
    // a business refusal without fields (a date outside the contract, …) shows under the form
    codeFields: { VALIDATION: "root.form" },
  };
  const end = useFormMutation(form, trpc.contracts.end.mutationOptions(), behaviour);
  const terminate = useFormMutation(form, trpc.contracts.terminate.mutationOptions(), behaviour);
  const pending = end.isPending || terminate.isPending;

  async function confirmAndClose({ date, depositOutcome, depositReturnedAmount, reason }: ClosedForm) {
    const word = t("contracts.close.confirmWord");
    const ok = await confirmAction({
      title: t("contracts.close.confirmTitle"),
      text: t(action === "end" ? "contracts.close.endTitle" : "contracts.close.terminateTitle"),
      confirmText: t(action === "end" ? "contracts.close.submitEnd" : "contracts.close.submitTerminate"),
      cancelText: t("contracts.close.cancel"),
      danger: true,
      typed: { word, prompt: t("contracts.close.confirmText", { word }) },
    });
    if (!ok) return;
    const input = { contractId: c.id, date, depositOutcome, depositReturnedAmount, reason };
    if (action === "end") end.mutate(input);
    else terminate.mutate(input);
  }

  return (
    <Card title={t(action === "end" ? "contracts.close.endTitle" : "contracts.close.terminateTitle")}>
      <form onSubmit={form.handleSubmit(confirmAndClose)} noValidate className="space-y-4" data-testid="contract-close-form">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="close-date"
            type="date"
            label={t("contracts.close.date")}
            {...form.register("date")}
            error={errors.date?.message}
            required
          />
          {c.depositAmount > 0 ? (
            <SelectField
              id="close-outcome"
              label={t("contracts.close.depositOutcome")}
              {...form.register("depositOutcome")}
              error={errors.depositOutcome?.message}
            >
              {DEPOSIT_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`contracts.close.outcomes.${o}`)}
                </option>
              ))}
            </SelectField>
          ) : (
            <p className="self-end text-sm text-slate-600">{t("contracts.close.noDeposit")}</p>
          )}
          {outcome === "partially_returned" ? (
            <Field
              id="close-amount"
              inputMode="decimal"
              label={t("contracts.close.returnedAmount")}
              help={t("contracts.close.returnedAmountHelp", { deposit: fmt.money(c.depositAmount, c.currency) })}
              {...form.register("depositReturnedAmount")}
              error={errors.depositReturnedAmount?.message}
            />
          ) : null}
        </div>
        <TextAreaField
          id="close-reason"
          label={t("contracts.close.reason")}
          placeholder={t("contracts.close.reasonPlaceholder")}
          {...form.register("reason")}
          error={errors.reason?.message}
          maxLength={500}
        />
        {errors.root?.form ? (
          <p role="alert" className="text-sm text-red-700">
            {errors.root.form.message}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant={action === "end" ? "primary" : "danger"} disabled={pending} data-testid="contract-close-submit">
            {t(action === "end" ? "contracts.close.submitEnd" : "contracts.close.submitTerminate")}
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            {t("contracts.close.cancel")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
