import "server-only";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { readStoredFile } from "./storage";

/** The workspace's logo bytes (PNG/JPEG/WebP, sniffed at upload) for PDFs and e-mails, or null when it has none. */
export async function readTenantLogo(tenantId: string): Promise<Buffer | null> {
  const tenant = await getDb().tenant.findUnique({ where: { id: tenantId }, select: { logoFileId: true } });
  if (!tenant?.logoFileId) return null;
  const logoFileId = tenant.logoFileId;
  const file = await new TenantDb(tenantId).run((tx) =>
    tx.file.findFirst({ where: { id: logoFileId, purpose: "tenant_logo" }, select: { storageKey: true } }),
  );
  if (!file) return null;
  return readStoredFile(file.storageKey);
}
