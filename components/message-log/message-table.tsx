"use client";
import { useMemo, type ReactNode } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { MESSAGE_KEYS } from "@/lib/notifications/catalog";
import { MESSAGE_STATUSES, type MessageStatusName } from "@/lib/schemas/messages";
import { useI18n } from "@/lib/i18n/client";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import { SearchInput } from "@/components/ui/search-input";
import type { RouterOutputs } from "@/lib/trpc/client";
import { MessageStatusBadge } from "./status-badge";
import { useLogFormat } from "./format";
import { messageKeyLabel } from "./message-key-label";

type MessageRow = RouterOutputs["messages"]["list"]["items"][number];

type Row = MessageRow & { tenant?: { slug: string; name: string } };
const helper = createColumnHelper<DataTableFeatures, Row>();

export interface MessageFilterState {
  status: MessageStatusName | "";
  key: string;
  search: string;
}

export const NO_FILTERS: MessageFilterState = { status: "", key: "", search: "" };

/** Status, message type and recipient filters above the log. */
export function MessageFilters({
  value,
  onChange,
  children,
}: {
  value: MessageFilterState;
  onChange: (v: MessageFilterState) => void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const select = "rounded-lg border border-slate-300 bg-white px-3 py-2";
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
      {children}
      <select
        aria-label={t("messagesLog.filters.status")}
        value={value.status}
        onChange={(e) => onChange({ ...value, status: e.target.value as MessageStatusName | "" })}
        className={select}
      >
        <option value="">{t("messagesLog.filters.allStatuses")}</option>
        {MESSAGE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`messagesLog.status.${s}`)}
          </option>
        ))}
      </select>
      <select
        aria-label={t("messagesLog.filters.key")}
        value={value.key}
        onChange={(e) => onChange({ ...value, key: e.target.value })}
        className={select}
      >
        <option value="">{t("messagesLog.filters.allKeys")}</option>
        {MESSAGE_KEYS.map((k) => (
          <option key={k} value={k}>
            {messageKeyLabel(t, k)}
          </option>
        ))}
      </select>
      <SearchInput value={value.search} onChange={(search) => onChange({ ...value, search })} label={t("messagesLog.filters.search")} />
      {value.status || value.key || value.search ? (
        <button type="button" onClick={() => onChange(NO_FILTERS)} className="text-sm text-slate-600 underline">
          {t("messagesLog.filters.clear")}
        </button>
      ) : null}
    </div>
  );
}

interface ListQuery {
  status: "pending" | "error" | "success";
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  refetch: () => unknown;
  fetchNextPage: () => unknown;
}

/** The log: a table from 640 px up, one card per message below. */
export function MessageTable({
  query,
  data,
  timezone,
  showTenant = false,
  canRetry,
  retryPending,
  onOpen,
  onRetry,
}: {
  query: ListQuery;
  data: Row[];
  timezone: string;
  showTenant?: boolean;
  canRetry: boolean;
  retryPending: boolean;
  onOpen: (id: string) => void;
  onRetry: (row: Row) => void;
}) {
  const { t } = useI18n();
  const f = useLogFormat(timezone);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("createdAt", {
          id: "created",
          header: () => t("messagesLog.columns.created"),
          cell: (i) => <span className="whitespace-nowrap text-sm">{f.dateTime(i.getValue())}</span>,
        }),
        ...(showTenant
          ? [
              helper.accessor((r) => r.tenant?.slug ?? "", {
                id: "tenant",
                header: () => t("messagesLog.columns.tenant"),
                cell: (i) => <span className="text-sm">{i.getValue()}</span>,
              }),
            ]
          : []),
        helper.accessor("to", {
          id: "recipient",
          header: () => t("messagesLog.columns.recipient"),
          cell: (i) => (
            <span className="block max-w-xs text-sm [overflow-wrap:anywhere]" data-testid="message-to">
              {i.getValue()}
            </span>
          ),
        }),
        helper.accessor("key", {
          id: "message",
          header: () => t("messagesLog.columns.message"),
          cell: (i) => (
            <span className="block max-w-sm">
              <span className="block truncate text-sm text-slate-900">{i.row.original.subject ?? ""}</span>
              <span className="block text-xs text-slate-500">{messageKeyLabel(t, i.getValue())}</span>
            </span>
          ),
        }),
        helper.accessor("status", {
          header: () => t("messagesLog.columns.status"),
          cell: (i) => (
            <span className="block">
              <MessageStatusBadge status={i.getValue()} />
              {i.row.original.lastError && (i.getValue() === "failed" || i.getValue() === "bounced") ? (
                <span className="mt-1 block max-w-xs truncate text-xs text-red-800" title={i.row.original.lastError}>
                  {i.row.original.lastError}
                </span>
              ) : null}
            </span>
          ),
        }),
        helper.accessor("attempts", {
          header: () => t("messagesLog.columns.attempts"),
          cell: (i) => <span className="tabular-nums">{i.getValue()}</span>,
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("messagesLog.columns.actions")}</span>,
          cell: (i) => (
            <div className="flex flex-wrap justify-end gap-1">
              <button
                type="button"
                onClick={() => onOpen(i.row.original.id)}
                className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
              >
                {t("messagesLog.details")}
              </button>
              {canRetry && i.row.original.retryable ? (
                <button
                  type="button"
                  disabled={retryPending}
                  onClick={() => onRetry(i.row.original)}
                  className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-teal-800 hover:bg-teal-50 disabled:opacity-50"
                >
                  {t("messagesLog.retry")}
                </button>
              ) : null}
            </div>
          ),
        }),
      ]),
    // onOpen/onRetry only close over state setters and a mutation started on click
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, f, showTenant, canRetry, retryPending],
  );

  return (
    <DataTable
      columns={columns}
      data={data}
      testId="messages"
      {...pagingProps(query)}
      hideableColumns={["attempts", ...(showTenant ? ["tenant"] : [])]}
      columnLabels={{ attempts: t("messagesLog.columns.attempts"), tenant: t("messagesLog.columns.tenant") }}
      text={listText(t, "messagesLog", { retry: "messagesLog.tryAgain", columns: "messagesLog.columnsMenu" })}
      renderCard={(row, cell) => (
        <div data-testid="message-card">
          <div className="flex items-start justify-between gap-2">
            <div className="min-w-0">
              <div className="truncate text-sm font-medium text-slate-900">{row.original.to}</div>
              <div className="truncate text-xs text-slate-500">
                {showTenant && row.original.tenant ? `${row.original.tenant.slug} · ` : ""}
                {f.dateTime(row.original.createdAt)}
              </div>
            </div>
            <MessageStatusBadge status={row.original.status} />
          </div>
          <div className="mt-2">{cell("message")}</div>
          <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
            <span>{t("messagesLog.attemptsCount", { count: row.original.attempts })}</span>
            {cell("actions")}
          </div>
        </div>
      )}
    />
  );
}
