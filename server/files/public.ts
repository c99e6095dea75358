import "server-only";
import { TenantDb } from "@/server/db/tenant-db";
import { readStoredFile } from "./storage";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A public file (property photo, logo) of `tenantId`, for anyone who has its URL. Private files and
 * other tenants' files are simply not found (the tenant comes from the host, never from the URL).
 */
export async function readPublicFile(
  tenantId: string,
  fileId: string,
): Promise<{ mimeType: string; originalName: string; checksumSha256: string; bytes: Buffer } | null> {
  if (!UUID.test(fileId)) return null;
  const file = await new TenantDb(tenantId).run((tx) =>
    tx.file.findFirst({
      where: { id: fileId, visibility: "public" },
      select: { storageKey: true, mimeType: true, originalName: true, checksumSha256: true },
    }),
  );
  if (!file) return null;
  const bytes = await readStoredFile(file.storageKey);
  return bytes ? { mimeType: file.mimeType, originalName: file.originalName, checksumSha256: file.checksumSha256, bytes } : null;
}
