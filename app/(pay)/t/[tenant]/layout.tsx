import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { WorkspaceSuspended } from "../../../_components/workspace-suspended";
import { getScope } from "@/server/core/page-context";

// The pay page's tenant gate: app/(app)/t/[tenant]/layout.tsx without the members' "closed
// workspace" panel (a renter is not a member; that panel's client code would load the app's
// providers). The tenant comes from the Host header (via getScope), never from the URL segment.
export default async function PayTenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const scope = await getScope();
  const { tenant: slug } = await params;
  if (scope?.kind !== "tenant" || scope.tenant.slug !== slug) notFound();
  if (scope.tenant.status === "suspended") return <WorkspaceSuspended workspace={scope.tenant.name} />;
  return children;
}
