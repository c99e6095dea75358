import { redirect } from "next/navigation";
import { formErrorFromQuery } from "@/lib/form-errors";
import { AcceptTermsPage } from "@/components/legal/accept-terms-page";
import { consentStatus } from "@/server/auth/consent.public";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

// A platform admin with newer terms to accept lands here from the console layout (server/auth/consent.public.ts).
export default async function ConsoleAcceptTerms({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requirePlatformAdmin();
  const status = await consentStatus(admin);
  if (status.pending.length === 0) redirect("/admin");
  const t = await getT();
  return (
    <AcceptTermsPage
      t={t}
      pending={status.pending}
      versions={status.versions}
      legalOrigin=""
      initial={formErrorFromQuery(await searchParams, [], t)}
    />
  );
}
