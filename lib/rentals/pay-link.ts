// The renter pay-page link of a rent invoice: `/pay/<token>` on the tenant's own host (proxy.ts
// rewrites it to app/(pay)/t/[tenant]/pay/[token]). Used in e-mails, PDFs and the staff "copy link" action.
import { getEnv, publicPort } from "@/env";
import { tenantOrigin } from "@/lib/tenancy";

/** Path of the pay page on the tenant host. */
export function payLinkPath(token: string): string {
  return `/pay/${encodeURIComponent(token)}`;
}

/** Absolute URL of the pay page for `token` on the workspace `tenantSlug`. */
export function payLinkFor(tenantSlug: string, token: string): string {
  const env = getEnv();
  return `${tenantOrigin(tenantSlug, env.APP_ROOT_DOMAIN, env.APP_PROTOCOL, publicPort(env))}${payLinkPath(token)}`;
}
