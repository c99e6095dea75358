import "server-only";
import { headers } from "next/headers";
import { getScope, getT } from "@/server/core/page-context";
import { metaFromHeaders } from "@/server/core/http";
import { formErrorFromQuery } from "@/lib/form-errors";
import { InvitationAcceptService, type InvitationPreview } from "@/server/team/invitation-accept.public";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Titles and notices of the sign-in and password pages, for the apex or the current workspace,
 * and the error of a form posted before the page hydrated (`?error=<code>&field=<name>`).
 */
export async function authPageProps(searchParams: SearchParams = {}) {
  const t = await getT();
  const scope = await getScope();
  const workspace = scope?.kind === "tenant" ? scope.tenant.name : undefined;
  const notice = searchParams.reset
    ? t("auth.resetDone")
    : searchParams.signedOut
      ? t("auth.signedOut")
      : searchParams.handoff
        ? t("auth.handoffExpired")
        : null;
  return {
    workspace,
    login: {
      workspace,
      title: workspace ? t("auth.signInTo", { workspace }) : t("auth.adminSignInTitle"),
      subtitle: workspace ? undefined : t("auth.adminSignInHelp"),
      notice,
      initial: formErrorFromQuery(searchParams, ["email", "password"], t),
    },
    forgot: {
      workspace,
      title: t("auth.forgotTitle"),
      subtitle: t("auth.forgotHelp"),
      initial: formErrorFromQuery(searchParams, ["email"], t),
      sent: searchParams.sent === "1",
    },
    reset: {
      workspace,
      title: t("auth.resetTitle"),
      invalidText: t("auth.resetLinkInvalid"),
      initial: formErrorFromQuery(searchParams, ["password", "token"], t),
    },
  };
}

/** What the invitation page may show before anyone signs in (nothing for a bad token). */
export async function invitationPreview(token: string): Promise<InvitationPreview> {
  const scope = await getScope();
  if (scope?.kind !== "tenant" || token.length < 20) return { valid: false };
  return new InvitationAcceptService(metaFromHeaders(await headers())).preview(scope.tenant, token);
}
