import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { DbTx } from "@/server/db/tenant-db";
import type { File as StoredFile } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { hasPermission } from "@/lib/permissions";
import { FILE_PURPOSE_RULES, MAX_UPLOAD_BYTES, type FilePurpose } from "@/lib/files/purposes";
import { IMAGE_LIMITS, imageSizeProblem } from "@/lib/files/image-limits";
import { pngBitDepth, sniffFile } from "@/lib/files/sniff";
import { DamagedImageError, reencodeImage } from "@/server/files/images";
import { deleteStoredFile, openStoredFile, storageKeyFor, writeStoredFile, type StoredStream } from "@/server/files/storage";
import { tenantAudit } from "@/server/audit/audit-logger";
import { PlanGate } from "../subscriptions/plan-gate";
import type { TenantContext } from "../core/tenant-context";

export interface UploadedFile {
  id: string;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
}

const MB = 1024 * 1024;

/** A display name only (never a path): no directories, no control characters, bounded length. */
export function cleanOriginalName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    .trim()
    .slice(0, 200);
  return cleaned || "file";
}

/**
 * Uploads and private reads. The type is sniffed from the bytes, the purpose decides what is
 * accepted and who may upload, the plan's storage limit is checked in the same transaction
 * that records the file (serialised per tenant), and the bytes live outside public/ (on disk or in
 * the S3 bucket, server/files/storage.ts: the same checks whichever the driver).
 * Images are checked against the purpose's size limits from their header alone (a decompression
 * bomb is refused before anything decodes it), then decoded once and stored re-encoded: bounded,
 * upright, without EXIF/GPS (server/files/images.ts). What is stored is what counts against storage.
 */
export class FileService {
  constructor(private readonly ctx: TenantContext) {}

  async upload(input: { purpose: FilePurpose; originalName: string; bytes: Uint8Array }): Promise<UploadedFile> {
    const rule = FILE_PURPOSE_RULES[input.purpose];
    if (!hasPermission(this.ctx.permissions, rule.permission)) {
      throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: rule.permission });
    }
    if (this.ctx.plan.readOnly) throw new AppError("FORBIDDEN", "errors.workspaceReadOnly");
    if (input.bytes.byteLength === 0) throw new AppError("VALIDATION", "files.errors.empty");
    if (input.bytes.byteLength > MAX_UPLOAD_BYTES)
      throw new AppError("VALIDATION", "files.errors.tooLarge", { maxMb: MAX_UPLOAD_BYTES / MB });
    const sniffed = sniffFile(input.bytes);
    const typeAllowed =
      sniffed &&
      rule.kinds.includes(sniffed.kind) &&
      (sniffed.kind !== "image" || !rule.imageTypes || rule.imageTypes.includes(sniffed.mimeType));
    if (!sniffed || !typeAllowed) {
      throw new AppError(
        "VALIDATION",
        rule.kinds.includes("pdf")
          ? "files.errors.imageOrPdfOnly"
          : rule.imageTypes
            ? "files.errors.pngOrJpegOnly"
            : "files.errors.imageOnly",
      );
    }

    let stored: { bytes: Uint8Array; mimeType: string } = { bytes: input.bytes, mimeType: sniffed.mimeType };
    if (sniffed.kind === "image") {
      const header = { ...sniffed, bitDepth: sniffed.mimeType === "image/png" ? pngBitDepth(input.bytes) : 8 };
      const tooLarge = imageSizeProblem(header, IMAGE_LIMITS[input.purpose]);
      if (tooLarge) throw new AppError("VALIDATION", "files.errors.imageTooLarge", tooLarge);
      try {
        stored = await reencodeImage(input.bytes, input.purpose);
      } catch (e) {
        if (e instanceof DamagedImageError) throw new AppError("VALIDATION", "files.errors.imageDamaged");
        throw e;
      }
    }
    const sizeBytes = stored.bytes.byteLength;

    const id = randomUUID();
    const storageKey = storageKeyFor(this.ctx.tenantId, id);
    const originalName = cleanOriginalName(input.originalName);
    const checksumSha256 = createHash("sha256").update(stored.bytes).digest("hex");
    await writeStoredFile(storageKey, stored.bytes);
    try {
      return await this.ctx.db.run(async (tx) => {
        // one upload at a time per tenant, so two parallel uploads cannot both squeeze under the limit
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`files:${this.ctx.tenantId}`}, 0))`;
        await new PlanGate(this.ctx).assertStorageFor(tx, sizeBytes);
        const file = await tx.file.create({
          data: {
            id,
            tenantId: this.ctx.tenantId,
            visibility: rule.visibility,
            purpose: input.purpose,
            storageKey,
            originalName,
            mimeType: stored.mimeType,
            sizeBytes,
            checksumSha256,
            uploadedById: this.ctx.userId,
          },
        });
        await tenantAudit(this.ctx).log(tx, {
          action: "file.uploaded",
          targetType: "File",
          targetId: file.id,
          metadata: { after: { purpose: input.purpose, mimeType: file.mimeType, sizeBytes, originalName } },
        });
        return { id: file.id, originalName: file.originalName, mimeType: file.mimeType, sizeBytes: file.sizeBytes };
      });
    } catch (e) {
      await deleteStoredFile(storageKey).catch(() => undefined);
      throw e;
    }
  }

  /**
   * The file a service is about to attach (a property photo, a renter's ID scan, a contract scan):
   * it must exist in this tenant and have been uploaded for `purpose`. Locks the file row.
   */
  async assertAttachable(tx: DbTx, fileId: string, purpose: FilePurpose): Promise<StoredFile> {
    // held until the transaction ends, so the unused-file sweep cannot remove it meanwhile
    // (server/files/unused-file-sweep.jobs.ts); no row when the sweep removed it first
    await tx.$queryRaw`SELECT id FROM "File" WHERE id = ${fileId}::uuid FOR KEY SHARE`;
    const file = await tx.file.findFirst({ where: { id: fileId } });
    if (!file) throw new AppError("NOT_FOUND", "files.errors.notFound");
    if (file.purpose !== purpose) throw new AppError("VALIDATION", "files.errors.wrongPurpose");
    return file;
  }

  /**
   * A file of this tenant for the private route (the route checked files.private; checked again
   * here), opened only after those checks: its bytes stream from the store (disk or bucket) through
   * the route, so no address that skips the checks ever leaves the server.
   */
  async openPrivate(fileId: string): Promise<{ file: StoredFile } & StoredStream> {
    if (!hasPermission(this.ctx.permissions, "files.private")) {
      throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: "files.private" });
    }
    const file = await this.ctx.db.run((tx) => tx.file.findFirst({ where: { id: fileId } }));
    if (!file) throw new AppError("NOT_FOUND", "files.errors.notFound");
    const stored = await openStoredFile(file.storageKey);
    if (!stored) throw new AppError("NOT_FOUND", "files.errors.notFound");
    return { file, ...stored };
  }

  /** The workspace logo (a tenant_logo upload), or none. */
  async setTenantLogo(fileId: string | null): Promise<{ logoFileId: string | null }> {
    if (!hasPermission(this.ctx.permissions, "workspace.settings")) {
      throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: "workspace.settings" });
    }
    return this.ctx.db.run(async (tx) => {
      if (fileId) await this.assertAttachable(tx, fileId, "tenant_logo");
      const before = await tx.tenant.findUniqueOrThrow({ where: { id: this.ctx.tenantId }, select: { logoFileId: true } });
      await tx.tenant.update({ where: { id: this.ctx.tenantId }, data: { logoFileId: fileId } });
      await tenantAudit(this.ctx).log(tx, {
        action: "tenant.logo_changed",
        targetType: "Tenant",
        targetId: this.ctx.tenantId,
        metadata: { before: { logoFileId: before.logoFileId }, after: { logoFileId: fileId } },
      });
      return { logoFileId: fileId };
    });
  }

  async tenantLogo(): Promise<{ logoFileId: string | null }> {
    return this.ctx.db.run(async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: this.ctx.tenantId }, select: { logoFileId: true } });
      return { logoFileId: tenant.logoFileId };
    });
  }
}
