"use client";
import { useState } from "react";
import { toast } from "@/components/ui/toast";

/**
 * The sign-out button with its words given (a server component translates them: the signed-in
 * shell, components/layout/app-shell.tsx, hydrates no translator; issue 17, fast on phones).
 */
export function SignOut({ label, errorText, className = "" }: { label: string; errorText: string; className?: string }) {
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    try {
      const res = await fetch("/api/session/logout", { method: "POST", credentials: "same-origin" });
      if (!res.ok) throw new Error(String(res.status));
      // a full load on purpose: it drops every cached query of the signed-out user
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.href = "/login?signedOut=1";
    } catch {
      setPending(false);
      toast.error(errorText);
    }
  }

  return (
    <button
      type="button"
      onClick={signOut}
      disabled={pending}
      className={`rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 ${className}`}
    >
      {label}
    </button>
  );
}
