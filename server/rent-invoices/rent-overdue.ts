import "server-only";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { lockRow } from "@/server/core/locks";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_META } from "@/server/core/request-meta";
import { deliverSoon } from "@/server/notifications/queue";
import { logger } from "@/server/core/observability/logger";
import { createTranslator, isLocale } from "@/lib/i18n";
import { canTransitionRentInvoice, OPEN_RENT_INVOICE_STATUSES } from "@/lib/rentals/invoice-state";
import { addDaysToDay, dateToDay, dayIn, dayToDate, daysBetween } from "@/lib/dates";
import { lateFeeAmount, offsetLabel } from "@/lib/rentals/rent-periods";
import { queueRentMessage } from "./rent-messages";
import { isReadOnlyWorkspace } from "./invoice-run";
import { asEnumValue, LATE_FEE_TYPE_VALUES, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";

// The daily rent job: open invoices past their due date + the contract's grace days become overdue
// (with the contract's late fee, once per invoice: RentCharge.lateFeeForId is unique, and the
// renter's overdue notice, once per invoice by its dedupe key); reminders go out on the days of
// Tenant.rentReminderDays relative to the due date (once per offset by their dedupe key). Every
// step is conditional, so running it twice, concurrently or after an outage changes nothing more.

export interface OverdueResult {
  checked: number;
  markedOverdue: number;
  lateFees: number;
  overdueNotices: number;
  reminders: number;
  errors: number;
}

const empty = (): OverdueResult => ({ checked: 0, markedOverdue: 0, lateFees: 0, overdueNotices: 0, reminders: 0, errors: 0 });

/** A reminder whose day was missed (the job did not run) is still sent the day after, never later. */
const REMINDER_CATCH_UP_DAYS = 1;

export async function runOverdueForTenant(tenantId: string, opts: { date: string; now?: Date }): Promise<OverdueResult> {
  const now = opts.now ?? new Date();
  const today = opts.date;
  const result = empty();
  const tenant = await getDb().tenant.findUnique({
    where: { id: tenantId },
    select: { id: true, slug: true, name: true, locale: true, rentReminderDays: true },
  });
  if (!tenant) return result;
  const db = new TenantDb(tenantId);
  const t = createTranslator(isLocale(tenant.locale) ? tenant.locale : "km");
  const messageIds: string[] = [];
  const noticed = new Set<string>();

  // 1. overdue + late fee + overdue notice
  const pastDue = await db.run((tx) =>
    tx.rentInvoice.findMany({
      where: { status: { in: ["issued", "partially_paid"] }, dueDate: { lt: dayToDate(today) } },
      select: { id: true, contractId: true },
      orderBy: { dueDate: "asc" },
    }),
  );
  for (const { id, contractId } of pastDue) {
    result.checked += 1;
    try {
      await db.run(async (tx) => {
        await lockRow(tx, "Contract", contractId);
        await lockRow(tx, "RentInvoice", id);
        const invoice = await tx.rentInvoice.findUniqueOrThrow({
          where: { id },
          include: { contract: { include: { renter: true } } },
        });
        const c = invoice.contract;
        const overdueFrom = addDaysToDay(dateToDay(invoice.dueDate), c.lateFeeGraceDays);
        if (!(overdueFrom < today) || !canTransitionRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status), "overdue")) return;
        const { count } = await tx.rentInvoice.updateMany({
          where: { id, status: invoice.status },
          data: { status: "overdue", overdueAt: now },
        });
        if (count !== 1) return;
        result.markedOverdue += 1;
        const audit = new AuditLogger(SYSTEM_META);
        await audit.log(tx, tenantId, {
          action: "rent.invoice.overdue",
          actorEmail: "system",
          targetType: "rent_invoice",
          targetId: id,
          metadata: { before: { status: invoice.status }, after: { status: "overdue" }, dueDate: dateToDay(invoice.dueDate) },
        });

        const fee = lateFeeAmount({ type: asEnumValue(LATE_FEE_TYPE_VALUES, c.lateFeeType), value: c.lateFeeValue }, invoice.total);
        if (fee > 0) {
          const created = await tx.rentCharge.createManyAndReturn({
            data: [
              {
                tenantId,
                contractId: c.id,
                kind: "late_fee",
                description: t("invoices.line.lateFee", { number: invoice.number }),
                amount: fee,
                currency: invoice.currency,
                lateFeeForId: invoice.id,
              },
            ],
            skipDuplicates: true,
            select: { id: true },
          });
          if (created[0]) {
            result.lateFees += 1;
            await audit.log(tx, tenantId, {
              action: "rent.late_fee.created",
              actorEmail: "system",
              targetType: "rent_invoice",
              targetId: id,
              metadata: {
                after: { chargeId: created[0].id, amount: fee, currency: invoice.currency, rule: c.lateFeeType, value: c.lateFeeValue },
              },
            });
          }
        }
        const queued = await queueRentMessage(tx, tenant, c.renter, invoice, { key: "rent.overdue" });
        noticed.add(id);
        if (queued.length > 0) {
          result.overdueNotices += 1;
          messageIds.push(...queued);
        }
      });
    } catch (e) {
      result.errors += 1;
      logger.error({ err: e, tenantId, invoiceId: id }, "overdue job failed for an invoice");
    }
  }

  // 2. reminders on the tenant's offsets (D-3, D+1, …) around each open invoice's due date
  const offsets = [...new Set(tenant.rentReminderDays)].filter((n) => Number.isInteger(n));
  if (offsets.length > 0) {
    const minOffset = Math.min(...offsets);
    const maxOffset = Math.max(...offsets);
    const open = await db.run((tx) =>
      tx.rentInvoice.findMany({
        where: {
          status: { in: [...OPEN_RENT_INVOICE_STATUSES] },
          dueDate: {
            gte: dayToDate(addDaysToDay(today, -maxOffset - REMINDER_CATCH_UP_DAYS)),
            lte: dayToDate(addDaysToDay(today, -minOffset)),
          },
        },
        include: { contract: { include: { renter: true } } },
        orderBy: { dueDate: "asc" },
      }),
    );
    for (const invoice of open) {
      const sinceDue = daysBetween(dateToDay(invoice.dueDate), today);
      // the latest offset reached in the catch-up window (one reminder per run at most)
      const due = offsets.filter((n) => n <= sinceDue && sinceDue - n <= REMINDER_CATCH_UP_DAYS).sort((a, b) => b - a)[0];
      if (due === undefined) continue;
      // the overdue notice that just went out says the same thing
      if (due > 0 && noticed.has(invoice.id)) continue;
      try {
        const queued = await db.run((tx) =>
          queueRentMessage(tx, tenant, invoice.contract.renter, invoice, { key: "rent.reminder", offsetLabel: offsetLabel(due) }),
        );
        if (queued.length > 0) {
          result.reminders += 1;
          messageIds.push(...queued);
        }
      } catch (e) {
        result.errors += 1;
        logger.error({ err: e, tenantId, invoiceId: invoice.id }, "rent reminder failed");
      }
    }
  }

  deliverSoon(messageIds);
  return result;
}

/** The daily cron over every active tenant, each at its own local date. */
export async function runOverdueCron(now = new Date()): Promise<OverdueResult & { tenants: number }> {
  const tenants = await getDb().tenant.findMany({
    where: { status: "active" },
    select: { id: true, timezone: true },
    orderBy: { id: "asc" },
  });
  const total = { ...empty(), tenants: tenants.length };
  for (const tenant of tenants) {
    try {
      // a suspended or canceled workspace is read-only: nothing runs on its behalf until it pays
      if (await isReadOnlyWorkspace(tenant.id)) continue;
      const r = await runOverdueForTenant(tenant.id, { date: dayIn(now, tenant.timezone), now });
      for (const k of Object.keys(r) as Array<keyof OverdueResult>) total[k] += r[k];
    } catch (e) {
      total.errors += 1;
      logger.error({ err: e, tenantId: tenant.id }, "overdue job failed for a tenant");
    }
  }
  return total;
}
