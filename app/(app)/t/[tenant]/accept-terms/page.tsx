import { redirect } from "next/navigation";
import { formErrorFromQuery } from "@/lib/form-errors";
import { AcceptTermsPage } from "@/components/legal/accept-terms-page";
import { consentStatus } from "@/server/auth/consent.public";
import { originForApex } from "@/server/core/host-scope";
import { getSessionUser, getT, requireTenantMember } from "@/server/core/page-context";

// A member with newer terms to accept lands here from the workspace layout (server/auth/consent.public.ts).
export default async function WorkspaceAcceptTerms({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireTenantMember();
  const status = await consentStatus((await getSessionUser())!);
  if (status.pending.length === 0) redirect("/");
  const t = await getT();
  return (
    <AcceptTermsPage
      t={t}
      pending={status.pending}
      versions={status.versions}
      legalOrigin={originForApex()}
      initial={formErrorFromQuery(await searchParams, [], t)}
    />
  );
}
