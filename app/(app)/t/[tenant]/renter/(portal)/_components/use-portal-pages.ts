"use client";
import { useMemo } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { ListPage } from "./rows";

/**
 * A portal list's pages: the first page comes with the server page, "show more" fetches the next
 * from `/renter/<list>/more` by its keyset cursor. Returns the query (for the table's paging
 * props) and the rows of every page loaded so far.
 */
export function usePortalPages<Row>(list: "invoices" | "receipts", first: ListPage<Row>) {
  const query = useInfiniteQuery({
    queryKey: ["portal", list],
    queryFn: ({ pageParam }) => (pageParam ? fetchPage<Row>(list, pageParam) : Promise.resolve(first)),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: { pages: [first], pageParams: [""] },
    staleTime: Infinity,
  });
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { query, data };
}

async function fetchPage<Row>(list: string, cursor: string): Promise<ListPage<Row>> {
  const res = await fetch(`/renter/${list}/more?cursor=${encodeURIComponent(cursor)}`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${list} page: ${res.status}`);
  return (await res.json()) as ListPage<Row>;
}
