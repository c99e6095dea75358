import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getScope } from "@/server/core/page-context";
import { metaFromHeaders } from "@/server/core/http";
import { RenterAuthService, renterCookieName, type RenterChoice } from "./renter-auth";

// The signed-in renter of the request's workspace host (docs/RENTER_PORTAL.md). Renter sessions
// are separate from staff sessions: only the renter cookie is read here, never next-auth's, and
// the workspace is the host's (a cookie of workspace A finds no session under B's row-level security).

export type RenterScope = {
  tenantId: string;
  renterId: string;
  sessionId: string;
  locale: "en" | "km";
  /** the sign-in proved other renters too (a shared phone or e-mail): the portal offers to switch */
  canSwitch?: boolean;
};

/** Same as requireRenter, but null instead of redirecting (for route handlers answering 401). */
export const currentRenter = cache(async (): Promise<RenterScope | null> => {
  const scope = await getScope();
  if (scope?.kind !== "tenant") return null;
  const token = (await cookies()).get(renterCookieName())?.value;
  if (!token) return null;
  const service = new RenterAuthService({ tenantId: scope.tenant.id, hostname: scope.hostname }, metaFromHeaders(await headers()));
  const session = await service.readSession(token);
  if (!session) return null;
  return {
    tenantId: scope.tenant.id,
    renterId: session.renterId,
    sessionId: session.sessionId,
    locale: session.locale,
    canSwitch: session.canSwitch,
  };
});

/** The renters the signed-in renter's sign-in proved (names only; empty when there is no choice). */
export async function currentRenterChoices(): Promise<RenterChoice[]> {
  const scope = await getScope();
  if (scope?.kind !== "tenant") return [];
  const token = (await cookies()).get(renterCookieName())?.value;
  const service = new RenterAuthService({ tenantId: scope.tenant.id, hostname: scope.hostname }, metaFromHeaders(await headers()));
  return service.sessionChoices(token);
}

/** For server components/route handlers under /renter: the signed-in renter of THIS host's workspace, or redirect to /renter/login. */
export async function requireRenter(): Promise<RenterScope> {
  const renter = await currentRenter();
  if (!renter) redirect("/renter/login");
  return renter;
}
