"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useBillingFormat } from "./format";
import { useNow } from "./use-now";
import { PlanStatus } from "./plan-status";
import { UsageBars } from "./usage-bars";
import { PlanCards } from "./plan-cards";
import { OpenInvoices } from "./open-invoices";
import { InvoiceHistory } from "./invoice-history";

/** The workspace's Billing page: plan and status, usage, plans, open invoices, history. */
export function BillingView({ timeZone }: { timeZone: string }) {
  const trpc = useTRPC();
  const f = useBillingFormat(timeZone);
  const now = useNow(60_000);
  const overview = useQuery(trpc.billing.overview.queryOptions());

  if (overview.status === "pending") {
    return (
      <p className="text-sm text-slate-500" aria-live="polite">
        {f.t("billing.loading")}
      </p>
    );
  }
  if (overview.status === "error") {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        {f.t("billing.loadError")}{" "}
        <button type="button" className="underline" onClick={() => void overview.refetch()}>
          {f.t("billing.retry")}
        </button>
      </div>
    );
  }
  const data = overview.data;
  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-2">
        <PlanStatus overview={data} f={f} now={now} />
        <OpenInvoices overview={data} f={f} />
      </div>
      <UsageBars overview={data} f={f} />
      <PlanCards overview={data} f={f} />
      <InvoiceHistory f={f} khqrAvailable={data.khqrAvailable} />
    </div>
  );
}
