"use client";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { postMutation, refusalText } from "@/lib/trpc/plain-mutation";

/** The restore button's words (translated on the server: ./workspace-closed.tsx). */
export interface RestoreText {
  label: string;
  confirmTitle: string;
  confirmBody: string;
  cancel: string;
  restored: string;
  networkError: string;
}

/** The owner's restore of a workspace closed for deletion (`workspaceDeletion.restore`, confirmed with SweetAlert2), then the app again. */
export function RestoreWorkspaceButton({ text }: { text: RestoreText }) {
  const [pending, setPending] = useState(false);
  const onRestore = async () => {
    const ok = await confirmAction({ title: text.confirmTitle, text: text.confirmBody, confirmText: text.label, cancelText: text.cancel });
    if (!ok) return;
    setPending(true);
    try {
      await postMutation("workspaceDeletion.restore");
      toast.success(text.restored);
      window.location.reload();
    } catch (e) {
      toast.error(refusalText(e, text.networkError));
      setPending(false);
    }
  };
  return (
    <button
      type="button"
      onClick={() => void onRestore()}
      disabled={pending}
      data-testid="restore-workspace"
      className="inline-flex min-h-10 items-center justify-center rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-60"
    >
      {text.label}
    </button>
  );
}
