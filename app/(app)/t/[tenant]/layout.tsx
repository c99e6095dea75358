import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { WorkspaceSuspended } from "../../../_components/workspace-suspended";
import { getScope, getServerCaller } from "@/server/core/page-context";
import { WorkspaceClosed } from "@/components/settings/workspace-closed";
import { readerI18n } from "@/server/core/reader-i18n";

// The tenant comes from the Host header (via getScope), never from the URL segment: the
// segment only exists because proxy.ts rewrites <slug>.<root>/x to /t/<slug>/x.
export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const scope = await getScope();
  const { tenant: slug } = await params;
  if (scope?.kind !== "tenant" || scope.tenant.slug !== slug) notFound();
  if (scope.tenant.status === "suspended") return <WorkspaceSuspended workspace={scope.tenant.name} />;
  if (scope.tenant.status === "closed") {
    // closed for deletion: members see when it will be deleted, the owner can restore it; anyone
    // else gets the pages as usual (sign-in), which refuse the workspace after it
    const status = await (await getServerCaller()).workspaceDeletion.status().catch(() => null);
    if (status) {
      return (
        <WorkspaceClosed
          name={scope.tenant.name}
          closedAt={status.closedAt}
          deleteAfter={status.deleteAfter}
          isOwner={status.isOwner}
          i18n={await readerI18n()}
        />
      );
    }
  }
  return children;
}
