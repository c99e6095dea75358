"use client";
import { useState, type ReactNode } from "react";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { postMutation, refusalText } from "@/lib/trpc/plain-mutation";

/** The dismiss button's words (translated on the server). */
export interface DismissText {
  label: string;
  confirmTitle: string;
  confirmBody: string;
  keep: string;
  dismissed: string;
  networkError: string;
}

/**
 * The set-up checklist's frame and its one action: hiding it (confirmed with SweetAlert2, a toast
 * when done). The heading and steps are server-rendered (./onboarding-checklist.tsx); this island
 * hydrates no translator (issue 17, fast on phones). `dismiss` is null for members who cannot hide it.
 * The hide is `dashboard.dismissChecklist` over plain fetch (lib/trpc/plain-mutation.ts): the home loads
 * neither tRPC's client nor react-query (issue 17).
 */
export function ChecklistFrame({ heading, dismiss, children }: { heading: ReactNode; dismiss: DismissText | null; children: ReactNode }) {
  const [hidden, setHidden] = useState(false);
  const [pending, setPending] = useState(false);
  if (hidden) return null;

  const onDismiss = async () => {
    if (!dismiss) return;
    const ok = await confirmAction({
      title: dismiss.confirmTitle,
      text: dismiss.confirmBody,
      confirmText: dismiss.label,
      cancelText: dismiss.keep,
    });
    if (!ok) return;
    setPending(true);
    try {
      await postMutation("dashboard.dismissChecklist");
      setHidden(true);
      toast.success(dismiss.dismissed);
    } catch (e) {
      toast.error(refusalText(e, dismiss.networkError));
    } finally {
      setPending(false);
    }
  };

  return (
    <section
      className="rounded-xl border border-teal-200 bg-white p-4 shadow-sm"
      data-testid="onboarding-checklist"
      aria-labelledby="onboarding-title"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        {heading}
        {dismiss ? (
          <button
            type="button"
            onClick={() => void onDismiss()}
            disabled={pending}
            className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-teal-700 disabled:opacity-50"
            data-testid="onboarding-dismiss"
          >
            {dismiss.label}
          </button>
        ) : null}
      </div>
      {children}
    </section>
  );
}
