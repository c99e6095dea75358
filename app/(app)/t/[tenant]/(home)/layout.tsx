import type { ReactNode } from "react";
import { WorkspaceShell } from "../_components/workspace-shell";

// The workspace home ("/"): the shell with only the messages the root layout gives (issue 13: the
// page most requests render does not carry every screen's messages; lib/i18n/catalogs.ts).
export default function HomeLayout({ children }: { children: ReactNode }) {
  return <WorkspaceShell>{children}</WorkspaceShell>;
}
