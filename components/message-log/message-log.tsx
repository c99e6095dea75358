"use client";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import type { RouterOutputs } from "@/lib/trpc/client";
import { MessageDrawer } from "./message-drawer";
import { MessageFilters, MessageTable, NO_FILTERS, type MessageFilterState } from "./message-table";

type MessageRow = RouterOutputs["messages"]["list"]["items"][number];

const EMPTY: MessageRow[] = [];

/** The workspace's message log: filters, the list, a detail drawer and Retry (messages.manage). */
export function WorkspaceMessageLog({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const canRetry = useCan()("messages.manage");
  const [filters, setFilters] = useState<MessageFilterState>(NO_FILTERS);
  const search = useDeferredValue(filters.search.trim());
  const [openId, setOpenId] = useState<string | null>(null);

  const query = useInfiniteQuery(
    trpc.messages.list.infiniteQueryOptions(
      { status: filters.status || undefined, key: filters.key || undefined, search: search || undefined, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const detail = useQuery({ ...trpc.messages.get.queryOptions({ messageId: openId ?? "" }), enabled: openId !== null });

  const retry = useMutation(
    trpc.messages.retry.mutationOptions({
      onSuccess: (m) => {
        toast.success(t("messagesLog.retried", { to: m.to }));
        void queryClient.invalidateQueries({ queryKey: trpc.messages.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.billing.entitlements.queryKey() });
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
      <MessageFilters value={filters} onChange={setFilters} />
      <MessageTable
        query={query}
        data={data}
        timezone={timezone}
        canRetry={canRetry}
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
        canRetry={canRetry}
        retryPending={retry.isPending}
        onRetry={(m) => void confirmRetry(m)}
      />
    </div>
  );
}
