import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { AppError, isUniqueViolation } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import { lockRow } from "@/server/core/locks";
import { deliverSoon, queueMessage } from "@/server/notifications/queue";
import { renterQueueInputs } from "@/server/notifications/telegram-recipients";
import { createTelegramLink } from "@/server/notifications/telegram-link";
import { depositReturned, nextContractStatus, type ContractStatus } from "@/lib/rentals/contract-state";
import type { attachScanSchema, closeContractSchema, createContractSchema, updateContractSchema } from "@/lib/schemas/contracts";
import { FileService } from "../files/file-service";
import type { TenantContext } from "../core/tenant-context";
import { dateToDay, dayToDate } from "@/lib/dates";
import { asEnumValue, CONTRACT_STATUS_VALUES } from "@/lib/enums";
import { createFormat } from "@/lib/i18n/format";

/** A calendar day for a message in the reader's language ("1 Dec 2026", "1 ធ្នូ 2026"; lib/i18n/format.ts). */
export function messageDate(day: Date, locale: string): string {
  return createFormat(locale).day(day);
}

type Terms = Omit<z.output<typeof createContractSchema>, "unitId" | "renterId">;

function termsData(input: Terms) {
  return {
    startDate: dayToDate(input.startDate),
    endDate: input.endDate ? dayToDate(input.endDate) : null,
    rentAmount: input.rentAmount,
    currency: input.currency,
    depositAmount: input.depositAmount,
    billingDay: input.billingDay,
    dueDays: input.dueDays,
    lateFeeType: input.lateFeeType,
    lateFeeValue: input.lateFeeType === "none" ? 0 : input.lateFeeValue,
    lateFeeGraceDays: input.lateFeeGraceDays,
    electricityRate: input.electricityRate,
    waterRate: input.waterRate,
    recurringCharges: input.recurringCharges as Prisma.InputJsonArray,
    notes: input.notes,
  };
}

const snapshotSelect = {
  id: true,
  status: true,
  unitId: true,
  renterId: true,
  startDate: true,
  endDate: true,
  rentAmount: true,
  currency: true,
  depositAmount: true,
  billingDay: true,
  dueDays: true,
  lateFeeType: true,
  lateFeeValue: true,
  lateFeeGraceDays: true,
  electricityRate: true,
  waterRate: true,
  recurringCharges: true,
  signedFileId: true,
  notes: true,
  depositOutcome: true,
  depositReturnedAmount: true,
  endReason: true,
} as const satisfies Prisma.ContractSelect;

/**
 * Lease contracts of one unit to one renter. draft → active → ended | terminated, through the
 * one transition table in lib/rentals/contract-state.ts. Activation makes the unit occupied and
 * relies on the database (unique `activeUnitId`) for "one active contract per unit", so two
 * concurrent activations cannot both win; ending or terminating records the deposit outcome and
 * frees the unit.
 */
export class ContractService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private audit() {
    return tenantAudit(this.ctx);
  }

  // ───────── drafts ─────────

  private async assertParties(tx: DbTx, unitId: string, renterId: string): Promise<void> {
    const [unit, renter] = await Promise.all([
      tx.unit.findFirst({ where: { id: unitId }, select: { archivedAt: true } }),
      tx.renter.findFirst({ where: { id: renterId }, select: { archivedAt: true } }),
    ]);
    if (!unit) throw new AppError("NOT_FOUND", "contracts.errors.unitNotFound");
    if (unit.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.unitArchived");
    if (!renter) throw new AppError("NOT_FOUND", "contracts.errors.renterNotFound");
    if (renter.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.renterArchived");
  }

  async create(input: z.output<typeof createContractSchema>): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      await this.assertParties(tx, input.unitId, input.renterId);
      const c = await tx.contract.create({
        data: { tenantId: this.ctx.tenantId, unitId: input.unitId, renterId: input.renterId, status: "draft", ...termsData(input) },
        select: snapshotSelect,
      });
      await this.audit().log(tx, { action: "contract.created", targetType: "Contract", targetId: c.id, metadata: { after: snapshot(c) } });
      return { id: c.id };
    });
  }

  async update(input: z.output<typeof updateContractSchema>): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", input.contractId);
      const before = await tx.contract.findFirst({ where: { id: input.contractId }, select: snapshotSelect });
      if (!before) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      if (before.status !== "draft") throw new AppError("INVALID_STATE", "contracts.errors.notDraft");
      await this.assertParties(tx, input.unitId, input.renterId);
      const after = await tx.contract.update({
        where: { id: before.id },
        data: { unitId: input.unitId, renterId: input.renterId, ...termsData(input) },
        select: snapshotSelect,
      });
      await this.audit().log(tx, {
        action: "contract.updated",
        targetType: "Contract",
        targetId: before.id,
        metadata: { before: snapshot(before), after: snapshot(after) },
      });
      return { id: after.id };
    });
  }

  /** Deletes a draft (never signed, never billed); anything else is kept for history. */
  async deleteDraft(contractId: string): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", contractId);
      const before = await tx.contract.findFirst({ where: { id: contractId }, select: snapshotSelect });
      if (!before) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      if (before.status !== "draft") throw new AppError("INVALID_STATE", "contracts.errors.notDraft");
      await tx.contract.delete({ where: { id: before.id } });
      await this.audit().log(tx, {
        action: "contract.deleted",
        targetType: "Contract",
        targetId: before.id,
        metadata: { before: snapshot(before) },
      });
      return { id: before.id };
    });
  }

  // ───────── lifecycle ─────────

  /**
   * draft → active: the unit becomes occupied and the renter gets "contract.activated" (once).
   * A second active contract for the unit is refused with CONFLICT — by the check below in the
   * normal case and by the unique index on `activeUnitId` when two activations race.
   */
  async activate(contractId: string): Promise<{ id: string; status: ContractStatus }> {
    const now = this.clock();
    const messageIds: string[] = [];
    try {
      const result = await this.ctx.db.run(async (tx) => {
        await lockRow(tx, "Contract", contractId);
        const c = await tx.contract.findFirst({
          where: { id: contractId },
          select: {
            ...snapshotSelect,
            unit: { select: { code: true, archivedAt: true, status: true } },
            renter: {
              select: {
                nameLatin: true,
                nameKm: true,
                email: true,
                locale: true,
                archivedAt: true,
                telegramChatId: true,
                telegramBotId: true,
                messageChannel: true,
              },
            },
          },
        });
        if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
        const to = nextContractStatus(asEnumValue(CONTRACT_STATUS_VALUES, c.status), "activate");
        if (!to) throw new AppError("INVALID_STATE", "contracts.errors.illegalTransition", { from: c.status, action: "activate" });
        if (c.unit.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.unitArchived");
        if (c.renter.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.renterArchived");
        const holder = await tx.contract.findFirst({ where: { activeUnitId: c.unitId }, select: { id: true } });
        if (holder) throw new AppError("CONFLICT", "contracts.errors.unitHasActive", { unit: c.unit.code });
        const { count } = await tx.contract.updateMany({
          where: { id: c.id, status: c.status },
          data: { status: to, activeUnitId: c.unitId, activatedAt: now },
        });
        if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
        await tx.unit.update({ where: { id: c.unitId }, data: { status: "occupied" } });
        await this.audit().log(tx, {
          action: "contract.activated",
          targetType: "Contract",
          targetId: c.id,
          metadata: { before: { status: c.status, unitStatus: c.unit.status }, after: { status: to, unitStatus: "occupied" } },
        });
        {
          const locale = c.renter.locale === "en" ? "en" : "km";
          // a renter not on Telegram yet gets a one-time link to it (nothing when Telegram is off)
          const telegram = c.renter.telegramChatId
            ? null
            : await createTelegramLink(tx, { tenantId: this.ctx.tenantId, renterId: c.renterId, createdById: this.ctx.userId, now });
          // one message per channel the renter gets messages on (e-mail, Telegram or both; none: nothing)
          const inputs = renterQueueInputs(
            {
              tenantId: this.ctx.tenantId,
              key: "contract.activated",
              locale,
              variables: {
                workspace: this.ctx.tenant.name,
                renter:
                  (locale === "km" ? c.renter.nameKm || c.renter.nameLatin : c.renter.nameLatin || c.renter.nameKm) ||
                  (c.renter.email ?? ""),
                unit: c.unit.code,
                startDate: messageDate(c.startDate, locale),
                // only when there is one: without it the button is left out
                ...(telegram ? { telegramLink: telegram.url } : {}),
              },
              dedupeKey: `contract-activated:${c.id}`,
            },
            c.renter,
          );
          for (const input of inputs) {
            const queued = await queueMessage(tx, input);
            if (queued.created) messageIds.push(queued.id);
          }
        }
        return { id: c.id, status: to };
      });
      if (messageIds.length > 0) deliverSoon(messageIds);
      return result;
    } catch (e) {
      // the unique index on activeUnitId: another activation of this unit committed first
      if (isUniqueViolation(e)) throw new AppError("CONFLICT", "contracts.errors.unitHasActiveRace");
      throw e;
    }
  }

  /**
   * active → ended (at the end of the term) or terminated (early): records the move-out day as the
   * end date, the deposit outcome and amount given back, and makes the unit vacant again.
   */
  async close(action: "end" | "terminate", input: z.output<typeof closeContractSchema>): Promise<{ id: string; status: ContractStatus }> {
    const now = this.clock();
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", input.contractId);
      const c = await tx.contract.findFirst({
        where: { id: input.contractId },
        select: { ...snapshotSelect, unit: { select: { status: true } } },
      });
      if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      const to = nextContractStatus(asEnumValue(CONTRACT_STATUS_VALUES, c.status), action);
      if (!to) throw new AppError("INVALID_STATE", "contracts.errors.illegalTransition", { from: c.status, action });
      if (input.date < dateToDay(c.startDate)) throw new AppError("VALIDATION", "contracts.errors.closeBeforeStart");
      const returned = depositReturned(input.depositOutcome, c.depositAmount, input.depositReturnedAmount);
      if (returned === null) {
        throw new AppError("VALIDATION", c.depositAmount === 0 ? "contracts.errors.noDepositToKeep" : "contracts.errors.partialAmount", {
          deposit: c.depositAmount,
        });
      }
      const reason = input.reason.trim() || null;
      const { count } = await tx.contract.updateMany({
        where: { id: c.id, status: c.status },
        data: {
          status: to,
          activeUnitId: null,
          endDate: dayToDate(input.date),
          endReason: reason,
          depositOutcome: input.depositOutcome,
          depositReturnedAmount: returned,
          ...(to === "ended" ? { endedAt: now } : { terminatedAt: now }),
        },
      });
      if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      // occupied belongs to the contract; a unit staff put into maintenance stays there
      if (c.unit.status === "occupied") await tx.unit.update({ where: { id: c.unitId }, data: { status: "vacant" } });
      await this.audit().log(tx, {
        action: to === "ended" ? "contract.ended" : "contract.terminated",
        targetType: "Contract",
        targetId: c.id,
        metadata: {
          before: { status: c.status, endDate: c.endDate ? dateToDay(c.endDate) : null, unitStatus: c.unit.status },
          after: {
            status: to,
            endDate: input.date,
            depositOutcome: input.depositOutcome,
            depositReturnedAmount: returned,
            depositAmount: c.depositAmount,
            reason,
            unitStatus: c.unit.status === "occupied" ? "vacant" : c.unit.status,
          },
        },
      });
      return { id: c.id, status: to };
    });
  }

  /** Attaches (or with null, detaches) the signed contract scan: a private contract_scan upload. */
  async attachScan(input: z.output<typeof attachScanSchema>): Promise<{ id: string; signedFileId: string | null }> {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", input.contractId);
      const c = await tx.contract.findFirst({ where: { id: input.contractId }, select: { id: true, signedFileId: true } });
      if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      if (input.fileId) {
        await new FileService(this.ctx).assertAttachable(tx, input.fileId, "contract_scan");
        const other = await tx.contract.findFirst({ where: { signedFileId: input.fileId, id: { not: c.id } }, select: { id: true } });
        if (other) throw new AppError("CONFLICT", "contracts.errors.scanInUse");
      }
      await tx.contract.update({ where: { id: c.id }, data: { signedFileId: input.fileId } });
      await this.audit().log(tx, {
        action: "contract.scan_attached",
        targetType: "Contract",
        targetId: c.id,
        metadata: { before: { signedFileId: c.signedFileId }, after: { signedFileId: input.fileId } },
      });
      return { id: c.id, signedFileId: input.fileId };
    });
  }
}

function snapshot(c: Prisma.ContractGetPayload<{ select: typeof snapshotSelect }>) {
  return {
    ...c,
    startDate: dateToDay(c.startDate),
    endDate: c.endDate ? dateToDay(c.endDate) : null,
  };
}
