import "server-only";
import { createHash } from "node:crypto";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { logger } from "@/server/core/observability/logger";
import { logoForPdf } from "./images";
import { readStoredFile } from "./storage";

/** The workspace's stored logo bytes as uploaded (PNG since uploads are re-encoded), or null when it has none. */
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

// The checked logos of recent renders, by the stored bytes' hash: an invoice run renders many
// PDFs with the same logo, and a bad one is checked (and logged) once.
const checked = new Map<string, Buffer | null>();
const CHECKED_MAX = 16;

/**
 * The workspace's logo as a bounded PNG for PDFs, or null when it has none or it cannot be used
 * (a logo stored before uploads were checked may be a decompression bomb or damaged: such a logo
 * is left out with a warning, the document renders without it). Never throws.
 */
export async function tenantLogoForPdf(tenantId: string): Promise<Buffer | null> {
  try {
    const bytes = await readTenantLogo(tenantId);
    if (!bytes || bytes.length === 0) return null;
    const key = createHash("sha256").update(bytes).digest("hex");
    if (checked.has(key)) return checked.get(key)!;
    const result = await logoForPdf(bytes);
    const png = "png" in result ? result.png : null;
    if ("problem" in result) logger.warn({ tenantId, problem: result.problem }, "pdf: the workspace logo cannot be used; left out");
    if (checked.size >= CHECKED_MAX) checked.delete(checked.keys().next().value!);
    checked.set(key, png);
    return png;
  } catch (err) {
    logger.warn({ err, tenantId }, "pdf: the workspace logo could not be read; left out");
    return null;
  }
}
