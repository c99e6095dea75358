import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { isLocale, type Locale } from "@/lib/i18n";
import type { PermissionCode } from "@/lib/permissions";
import { logger } from "@/server/core/observability/logger";

export interface StaffRecipient {
  userId: string;
  email: string;
  locale: Locale;
}

/**
 * The active members of a workspace whose role grants `permission`, each with the language they
 * read in (their own, else the workspace's). One order for every call, so concurrent runs insert
 * the same dedupe keys in the same order (no deadlock).
 */
export async function staffWithPermission(tx: DbTx, tenantId: string, permission: PermissionCode): Promise<StaffRecipient[]> {
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { locale: true } });
  const members = await tx.membership.findMany({
    where: { tenantId, status: "active", role: { permissions: { some: { permissionCode: permission } } } },
    select: { user: { select: { id: true, email: true, locale: true } } },
    orderBy: { userId: "asc" },
  });
  const fallback: Locale = isLocale(tenant.locale) ? tenant.locale : "en";
  if (members.length === 0) logger.warn({ tenantId, permission }, "no active member holds the permission: message not queued");
  return members.map((m) => ({ userId: m.user.id, email: m.user.email, locale: isLocale(m.user.locale) ? m.user.locale : fallback }));
}
