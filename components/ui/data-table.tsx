"use client";
import type { ReactNode } from "react";
import { tableFeatures, useTable, type ColumnDef, type Row, type RowData } from "@tanstack/react-table";

export const dataTableFeatures = tableFeatures({});
export type DataTableFeatures = typeof dataTableFeatures;

export interface DataTableText {
  loading: string;
  empty: string;
  error: string;
  retry: string;
  loadMore: string;
}

/**
 * A table from 640 px up and one card per row below it (no horizontal scrolling on phones),
 * with loading, empty and error states and keyset "load more" paging driven by the caller.
 */
export function DataTable<TData extends RowData>({
  columns,
  data,
  text,
  testId,
  status,
  onRetry,
  hasMore,
  loadingMore,
  onLoadMore,
  renderCard,
}: {
  // TValue differs per column; the table only renders them
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<DataTableFeatures, TData, any>[];
  data: TData[];
  text: DataTableText;
  testId: string;
  status: "pending" | "error" | "success";
  onRetry: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** the card of one row; `cell(id)` renders that column's cell */
  renderCard: (row: Row<DataTableFeatures, TData>, cell: (columnId: string) => ReactNode) => ReactNode;
}) {
  const table = useTable({ features: dataTableFeatures, columns, data });
  const rows = table.getRowModel().rows;

  if (status === "error") {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        {text.error}{" "}
        <button type="button" className="underline" onClick={onRetry}>
          {text.retry}
        </button>
      </div>
    );
  }
  if (status === "pending") {
    return (
      <p className="text-sm text-slate-500" aria-live="polite">
        {text.loading}
      </p>
    );
  }
  if (rows.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">{text.empty}</p>;
  }

  return (
    <>
      <div className="hidden overflow-hidden rounded-xl border border-slate-200 bg-white sm:block">
        <table className="w-full text-left text-sm" data-testid={`${testId}-table`}>
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="px-4 py-3 font-medium">
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-4 py-3 align-middle">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="space-y-2 sm:hidden" data-testid={`${testId}-cards`}>
        {rows.map((row) => {
          const cells = new Map(row.getAllCells().map((c) => [c.column.id, c]));
          const cell = (id: string) => {
            const c = cells.get(id);
            return c ? <table.FlexRender cell={c} /> : null;
          };
          return (
            <li key={row.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              {renderCard(row, cell)}
            </li>
          );
        })}
      </ul>
      {hasMore ? (
        <button
          type="button"
          onClick={onLoadMore}
          disabled={loadingMore}
          className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm"
        >
          {text.loadMore}
        </button>
      ) : null}
    </>
  );
}
