import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { getScope, getServerCaller, getT } from "@/server/core/page-context";
import { WorkspaceClosed } from "@/components/settings/workspace-closed";

// The tenant comes from the Host header (via getScope), never from the URL segment: the
// segment only exists because proxy.ts rewrites <slug>.<root>/x to /t/<slug>/x.
export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const scope = await getScope();
  const { tenant: slug } = await params;
  if (scope?.kind !== "tenant" || scope.tenant.slug !== slug) notFound();
  if (scope.tenant.status === "suspended") {
    const t = await getT();
    return (
      <main
        id="main"
        className="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 px-4 text-center"
        data-testid="suspended"
      >
        <h1 className="text-2xl font-semibold">{t("workspace.suspendedTitle")}</h1>
        <p className="max-w-md text-slate-600">{t("workspace.suspendedBody", { workspace: scope.tenant.name })}</p>
      </main>
    );
  }
  if (scope.tenant.status === "closed") {
    // closed for deletion: members see when it will be deleted, the owner can restore it; anyone
    // else gets the pages as usual (sign-in), which refuse the workspace after it
    const status = await (await getServerCaller()).workspaceDeletion.status().catch(() => null);
    if (status) {
      return (
        <WorkspaceClosed
          name={scope.tenant.name}
          closedAt={status.closedAt?.toISOString() ?? null}
          deleteAfter={status.deleteAfter?.toISOString() ?? null}
          isOwner={status.isOwner}
        />
      );
    }
  }
  return children;
}
