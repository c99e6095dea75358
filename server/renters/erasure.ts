import "server-only";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger, tenantAudit } from "@/server/audit/audit-logger";
import { deleteStoredFile } from "@/server/files/storage";
import { SYSTEM_META, systemClock, type Clock } from "@/server/core/request-meta";
import { createTranslator } from "@/lib/i18n";
import { normalizeCambodianPhone } from "@/lib/rentals/phone";
import type { TenantContext } from "../core/tenant-context";

const DAY = 24 * 3600_000;

/**
 * Renter erasure (docs/PRIVACY_RETENTION.md). Once every contract of a renter has ended and the
 * financial retention period (RENTER_FINANCIAL_RETENTION_DAYS, from the last contract's end) has
 * passed, the renter's personal data is erased: names (replaced by "Erased renter #<short>"),
 * phone, e-mail, Telegram, emergency contact, notes, the contact consent, the ID document and the
 * signed contract scans (rows and bytes), the address, subject and body of every message sent to
 * them, their suppressed addresses, and the renter snapshots in audit rows about them. Contracts,
 * invoices and payments stay, pointing at the anonymised renter. A renter who never had a
 * contract may be erased at once.
 */

export type ErasureRefusal = { reason: "erased" } | { reason: "openContract" } | { reason: "withinRetention"; until: Date };

/** What the rules say about erasing this renter now; null = allowed. */
export async function erasureRefusal(tx: DbTx, renterId: string, now: Date, retentionDays: number): Promise<ErasureRefusal | null> {
  const renter = await tx.renter.findFirst({ where: { id: renterId }, select: { erasedAt: true } });
  if (!renter) throw new AppError("NOT_FOUND", "renters.errors.notFound");
  if (renter.erasedAt) return { reason: "erased" };
  const contracts = await tx.contract.findMany({ where: { renterId }, select: { status: true, endDate: true, updatedAt: true } });
  if (contracts.some((c) => c.status === "draft" || c.status === "active")) return { reason: "openContract" };
  if (contracts.length === 0) return null;
  // an ended contract without an end date counts from when it was last changed (when it was ended)
  const lastEnd = Math.max(...contracts.map((c) => (c.endDate ?? c.updatedAt).getTime()));
  const until = new Date(lastEnd + retentionDays * DAY);
  return until > now ? { reason: "withinRetention", until } : null;
}

export function erasedRenterNames(renterId: string): { nameLatin: string; nameKm: string } {
  const short = renterId.replace(/-/g, "").slice(-8);
  return {
    nameLatin: createTranslator("en")("renterErasure.erasedName", { short }),
    nameKm: createTranslator("km")("renterErasure.erasedName", { short }),
  };
}

/**
 * Erases one renter in `tx` (the caller checked erasureRefusal under the same transaction).
 * Returns the storage keys of the files whose rows were deleted: the caller removes the bytes
 * once the transaction has committed.
 */
export async function eraseRenterRows(tx: DbTx, renterId: string, now: Date): Promise<{ tenantId: string; storageKeys: string[] }> {
  const r = await tx.renter.findFirstOrThrow({
    where: { id: renterId },
    select: {
      id: true,
      tenantId: true,
      phone: true,
      email: true,
      telegram: true,
      telegramChatId: true,
      emergencyPhone: true,
      idDocumentFileId: true,
    },
  });
  const contracts = await tx.contract.findMany({ where: { renterId }, select: { id: true, signedFileId: true } });
  const fileIds = [r.idDocumentFileId, ...contracts.map((c) => c.signedFileId)].filter((id): id is string => !!id);

  await tx.renter.update({
    where: { id: r.id },
    data: {
      ...erasedRenterNames(r.id),
      phone: "",
      email: null,
      telegram: null,
      // the linked Telegram chat (docs/TELEGRAM.md) and its unused links go too
      telegramChatId: null,
      telegramLinkedAt: null,
      telegramName: null,
      emergencyName: null,
      emergencyPhone: null,
      notes: "",
      idDocumentFileId: null,
      contactConsentAt: null,
      erasedAt: now,
      archivedAt: now,
    },
  });
  if (contracts.some((c) => c.signedFileId)) {
    await tx.contract.updateMany({ where: { renterId, signedFileId: { not: null } }, data: { signedFileId: null } });
  }
  const files = fileIds.length
    ? await tx.file.findMany({ where: { tenantId: r.tenantId, id: { in: fileIds } }, select: { id: true, storageKey: true } })
    : [];
  if (files.length) await tx.file.deleteMany({ where: { tenantId: r.tenantId, id: { in: files.map((f) => f.id) } } });

  // every address the workspace used to reach them: messages keep their state, not who or what
  await tx.telegramLinkToken.deleteMany({ where: { tenantId: r.tenantId, renterId: r.id } });
  // the renter portal: their sign-in codes and sessions (with the IPs and browsers they signed in from)
  await tx.renterLoginCode.deleteMany({ where: { tenantId: r.tenantId, renterId: r.id } });
  await tx.renterSession.deleteMany({ where: { tenantId: r.tenantId, renterId: r.id } });
  const addresses = [r.email, r.phone, r.telegram, r.telegramChatId, r.emergencyPhone].filter((a): a is string => !!a && a.length > 0);
  if (addresses.length) {
    const lower = addresses.map((a) => a.toLowerCase());
    await tx.$executeRaw`
      UPDATE "OutboundMessage" SET "to" = 'erased', subject = NULL, "bodyText" = NULL, variables = '{}'::jsonb, "lastError" = NULL, "updatedAt" = ${now}
      WHERE "tenantId" = ${r.tenantId}::uuid AND lower("to") IN (${Prisma.join(lower)})`;
    await tx.$executeRaw`
      DELETE FROM "SuppressedAddress" WHERE "tenantId" = ${r.tenantId}::uuid AND lower(address) IN (${Prisma.join(lower)})`;
  }
  // audit rows about this renter keep what happened and when, not the renter's details
  await tx.$executeRaw`
    UPDATE "AuditLog" SET metadata = '{"erased": true}'::jsonb
    WHERE "tenantId" = ${r.tenantId}::uuid AND "targetType" = 'Renter' AND "targetId" = ${r.id}`;
  return { tenantId: r.tenantId, storageKeys: files.map((f) => f.storageKey) };
}

async function removeBytes(keys: string[]): Promise<void> {
  for (const key of keys) await deleteStoredFile(key);
}

/** Erasure on request: owner or manager (renters.manage), the renter's phone typed to confirm, audited. */
export class RenterErasureService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly retentionDays: number,
    private readonly clock: Clock = systemClock,
  ) {}

  async erase(input: { renterId: string; phone: string }): Promise<{ id: string; name: string }> {
    const now = this.clock();
    const typed = normalizeCambodianPhone(input.phone);
    const { keys, name } = await this.ctx.db.run(async (tx) => {
      // the same lock as every renter write: no edit slips in between the check and the erasure
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`renters:${this.ctx.tenantId}`}, 0))`;
      const refusal = await erasureRefusal(tx, input.renterId, now, this.retentionDays);
      if (refusal?.reason === "erased") throw new AppError("INVALID_STATE", "renterErasure.errors.alreadyErased");
      if (refusal?.reason === "openContract") throw new AppError("INVALID_STATE", "renterErasure.errors.openContract");
      if (refusal?.reason === "withinRetention") {
        throw new AppError("INVALID_STATE", "renterErasure.errors.withinRetention", { date: refusal.until.toISOString().slice(0, 10) });
      }
      const current = await tx.renter.findFirstOrThrow({ where: { id: input.renterId }, select: { phone: true } });
      if (!typed.ok || typed.e164 !== current.phone) throw new AppError("VALIDATION", "renterErasure.errors.phoneMismatch");
      const erased = await eraseRenterRows(tx, input.renterId, now);
      await tenantAudit(this.ctx).log(tx, {
        action: "renter.erased",
        targetType: "Renter",
        targetId: input.renterId,
        metadata: { files: erased.storageKeys.length, trigger: "request" },
      });
      return { keys: erased.storageKeys, name: erasedRenterNames(input.renterId).nameLatin };
    });
    await removeBytes(keys);
    return { id: input.renterId, name };
  }
}

/** The retention job's side (erasure.jobs.ts): erase one due renter in a platform transaction, audited as the system. */
export async function eraseDueRenter(tx: DbTx, renterId: string, now: Date, retentionDays: number): Promise<string[] | null> {
  if (await erasureRefusal(tx, renterId, now, retentionDays)) return null;
  const erased = await eraseRenterRows(tx, renterId, now);
  await new AuditLogger(SYSTEM_META).log(tx, erased.tenantId, {
    action: "renter.erased",
    targetType: "Renter",
    targetId: renterId,
    metadata: { files: erased.storageKeys.length, trigger: "retention" },
  });
  return erased.storageKeys;
}

export { removeBytes as removeErasedFiles };
