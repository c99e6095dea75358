"use client";
import { SearchInput } from "@/components/ui/search-input";
import { useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import type { RouterOutputs } from "@/lib/trpc/client";

type UserAdminRow = RouterOutputs["admin"]["users"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, UserAdminRow>();
const EMPTY: UserAdminRow[] = [];
type Filter = "all" | "locked" | "admins" | "reset_required";

export function UsersTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState<Filter>("all");
  const deferred = useDeferredValue(search.trim());
  const query = useInfiniteQuery(
    trpc.admin.users.infiniteQueryOptions(
      { search: deferred || undefined, filter, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.pathKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const lock = useMutation(trpc.admin.lockUser.mutationOptions({ onSuccess: () => void refresh(), onError }));
  const unlock = useMutation(trpc.admin.unlockUser.mutationOptions({ onSuccess: () => void refresh(), onError }));
  const forceReset = useMutation(trpc.admin.forcePasswordReset.mutationOptions({ onSuccess: () => void refresh(), onError }));
  const busy = lock.isPending || unlock.isPending || forceReset.isPending;

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("email", { header: () => t("console.email"), cell: (i) => <span className="font-medium">{i.getValue()}</span> }),
        helper.accessor("name", { header: () => t("console.name") }),
        helper.accessor((u) => u.workspaces.join(", "), { id: "workspaces", header: () => t("console.workspaces") }),
        helper.display({
          id: "flags",
          header: () => t("console.flags"),
          cell: (i) => {
            const u = i.row.original;
            const badges: string[] = [];
            if (u.isPlatformAdmin) badges.push(t("console.admin"));
            if (u.totpEnabled) badges.push(t("console.twoFactor"));
            if (u.lockedAt) badges.push(t("console.locked"));
            if (u.passwordResetRequired) badges.push(t("console.resetRequired"));
            return (
              <span className="flex flex-wrap gap-1">
                {badges.map((b) => (
                  <span key={b} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs">
                    {b}
                  </span>
                ))}
              </span>
            );
          },
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("members.actions")}</span>,
          cell: (i) => {
            const u = i.row.original;
            return (
              <div className="flex flex-wrap justify-end gap-1 text-sm">
                {u.lockedAt ? (
                  <button
                    type="button"
                    disabled={busy}
                    className="rounded-md px-3 py-1.5 text-teal-800 hover:bg-teal-50"
                    onClick={() =>
                      unlock.mutate({ userId: u.id }, { onSuccess: () => toast.success(t("console.unlockedDone", { email: u.email })) })
                    }
                  >
                    {t("console.unlock")}
                  </button>
                ) : (
                  <button
                    type="button"
                    disabled={busy}
                    className="rounded-md px-3 py-1.5 text-red-700 hover:bg-red-50"
                    onClick={async () => {
                      const ok = await confirmAction({
                        title: t("console.lockConfirmTitle", { email: u.email }),
                        text: t("console.lockConfirmText"),
                        confirmText: t("console.lock"),
                        cancelText: t("common.cancel"),
                        danger: true,
                      });
                      if (ok)
                        lock.mutate({ userId: u.id }, { onSuccess: () => toast.success(t("console.lockedDone", { email: u.email })) });
                    }}
                  >
                    {t("console.lock")}
                  </button>
                )}
                <button
                  type="button"
                  disabled={busy}
                  className="rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100"
                  onClick={async () => {
                    const ok = await confirmAction({
                      title: t("console.forceResetConfirmTitle", { email: u.email }),
                      text: t("console.forceResetConfirmText"),
                      confirmText: t("console.forceReset"),
                      cancelText: t("common.cancel"),
                      danger: true,
                    });
                    if (ok)
                      forceReset.mutate(
                        { userId: u.id },
                        { onSuccess: () => toast.success(t("console.forceResetDone", { email: u.email })) },
                      );
                  }}
                >
                  {t("console.forceReset")}
                </button>
              </div>
            );
          },
        }),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, busy],
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row">
        <SearchInput value={search} onChange={setSearch} label={t("console.usersSearch")} />
        <select
          aria-label={t("console.flags")}
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
        >
          <option value="all">{t("console.filterAll")}</option>
          <option value="locked">{t("console.filterLocked")}</option>
          <option value="admins">{t("console.filterAdmins")}</option>
          <option value="reset_required">{t("console.filterResetRequired")}</option>
        </select>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="users"
        {...pagingProps(query)}
        hideableColumns={["name", "workspaces"]}
        columnLabels={{ name: t("console.name"), workspaces: t("console.workspaces") }}
        text={listText(t, "admin", {
          loading: "common.loading",
          error: "errors.errorBody",
          retry: "errors.tryAgain",
          loadMore: "members.loadMore",
        })}
        renderCard={(row, cell) => (
          <>
            <div className="truncate font-medium">{row.original.email}</div>
            <div className="mt-1">{cell("flags")}</div>
            <div className="mt-2">{cell("actions")}</div>
          </>
        )}
      />
    </div>
  );
}
