import type { ConsentDocument } from "@/lib/enums";
import type { FormInitial } from "@/components/auth/use-json-post";
import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import type { Translator } from "@/lib/i18n";
import { AcceptTermsForm } from "./accept-terms-form";

/**
 * The page a signed-in user sees before anything else when a terms of service or privacy notice
 * version is newer than the one they last accepted (server/auth/consent.public.ts).
 */
export function AcceptTermsPage({
  t,
  pending,
  versions,
  legalOrigin,
  initial,
}: {
  t: Translator;
  pending: ConsentDocument[];
  versions: Record<ConsentDocument, string>;
  /** the apex, where /terms and /privacy live */
  legalOrigin: string;
  initial?: FormInitial;
}) {
  const documents = [
    { id: "terms" as const, title: t("consent.termsTitle"), read: t("consent.readTerms"), href: `${legalOrigin}/terms` },
    { id: "privacy" as const, title: t("consent.privacyTitle"), read: t("consent.readPrivacy"), href: `${legalOrigin}/privacy` },
  ];
  return (
    <AuthCard header={<PublicHeader />} title={t("consent.updatedTitle")} subtitle={t("consent.updatedBody")}>
      <ul className="mb-6 space-y-3" data-testid="accept-terms-documents">
        {documents.map((d) => (
          <li key={d.id} className="rounded-lg border border-slate-200 p-3" data-pending={pending.includes(d.id) ? "true" : "false"}>
            <p className="font-medium text-slate-900">{d.title}</p>
            <p className="text-sm text-slate-500">{t("consent.version", { version: versions[d.id] })}</p>
            <a href={d.href} target="_blank" rel="noopener" className="mt-1 inline-block text-sm text-teal-700 underline">
              {d.read}
            </a>
          </li>
        ))}
      </ul>
      <AcceptTermsForm initial={initial} />
    </AuthCard>
  );
}
