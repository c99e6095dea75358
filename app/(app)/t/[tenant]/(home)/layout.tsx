import type { ReactNode } from "react";
import { WorkspaceShell } from "../_components/workspace-shell";
import { requireTenantMember } from "@/server/core/page-context";
import { workspaceHome } from "@/server/dashboard/workspace-home";

// The workspace home ("/"): the shell with only the messages the root layout gives (issue 13: the
// page most requests render does not carry every screen's messages; lib/i18n/catalogs.ts).
export default async function HomeLayout({ children }: { children: ReactNode }) {
  // the page's figures start now, beside the shell's reads, not after them (the page awaits the
  // same promise; a failure is the page's to show)
  workspaceHome(await requireTenantMember()).catch(() => undefined);
  return <WorkspaceShell>{children}</WorkspaceShell>;
}
