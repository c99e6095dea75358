"use client";
import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { RENT_CURRENCY_CODES } from "@/lib/schemas/rent-invoices";
import {
  PAYMENT_FILTER_KEYS,
  RENT_PAYMENT_LIST_METHODS,
  RENT_PAYMENT_STATUSES,
  type PaymentFilters,
  type RENT_PAYMENT_SORTS,
  type RentPaymentStatus,
} from "@/lib/schemas/rent-payments";
import { SearchInput } from "@/components/ui/search-input";
import { FilterSelect, filterControlCls } from "@/components/ui/filter-select";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { ReceivedAs } from "./received-as";

type RentPaymentRow = RouterOutputs["rentPayments"]["list"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, RentPaymentRow>();
const EMPTY: RentPaymentRow[] = [];
type PaymentSort = (typeof RENT_PAYMENT_SORTS)[number];

const STATUS_STYLES: Record<RentPaymentStatus, string> = {
  paid: "bg-teal-50 text-teal-800",
  pending: "bg-sky-50 text-sky-800",
  failed: "bg-red-50 text-red-800",
  expired: "bg-slate-100 text-slate-600",
  refunded: "bg-amber-50 text-amber-800",
};

/**
 * Rent payments with server-side filters, sort and "load more", and the filtered total per
 * currency (computed by the server on the same filters) above the list. The filters live in the
 * URL, so the dashboard's "collected" links land on a list whose total is that figure.
 */
export function PaymentsTable({ initialFilters }: { initialFilters: PaymentFilters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const { t, fmt } = useI18n();
  const [filters, setFilters] = useState<PaymentFilters>(initialFilters);
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [sort, setSort] = useState<SortState>({ id: "paidAt", desc: true });
  const options = useQuery(trpc.rentInvoices.propertyOptions.queryOptions());

  function update(next: PaymentFilters) {
    setFilters(next);
    const params = new URLSearchParams();
    for (const key of PAYMENT_FILTER_KEYS) {
      const v = next[key];
      if (v) params.set(key, v);
    }
    const qs = params.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  const query = useInfiniteQuery(
    trpc.rentPayments.list.infiniteQueryOptions(
      { ...filters, search: deferredSearch || undefined, sort: { id: sort.id as PaymentSort, desc: sort.desc }, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const first = query.data?.pages[0];
  const totals = first?.totals ?? [];
  const totalsSince = first?.totalsSince ?? null;
  const timezone = first?.timezone ?? "Asia/Phnom_Penh";

  const columns = useMemo(() => {
    const when = { format: (d: Date) => fmt.dateTime(d, timezone) };
    return helper.columns([
      helper.accessor((r) => r.paidAt ?? r.createdAt, {
        id: "paidAt",
        header: () => t("rentPayments.list.paidAt"),
        cell: (info) => (
          <time dateTime={new Date(info.getValue()).toISOString()} className="whitespace-nowrap" data-testid="payment-date">
            {when.format(new Date(info.getValue()))}
          </time>
        ),
      }),
      helper.accessor("invoiceNumber", {
        id: "invoice",
        header: () => t("rentPayments.list.invoice"),
        cell: (info) =>
          info.row.original.invoiceId ? (
            <Link
              href={`/invoices/${info.row.original.invoiceId}`}
              className="font-medium text-teal-800 hover:underline"
              data-testid="payment-invoice-link"
            >
              {info.getValue()}
            </Link>
          ) : null,
      }),
      helper.accessor("renterName", {
        id: "renter",
        header: () => t("rentPayments.list.renter"),
        cell: (info) => <span className="text-slate-900">{info.getValue()}</span>,
      }),
      helper.accessor("unitCode", {
        id: "unit",
        header: () => t("rentPayments.list.unit"),
        cell: (info) => (
          <span>
            {info.getValue()}
            <span className="text-slate-500"> · {info.row.original.propertyName}</span>
          </span>
        ),
      }),
      helper.accessor("method", {
        header: () => t("rentPayments.list.method"),
        cell: (info) => <span data-method={info.getValue()}>{t(`rentPayments.method.${info.getValue()}`)}</span>,
      }),
      helper.accessor("reference", {
        header: () => t("rentPayments.list.reference"),
        cell: (info) => <span className="break-all text-slate-600">{info.getValue() ?? ""}</span>,
      }),
      helper.accessor("amount", {
        header: () => t("rentPayments.list.amount"),
        cell: (info) => (
          <span className="font-medium tabular-nums">
            <span data-testid="payment-amount">{fmt.money(info.getValue(), info.row.original.currency)}</span>
            <ReceivedAs payment={info.row.original} />
          </span>
        ),
      }),
      helper.accessor("status", {
        header: () => t("rentPayments.list.status"),
        cell: (info) => (
          <span
            className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[info.getValue()]}`}
            data-status={info.getValue()}
          >
            {t(`rentPayments.list.statuses.${info.getValue()}`)}
          </span>
        ),
      }),
      helper.display({
        id: "receipt",
        header: () => t("rentPayments.list.receipt"),
        cell: (info) =>
          info.row.original.hasReceipt && info.row.original.invoiceId ? (
            <a
              href={`/invoices/${info.row.original.invoiceId}/pdf?kind=receipt`}
              target="_blank"
              rel="noopener"
              className="text-teal-800 hover:underline"
              aria-label={t("rentPayments.list.receiptLabel", { number: info.row.original.invoiceNumber ?? "" })}
              data-testid="payment-receipt"
            >
              {t("rentPayments.list.receipt")}
            </a>
          ) : null,
      }),
    ]);
  }, [t, fmt, timezone]);

  const filtered = Boolean(PAYMENT_FILTER_KEYS.some((k) => filters[k]) || deferredSearch);
  const count = (n: number) => t("rentPayments.list.totalOf", { count: n });
  return (
    <div className="space-y-3" data-testid="payments">
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput value={search} onChange={setSearch} label={t("rentPayments.list.search")} />
        <FilterSelect
          label={t("rentPayments.list.status")}
          value={filters.status ?? "paid"}
          onChange={(status) => update({ ...filters, status: status === "paid" ? undefined : status })}
          options={RENT_PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`rentPayments.list.statuses.${s}`) }))}
          testId="payment-status-filter"
        />
        <FilterSelect
          label={t("rentPayments.list.method")}
          value={filters.method}
          onChange={(method) => update({ ...filters, method })}
          allLabel={t("rentPayments.list.allMethods")}
          options={RENT_PAYMENT_LIST_METHODS.map((m) => ({ value: m, label: t(`rentPayments.method.${m}`) }))}
          testId="payment-method-filter"
        />
        <FilterSelect
          label={t("rentPayments.list.property")}
          value={filters.propertyId}
          onChange={(propertyId) => update({ ...filters, propertyId })}
          allLabel={t("rentPayments.list.allProperties")}
          options={(options.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          testId="payment-property-filter"
        />
        <FilterSelect
          label={t("rentPayments.list.currency")}
          value={filters.currency}
          onChange={(currency) => update({ ...filters, currency })}
          allLabel={t("rentPayments.list.allCurrencies")}
          options={RENT_CURRENCY_CODES.map((c) => ({ value: c, label: c }))}
          testId="payment-currency-filter"
        />
        <label className="inline-flex items-center gap-2 text-sm text-slate-600">
          {t("rentPayments.list.period")}
          <input
            type="month"
            value={filters.period ?? ""}
            onChange={(e) => update({ ...filters, period: e.target.value || undefined })}
            className={filterControlCls}
            data-testid="payment-period-filter"
          />
        </label>
        <label className="inline-flex items-center gap-2 text-sm text-slate-600">
          {t("rentPayments.list.from")}
          <input
            type="date"
            value={filters.from ?? ""}
            max={filters.to}
            onChange={(e) => update({ ...filters, from: e.target.value || undefined })}
            className={filterControlCls}
            data-testid="payment-from-filter"
          />
        </label>
        <label className="inline-flex items-center gap-2 text-sm text-slate-600">
          {t("rentPayments.list.to")}
          <input
            type="date"
            value={filters.to ?? ""}
            min={filters.from}
            onChange={(e) => update({ ...filters, to: e.target.value || undefined })}
            className={filterControlCls}
            data-testid="payment-to-filter"
          />
        </label>
        {filtered ? (
          <button
            type="button"
            onClick={() => {
              setSearch("");
              update({});
            }}
            className="rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
          >
            {t("rentPayments.list.clearFilters")}
          </button>
        ) : null}
      </div>
      {totals.length > 0 ? (
        <section className="flex flex-wrap gap-3" aria-label={t("rentPayments.list.total")} data-testid="payments-totals">
          {totals.map((c) => (
            <div key={c.currency} className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
              <p className="text-xs font-medium uppercase text-slate-500">
                {t("rentPayments.list.total")} · {c.currency}
              </p>
              <p className="text-2xl font-semibold tabular-nums" data-testid={`payments-total-${c.currency}`}>
                {fmt.money(c.amount, c.currency)}
              </p>
              <p className="text-sm text-slate-600" data-testid={`payments-count-${c.currency}`}>
                {count(c.count)}
              </p>
            </div>
          ))}
          {totalsSince ? (
            <p className="basis-full text-sm text-slate-600" data-testid="payments-totals-since">
              {t("rentPayments.list.totalSince", {
                date: fmt.day(totalsSince),
              })}
            </p>
          ) : null}
        </section>
      ) : null}
      <DataTable
        columns={columns}
        data={data}
        testId="payments"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["paidAt", "amount"]}
        hideableColumns={["unit", "reference", "receipt"]}
        columnLabels={{
          unit: t("rentPayments.list.unit"),
          reference: t("rentPayments.list.reference"),
          receipt: t("rentPayments.list.receipt"),
        }}
        text={listText(t, "rentPayments.list", { empty: filtered ? "rentPayments.list.emptyFiltered" : undefined })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <div className="truncate text-lg">{cell("amount")}</div>
                <div className="truncate text-sm">{cell("renter")}</div>
                <div className="truncate text-sm text-slate-600">{cell("unit")}</div>
              </div>
              {cell("status")}
            </div>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-sm">
              <span>{cell("invoice")}</span>
              <span className="text-slate-600">{cell("paidAt")}</span>
            </div>
            <div className="mt-1 flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-sm">
              <span className="min-w-0 truncate">
                {cell("method")}
                {row.original.reference ? <span className="text-slate-600"> · {row.original.reference}</span> : null}
              </span>
              {cell("receipt")}
            </div>
          </>
        )}
      />
    </div>
  );
}
