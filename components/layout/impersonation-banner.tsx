"use client";
import { useState } from "react";
import { toast } from "@/components/ui/toast";

/** The banner's words, translated and formatted on the server (app/(app)/t/[tenant]/_components/workspace-shell.tsx). */
export interface ImpersonationText {
  /** who is signed in as whom, until when */
  message: string;
  stop: string;
  error: string;
}

/** Shown on every workspace page during a support session; ends it on request. */
export function ImpersonationBanner({ text }: { text: ImpersonationText }) {
  const [pending, setPending] = useState(false);

  async function stop() {
    setPending(true);
    try {
      const res = await fetch("/api/session/impersonation/stop", { method: "POST", credentials: "same-origin" });
      const body = (await res.json()) as { redirectTo?: string };
      if (!res.ok || !body.redirectTo) throw new Error(String(res.status));
      window.location.href = body.redirectTo;
    } catch {
      setPending(false);
      toast.error(text.error);
    }
  }

  return (
    <div
      role="status"
      data-testid="impersonation-banner"
      className="sticky top-0 z-30 flex flex-wrap items-center justify-center gap-3 bg-amber-400 px-3 py-2 text-sm font-medium text-amber-950"
    >
      <span>{text.message}</span>
      <button type="button" onClick={stop} disabled={pending} className="rounded-md bg-amber-950 px-3 py-1 text-amber-50">
        {text.stop}
      </button>
    </div>
  );
}
