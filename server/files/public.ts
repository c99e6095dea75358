import "server-only";
import { TenantDb } from "@/server/db/tenant-db";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A public file (property photo, logo) of `tenantId`, for anyone who has its URL (the route then
 * streams it from the store, or answers 304 to a cached copy). Private files and other tenants'
 * files are simply not found (the tenant comes from the host, never from the URL).
 */
export async function findPublicFile(
  tenantId: string,
  fileId: string,
): Promise<{ storageKey: string; mimeType: string; originalName: string; checksumSha256: string } | null> {
  if (!UUID.test(fileId)) return null;
  return new TenantDb(tenantId).run((tx) =>
    tx.file.findFirst({
      where: { id: fileId, visibility: "public" },
      select: { storageKey: true, mimeType: true, originalName: true, checksumSha256: true },
    }),
  );
}
