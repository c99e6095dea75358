"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { shiftPeriod } from "@/lib/dates";

type InvoiceRunRow = RouterOutputs["rentInvoices"]["run"];

const POLL_MS = 700;

/**
 * The manual invoice run of one property: start it, watch its progress bar (the InvoiceRun row,
 * polled while it runs), then the summary with what was skipped and why (missing readings link
 * to the readings page), and the property's recent runs.
 */
export function InvoiceRunPanel({ initialPropertyId }: { initialPropertyId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const { t } = useI18n();
  const [propertyId, setPropertyId] = useState(initialPropertyId ?? "");
  const [runId, setRunId] = useState<string | null>(null);
  const options = useQuery(trpc.rentInvoices.propertyOptions.queryOptions());
  const recent = useQuery(trpc.rentInvoices.runs.queryOptions({ propertyId: propertyId || undefined, limit: 10 }));
  const run = useQuery({
    ...trpc.rentInvoices.run.queryOptions({ runId: runId ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data?.status === "running" || !q.state.data ? POLL_MS : false),
  });

  const start = useMutation(
    trpc.rentInvoices.startRun.mutationOptions({
      onSuccess: (r) => {
        setRunId(r.runId);
        toast.success(t("invoices.runStarted"));
        void queryClient.invalidateQueries({ queryKey: trpc.rentInvoices.runs.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  const current = run.data ?? null;
  const status = current?.status;
  useEffect(() => {
    // the run finished: the recent runs and the invoice list changed
    if (status && status !== "running") {
      void queryClient.invalidateQueries({ queryKey: trpc.rentInvoices.runs.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.rentInvoices.list.pathKey() });
    }
  }, [status, queryClient, trpc]);
  const running = start.isPending || current?.status === "running";

  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1 space-y-1">
            <label htmlFor="run-property" className="block text-sm font-medium text-slate-800">
              {t("invoices.runProperty")}
            </label>
            <select
              id="run-property"
              value={propertyId}
              onChange={(e) => {
                setPropertyId(e.target.value);
                setRunId(null);
              }}
              className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2"
              data-testid="run-property"
            >
              <option value="">{t("invoices.chooseProperty")}</option>
              {(options.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          {can("invoices.manage") ? (
            <Button type="button" disabled={!propertyId || running} onClick={() => start.mutate({ propertyId })} data-testid="run-start">
              {start.isPending ? t("invoices.runStarting") : t("invoices.runStart")}
            </Button>
          ) : null}
        </div>
        {current ? <RunProgress run={current} /> : null}
      </Card>

      <Card title={t("invoices.recentRuns")}>
        {recent.data && recent.data.length > 0 ? (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="recent-runs">
            {recent.data.map((listed) => {
              // the run being watched shows its live state here too (the list is refetched when it ends)
              const r = current && current.id === listed.id ? { ...listed, ...current } : listed;
              return (
                <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    {r.propertyName ?? t("invoices.allProperties")} · {t("invoices.runDate", { date: r.runDate })} ·{" "}
                    {t(`invoices.runTrigger.${r.trigger === "cron" || r.trigger === "job" ? r.trigger : "manual"}`)}
                  </span>
                  <span className="text-slate-600">
                    {t(`invoices.runStatus.${r.status}`)} ·{" "}
                    {t("invoices.runSummary", { issued: r.issued, skipped: r.skipped, failed: r.failed })}
                  </span>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t("invoices.noRuns")}</p>
        )}
      </Card>
    </div>
  );
}

function RunProgress({ run }: { run: InvoiceRunRow }) {
  const { t } = useI18n();
  const pct = run.total === 0 ? (run.status === "running" ? 0 : 100) : Math.round((run.processed / run.total) * 100);
  // notes on issued invoices (a utility left off) apart from the contracts skipped or failed
  const notes = run.entries.flatMap((e) => (e.reason === "no_opening_reading" ? [{ ...e, reason: e.reason }] : []));
  const skips = run.entries.flatMap((e) => (e.reason !== "no_opening_reading" ? [{ ...e, reason: e.reason }] : []));
  const openingPeriod = shiftPeriod(run.runDate.slice(0, 7), -1);
  const openingHref = `/readings?${new URLSearchParams({ ...(run.propertyId ? { propertyId: run.propertyId } : {}), period: openingPeriod }).toString()}`;
  return (
    <div className="mt-4 space-y-3" data-testid="run-progress" data-status={run.status}>
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <span className="font-medium">{t(`invoices.runStatus.${run.status}`)}</span>
        <span className="text-slate-600">{t("invoices.runProgress", { processed: run.processed, total: run.total })}</span>
      </div>
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={t("invoices.runProgress", { processed: run.processed, total: run.total })}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={`h-full rounded-full transition-all ${run.status === "failed" ? "bg-red-600" : "bg-teal-600"}`}
          style={{ width: `${pct}%` }}
        />
      </div>
      {run.status !== "running" ? (
        <p className="text-sm" data-testid="run-summary">
          {run.total === 0
            ? t("invoices.runNothing")
            : t("invoices.runSummary", { issued: run.issued, skipped: run.skipped, failed: run.failed })}
        </p>
      ) : null}
      {notes.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">{t("invoices.withoutUtilitiesTitle")}</h3>
          <ul className="mt-1 space-y-1 text-sm" data-testid="run-without-utilities">
            {notes.map((e) => (
              <li key={`${e.contractId}:${e.reason}:${e.kind ?? ""}`} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{e.unit || "—"}</span>
                <span className="text-slate-600">
                  {t(`invoices.noteReasons.${e.reason}`, { kind: e.kind ? t(`invoices.kinds.${e.kind}`) : "" })}
                </span>
                <Link href={openingHref} className="text-teal-800 hover:underline">
                  {t("invoices.enterOpeningReading")}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {skips.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">{t("invoices.skippedTitle")}</h3>
          <ul className="mt-1 space-y-1 text-sm" data-testid="run-skipped">
            {skips.map((e) => (
              <li key={`${e.contractId}:${e.reason}`} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{e.unit || "—"}</span>
                <span className="text-slate-600">
                  {t(`invoices.skipReasons.${e.reason}`, { kind: e.kind ? t(`invoices.kinds.${e.kind}`) : "" })}
                </span>
                {e.reason === "missing_reading" || e.reason === "reading_decreased" ? (
                  <Link
                    href={run.propertyId ? `/readings?propertyId=${run.propertyId}` : "/readings"}
                    className="text-teal-800 hover:underline"
                  >
                    {t("invoices.enterReadings")}
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {run.issued > 0 && run.status !== "running" ? (
        <Link
          href={run.propertyId ? `/invoices?propertyId=${run.propertyId}` : "/invoices"}
          className="inline-block text-sm text-teal-800 hover:underline"
        >
          {t("invoices.allInvoices")}
        </Link>
      ) : null}
    </div>
  );
}
