import "server-only";
import { redirect } from "next/navigation";

// The signed-in renter of the request's workspace host (docs/RENTER_PORTAL.md). Renter sessions
// are separate from staff sessions: only the renter cookie is read here, never next-auth's.

export type RenterScope = { tenantId: string; renterId: string; sessionId: string; locale: "en" | "km" };

/** Same as requireRenter, but null instead of redirecting (for route handlers answering 401). */
export async function currentRenter(): Promise<RenterScope | null> {
  return null;
}

/** For server components/route handlers under /renter: the signed-in renter of THIS host's workspace, or redirect to /renter/login. */
export async function requireRenter(): Promise<RenterScope> {
  const renter = await currentRenter();
  if (!renter) redirect("/renter/login");
  return renter;
}
