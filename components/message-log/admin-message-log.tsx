"use client";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { SLUG_PATTERN } from "@/lib/tenancy";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import type { RouterOutputs } from "@/lib/trpc/client";
import { MessageDrawer } from "./message-drawer";
import { MessageFilters, MessageTable, NO_FILTERS, type MessageFilterState } from "./message-table";

type AdminMessageRow = RouterOutputs["adminMessages"]["list"]["items"][number];

const EMPTY: AdminMessageRow[] = [];

/** Every workspace's messages, with a workspace filter, details and Retry. */
export function AdminMessageLog({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const [filters, setFilters] = useState<MessageFilterState>(NO_FILTERS);
  const [tenantText, setTenantText] = useState("");
  const search = useDeferredValue(filters.search.trim());
  const tenant = useDeferredValue(tenantText.trim().toLowerCase());
  const tenantValid = tenant === "" || SLUG_PATTERN.test(tenant);
  const [openId, setOpenId] = useState<string | null>(null);

  const query = useInfiniteQuery({
    ...trpc.adminMessages.list.infiniteQueryOptions(
      {
        tenant: tenant || undefined,
        status: filters.status || undefined,
        key: filters.key || undefined,
        search: search || undefined,
        limit: 25,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
    enabled: tenantValid,
  });
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const detail = useQuery({ ...trpc.adminMessages.get.queryOptions({ messageId: openId ?? "" }), enabled: openId !== null });

  const retry = useMutation(
    trpc.adminMessages.retry.mutationOptions({
      onSuccess: (m) => {
        toast.success(t("messagesLog.retried", { to: m.to }));
        void queryClient.invalidateQueries({ queryKey: trpc.adminMessages.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  async function confirmRetry(m: { id: string; to: string }) {
    const ok = await confirmAction({
      title: t("messagesLog.retryTitle"),
      text: t("messagesLog.retryText", { to: m.to }),
      confirmText: t("messagesLog.retry"),
      cancelText: t("messagesLog.cancel"),
    });
    if (ok) retry.mutate({ messageId: m.id });
  }
  const close = useCallback(() => setOpenId(null), []);

  return (
    <div className="space-y-3">
      <MessageFilters value={filters} onChange={setFilters}>
        <div>
          <input
            type="search"
            value={tenantText}
            onChange={(e) => setTenantText(e.target.value)}
            placeholder={t("messagesLog.filters.tenantHelp")}
            aria-label={t("messagesLog.filters.tenant")}
            aria-invalid={tenantValid ? undefined : true}
            className={`w-full rounded-lg border px-3 py-2 sm:w-56 ${tenantValid ? "border-slate-300" : "border-red-600"}`}
          />
          {tenantValid ? null : (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {t("messagesLog.errors.invalidTenant")}
            </p>
          )}
        </div>
      </MessageFilters>
      <MessageTable
        query={query}
        data={data}
        timezone={timezone}
        showTenant
        canRetry
        retryPending={retry.isPending}
        onOpen={setOpenId}
        onRetry={(m) => void confirmRetry(m)}
      />
      <MessageDrawer
        open={openId !== null}
        onClose={close}
        status={detail.status}
        detail={detail.data}
        timezone={timezone}
        canRetry
        retryPending={retry.isPending}
        onRetry={(m) => void confirmRetry(m)}
      />
    </div>
  );
}
