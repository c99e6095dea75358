"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** As the app's queries (lib/trpc/client.tsx staleTime): figures younger than this are not asked again. */
const STALE_MS = 30_000;

/**
 * Keeps the server-rendered home fresh: when the tab is shown again and what it shows is older than
 * 30 s, the page's server components render again (router.refresh), so a payment recorded in another
 * tab, or a set-up step done there, shows on return, as the figures' and checklist's queries did when
 * they were client components (refetch on focus). Renders nothing.
 */
export function RefreshOnReturn() {
  const router = useRouter();
  useEffect(() => {
    let shownAt = Date.now();
    const onVisible = () => {
      if (document.visibilityState !== "visible" || Date.now() - shownAt < STALE_MS) return;
      shownAt = Date.now();
      router.refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [router]);
  return null;
}
