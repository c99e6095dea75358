"use client";
import { useState, type ReactNode } from "react";
import { tableFeatures, useTable, type ColumnDef, type Row, type RowData } from "@tanstack/react-table";

export const dataTableFeatures = tableFeatures({});
export type DataTableFeatures = typeof dataTableFeatures;

export interface DataTableText {
  loading: string;
  empty: string;
  error: string;
  retry: string;
  loadMore: string;
  /** label of the column-visibility menu; the menu shows only with `hideableColumns` */
  columns?: string;
}

/** Server-side sort state: the caller puts it in its query input. */
export interface SortState {
  id: string;
  desc: boolean;
}

/** The subset of a TanStack infinite query that drives a DataTable's states and "load more". */
interface InfiniteListQuery {
  status: "pending" | "error" | "success";
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  refetch: () => unknown;
  fetchNextPage: () => unknown;
}

/** Spread into <DataTable>: loading/error/empty states and keyset paging from one infinite query. */
export function pagingProps(query: InfiniteListQuery) {
  return {
    status: query.status,
    onRetry: () => void query.refetch(),
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    onLoadMore: () => void query.fetchNextPage(),
  };
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
  sort,
  onSortChange,
  sortableColumns = [],
  hideableColumns = [],
  columnLabels = {},
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
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  /** column ids the server can sort by; their headers become buttons */
  sortableColumns?: string[];
  /** column ids the user may hide (desktop table only; cards keep their key fields) */
  hideableColumns?: string[];
  columnLabels?: Record<string, string>;
}) {
  const table = useTable({ features: dataTableFeatures, columns, data });
  const rows = table.getRowModel().rows;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const visible = (id: string) => !hidden.has(id);

  function toggleSort(id: string) {
    if (!onSortChange) return;
    onSortChange(sort?.id === id ? { id, desc: !sort.desc } : { id, desc: false });
  }

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
      {hideableColumns.length > 0 ? (
        <details className="hidden text-sm sm:block">
          <summary className="cursor-pointer text-slate-600">{text.columns}</summary>
          <div className="mt-2 flex flex-wrap gap-3">
            {hideableColumns.map((id) => (
              <label key={id} className="inline-flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={visible(id)}
                  onChange={() =>
                    setHidden((h) => {
                      const next = new Set(h);
                      if (next.has(id)) next.delete(id);
                      else next.add(id);
                      return next;
                    })
                  }
                />
                {columnLabels[id] ?? id}
              </label>
            ))}
          </div>
        </details>
      ) : null}
      <div className="hidden overflow-hidden rounded-xl border border-slate-200 bg-white sm:block">
        <table className="w-full text-left text-sm" data-testid={`${testId}-table`}>
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers
                  .filter((header) => visible(header.column.id))
                  .map((header) => {
                    const id = header.column.id;
                    const sortable = sortableColumns.includes(id);
                    const active = sort?.id === id;
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        className="px-4 py-3 font-medium"
                        aria-sort={active ? (sort.desc ? "descending" : "ascending") : sortable ? "none" : undefined}
                      >
                        {header.isPlaceholder ? null : sortable ? (
                          <button type="button" onClick={() => toggleSort(id)} className="inline-flex items-center gap-1 uppercase">
                            <table.FlexRender header={header} />
                            <span aria-hidden="true">{active ? (sort.desc ? "▼" : "▲") : "↕"}</span>
                          </button>
                        ) : (
                          <table.FlexRender header={header} />
                        )}
                      </th>
                    );
                  })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id}>
                {row
                  .getAllCells()
                  .filter((cell) => visible(cell.column.id))
                  .map((cell) => (
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
