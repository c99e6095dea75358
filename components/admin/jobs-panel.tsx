"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { Button } from "@/components/ui/button";
import { scheduleInWords } from "@/lib/schedule-words";

/** Each job: its schedule in words on the console's clock, its last run and outcome, its next run. */
export function JobsPanel({ timeZone }: { timeZone: string }) {
  const trpc = useTRPC();
  const { t, locale, formatDateTime } = useI18n();
  const jobs = useQuery(trpc.admin.jobs.queryOptions());
  const run = useMutation(
    trpc.admin.runJob.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("admin.jobDone", { job: jobTitle(r.id) }));
        void jobs.refetch();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  const jobTitle = (id: string) => {
    const job = jobs.data?.find((j) => j.id === id);
    return job ? t(job.titleKey as MessageKey) : id;
  };
  if (!jobs.data) return <p className="text-sm text-slate-500">{t("common.loading")}</p>;
  return (
    <ul className="space-y-2">
      {jobs.data.map((job) => (
        <li key={job.id} className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white p-4">
          <div>
            <div className="font-medium">{t(job.titleKey as MessageKey)}</div>
            <div className="text-xs text-slate-500">
              {t("admin.schedule")}:{" "}
              <span data-testid={`job-schedule-${job.id}`}>{scheduleInWords(t, job.schedule, timeZone, locale)}</span>
              {job.nextRunAt && (
                <>
                  {" · "}
                  {t("admin.nextRun")}: <span data-testid={`job-next-${job.id}`}>{formatDateTime(job.nextRunAt, timeZone)}</span>
                </>
              )}
            </div>
            <div className="text-xs text-slate-600" data-testid={`job-last-${job.id}`}>
              {t("admin.lastRun")}:{" "}
              {job.lastRun ? (
                <>
                  {formatDateTime(job.lastRun.startedAt, timeZone)} · {t(`admin.runBy.${job.lastRun.trigger}`)} ·{" "}
                  <span
                    className={
                      job.lastRun.status === "failed"
                        ? "font-medium text-red-700"
                        : job.lastRun.status === "succeeded"
                          ? "text-emerald-700"
                          : ""
                    }
                  >
                    {t(`admin.runStatus.${job.lastRun.status}`)}
                  </span>
                  {job.lastRun.durationMs !== null && (
                    <> · {t("admin.runDuration", { seconds: (job.lastRun.durationMs / 1000).toFixed(1) })}</>
                  )}
                </>
              ) : (
                t("admin.neverRun")
              )}
            </div>
            {job.lastRun?.status === "failed" && job.lastRun.error && (
              <div className="mt-1 max-w-prose break-words text-xs text-red-700">{job.lastRun.error}</div>
            )}
          </div>
          <Button
            variant="secondary"
            disabled={run.isPending}
            onClick={async () => {
              const ok = await confirmAction({
                title: t("admin.confirmRunTitle", { job: t(job.titleKey as MessageKey) }),
                text: t("admin.confirmRunText"),
                confirmText: t("admin.runNow"),
                cancelText: t("common.cancel"),
              });
              if (ok) run.mutate({ id: job.id });
            }}
          >
            {t("admin.runNow")}
          </Button>
        </li>
      ))}
    </ul>
  );
}
