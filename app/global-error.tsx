"use client";
import { useEffect } from "react";
import { captureBrowserError } from "@/lib/observability/sentry-browser";

// Replaces the root layout when it fails, so no providers are available: the two languages
// are inlined here on purpose (the only strings outside the catalogs).
const TEXT = {
  en: { title: "Something went wrong", body: "Please reload the page.", ref: "Reference", retry: "Reload" },
  km: { title: "មានបញ្ហាកើតឡើង", body: "សូមផ្ទុកទំព័រឡើងវិញ។", ref: "លេខយោង", retry: "ផ្ទុកឡើងវិញ" },
} as const;

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    captureBrowserError(error);
  }, [error]);
  const lang = typeof document !== "undefined" && document.cookie.includes("phteah-locale=km") ? "km" : "en";
  const t = TEXT[lang];
  return (
    <html lang={lang}>
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", padding: "4rem 1rem" }}>
        <h1>{t.title}</h1>
        <p>{t.body}</p>
        {error.digest ? (
          <p style={{ fontFamily: "monospace", fontSize: 12 }}>
            {t.ref}: {error.digest}
          </p>
        ) : null}
        <button type="button" onClick={reset}>
          {t.retry}
        </button>
      </body>
    </html>
  );
}
