"use client";
import { SearchInput } from "@/components/ui/search-input";
import { roleLabel } from "@/lib/i18n/role-label";
import { useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";

type MemberRow = RouterOutputs["members"]["list"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, MemberRow>();
const EMPTY: MemberRow[] = [];

export function MembersTable({ isOwner }: { isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t, formatDate } = useI18n();
  const can = useCan();
  const canManage = can("members.manage");
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());

  const query = useInfiniteQuery(
    trpc.members.list.infiniteQueryOptions(
      { search: deferredSearch || undefined, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const roles = useQuery({ ...trpc.members.roles.queryOptions(), enabled: canManage });

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.pathKey() });
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: (m) => {
        toast.success(t("members.roleChanged", { role: roleLabel(t, m.role.key, m.role.name) }));
        void invalidate();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const setStatus = useMutation(
    trpc.members.setStatus.mutationOptions({
      onSuccess: (m) => {
        toast.success(t(m.status === "active" ? "members.reactivated" : "members.deactivated", { name: m.name }));
        void invalidate();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: () => void invalidate(),
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const transfer = useMutation(
    trpc.members.transferOwnership.mutationOptions({
      onSuccess: (m) => {
        toast.success(t("team.transferred", { name: m.name }));
        // our own permissions changed: reload the workspace with the new role
        window.location.reload();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  async function confirmRemove(m: MemberRow) {
    const ok = await confirmAction({
      title: t("team.confirmRemoveTitle", { name: m.name }),
      text: t("team.confirmRemoveText"),
      confirmText: t("team.remove"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (ok) remove.mutate({ membershipId: m.id }, { onSuccess: () => toast.success(t("team.removed", { name: m.name })) });
  }

  async function confirmTransfer(m: MemberRow) {
    const ok = await confirmAction({
      title: t("team.confirmTransferTitle", { name: m.name }),
      text: t("team.confirmTransferText", { word: m.email }),
      confirmText: t("team.makeOwner"),
      cancelText: t("common.cancel"),
      danger: true,
      typed: { word: m.email, prompt: t("common.typeToConfirm", { word: m.email }) },
    });
    if (ok) transfer.mutate({ membershipId: m.id });
  }

  async function toggleStatus(m: MemberRow) {
    if (m.status === "active") {
      const ok = await confirmAction({
        title: t("members.confirmDeactivateTitle", { name: m.name }),
        text: t("members.confirmDeactivateText"),
        confirmText: t("members.deactivate"),
        cancelText: t("common.cancel"),
        danger: true,
      });
      if (!ok) return;
    }
    setStatus.mutate({ membershipId: m.id, status: m.status === "active" ? "deactivated" : "active" });
  }

  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", {
          header: () => t("members.name"),
          cell: (info) => (
            <span className="font-medium text-slate-900">
              {info.getValue()}
              {info.row.original.isYou ? <span className="ml-1 text-xs text-slate-500">({t("members.you")})</span> : null}
            </span>
          ),
        }),
        helper.accessor("email", { header: () => t("members.email") }),
        helper.accessor((m) => m.role.key, {
          id: "role",
          header: () => t("members.role"),
          cell: (info) => {
            const m = info.row.original;
            // members who outrank you (owners, or anyone holding a permission you lack) are read-only
            if (!canManage || !roles.data || !m.canManage) return roleLabel(t, m.role.key, m.role.name);
            return (
              <select
                aria-label={t("members.changeRole")}
                value={m.role.id}
                disabled={changeRole.isPending}
                onChange={(e) => changeRole.mutate({ membershipId: m.id, roleId: e.target.value })}
                className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
              >
                {roles.data.map((r) => (
                  <option key={r.id} value={r.id} disabled={!r.grantable && r.id !== m.role.id}>
                    {roleLabel(t, r.key, r.name)}
                  </option>
                ))}
              </select>
            );
          },
        }),
        helper.accessor("status", {
          header: () => t("members.status"),
          cell: (info) => (
            <span
              className={`rounded-full px-2 py-0.5 text-xs font-medium ${info.getValue() === "active" ? "bg-teal-50 text-teal-800" : "bg-slate-100 text-slate-600"}`}
            >
              {t(info.getValue() === "active" ? "members.statusActive" : "members.statusDeactivated")}
            </span>
          ),
        }),
        helper.accessor("createdAt", { header: () => t("members.joined"), cell: (info) => formatDate(info.getValue()) }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("members.actions")}</span>,
          cell: (info) => {
            const m = info.row.original;
            if (!canManage || m.isYou) return null;
            const busy = setStatus.isPending || remove.isPending || transfer.isPending;
            const canMakeOwner = isOwner && m.status === "active" && m.role.key !== "owner";
            if (!m.canManage && !canMakeOwner) {
              return <span className="block text-right text-xs text-slate-500">{t("members.outranksYou")}</span>;
            }
            return (
              <div className="flex flex-wrap justify-end gap-1">
                {canMakeOwner ? (
                  <button
                    type="button"
                    onClick={() => void confirmTransfer(m)}
                    disabled={busy}
                    className="rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
                  >
                    {t("team.makeOwner")}
                  </button>
                ) : null}
                {m.canManage ? (
                  <>
                    <button
                      type="button"
                      onClick={() => void toggleStatus(m)}
                      disabled={busy}
                      className={`rounded-md px-3 py-1.5 text-sm ${m.status === "active" ? "text-red-700 hover:bg-red-50" : "text-teal-800 hover:bg-teal-50"}`}
                    >
                      {t(m.status === "active" ? "members.deactivate" : "members.reactivate")}
                    </button>
                    <button
                      type="button"
                      onClick={() => void confirmRemove(m)}
                      disabled={busy}
                      className="rounded-md px-3 py-1.5 text-sm text-red-700 hover:bg-red-50"
                    >
                      {t("team.remove")}
                    </button>
                  </>
                ) : null}
              </div>
            );
          },
        }),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, formatDate, canManage, isOwner, roles.data, changeRole.isPending, setStatus.isPending, remove.isPending, transfer.isPending],
  );

  return (
    <div className="space-y-3">
      <SearchInput value={search} onChange={setSearch} label={t("members.search")} />
      <DataTable
        columns={columns}
        data={data}
        testId="members"
        {...pagingProps(query)}
        text={listText(t, "members", { columns: false })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <div className="truncate">{cell("name")}</div>
                <div className="truncate text-sm text-slate-600">{row.original.email}</div>
              </div>
              {cell("status")}
            </div>
            <div className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
              {cell("role")}
              {cell("actions")}
            </div>
          </>
        )}
      />
    </div>
  );
}
