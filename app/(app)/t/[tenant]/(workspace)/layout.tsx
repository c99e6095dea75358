import type { ReactNode } from "react";
import AppProviders from "@/server/core/app-providers";
import { WorkspaceShell } from "../_components/workspace-shell";

// Every workspace page but the home ((home)/page.tsx): the shell, and the translator and the tRPC
// client for the pages' client components (server/core/app-providers.tsx; the home has neither).
// This layout stays mounted while the member moves between these pages, so the messages are sent once.
export default function WorkspaceLayout({ children }: { children: ReactNode }) {
  return (
    <WorkspaceShell>
      <AppProviders>{children}</AppProviders>
    </WorkspaceShell>
  );
}
