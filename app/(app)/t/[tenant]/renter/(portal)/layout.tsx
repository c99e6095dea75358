import type { ReactNode } from "react";
import { requireRenter } from "@/server/portal/renter-session";

// Every page of the renter portal except /renter/login: a signed-in renter of this host's workspace.
export const dynamic = "force-dynamic";

export default async function RenterPortalGuard({ children }: { children: ReactNode }) {
  await requireRenter();
  return children;
}
