import type { ReactNode } from "react";
import RestOfMessages from "@/server/core/rest-of-messages";
import { WorkspaceShell } from "../_components/workspace-shell";

// Every workspace page but the home ((home)/page.tsx): the shell, and the messages the root layout
// leaves out on a workspace's host (lib/i18n/catalogs.ts SHELL_MESSAGES). This layout stays mounted
// while the member moves between these pages, so those messages are sent once.
export default function WorkspaceLayout({ children }: { children: ReactNode }) {
  return (
    <WorkspaceShell>
      <RestOfMessages>{children}</RestOfMessages>
    </WorkspaceShell>
  );
}
