"use client";
import { useEffect } from "react";
import { captureBrowserError } from "@/lib/observability/sentry-browser";
import { ErrorPanel } from "@/components/layout/error-panel";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    captureBrowserError(error);
  }, [error]);
  return <ErrorPanel reference={error.digest} onRetry={reset} />;
}
