import Link from "next/link";
import type { ConsentDocument } from "@/lib/enums";
import { PublicHeader } from "@/components/layout/public-header";
import { getLocale, getT } from "@/server/core/page-context";
import { loadLegalText } from "@/server/auth/legal-documents";
import { LegalTextBody } from "@/components/legal/legal-text";

/** /terms and /privacy on the apex: the current version's text in the reader's language. */
export async function LegalPage({ document }: { document: ConsentDocument }) {
  const t = await getT();
  const text = await loadLegalText(document, await getLocale());
  const other =
    document === "terms" ? { href: "/privacy", label: t("consent.readPrivacy") } : { href: "/terms", label: t("consent.readTerms") };
  return (
    <div className="min-h-screen bg-white">
      <PublicHeader />
      <main id="main" className="mx-auto max-w-3xl px-4 py-8 sm:py-12" data-testid={`legal-${document}`}>
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{text.title}</h1>
        <p className="mt-1 text-sm text-slate-500" data-testid="legal-version">
          {t("consent.version", { version: text.version })}
        </p>
        <div className="mt-6">
          <LegalTextBody blocks={text.blocks} />
        </div>
        <p className="mt-8 text-sm text-slate-600">
          {t("consent.otherDocument")}{" "}
          <Link href={other.href} className="text-teal-700 underline">
            {other.label}
          </Link>
        </p>
      </main>
    </div>
  );
}
