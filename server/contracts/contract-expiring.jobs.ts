import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { deliverSoon, queueMessage } from "@/server/notifications/queue";
import { renterQueueInputs } from "@/server/notifications/telegram-recipients";
import { logger } from "@/server/core/observability/logger";
import { messageDate } from "@/server/contracts/contract-service";
import { addDaysToDay, dateToDay, dayToDate, todayIn } from "@/lib/dates";

/** Days before a contract's end date that its renter hears about it. */
export const CONTRACT_EXPIRING_LEAD_DAYS = 30;

export interface ContractExpiringResult {
  checked: number;
  queued: number;
  alreadySent: number;
  errors: number;
}

/**
 * The daily "contract-expiring" job: every active contract whose end date is at most 30 days
 * away in its workspace's time zone gets one "contract.expiring" message to its renter (when the
 * renter has an e-mail). The dedupe key names the contract and its end date, so a re-run, a
 * concurrent run or a run after an outage never sends twice, and a job that was down on the
 * exact day catches up on the next run.
 */
export class ContractExpiringService {
  constructor(private readonly clock: Clock = systemClock) {}

  async run(): Promise<ContractExpiringResult> {
    const now = this.clock();
    const result: ContractExpiringResult = { checked: 0, queued: 0, alreadySent: 0, errors: 0 };
    const utcToday = dateToDay(now);
    // a superset across time zones (UTC−12…+14); each candidate is then checked in its own zone
    const { candidates, tenants } = await platformDb.run(async (tx) => {
      const candidates = await tx.contract.findMany({
        where: {
          status: "active",
          endDate: { gte: dayToDate(addDaysToDay(utcToday, -1)), lte: dayToDate(addDaysToDay(utcToday, CONTRACT_EXPIRING_LEAD_DAYS + 1)) },
          renter: { OR: [{ email: { not: null } }, { telegramChatId: { not: null } }] },
        },
        select: {
          id: true,
          tenantId: true,
          endDate: true,
          unit: { select: { code: true } },
          renter: {
            select: {
              nameLatin: true,
              nameKm: true,
              email: true,
              locale: true,
              telegramChatId: true,
              telegramBotId: true,
              messageChannel: true,
            },
          },
        },
        orderBy: { endDate: "asc" },
      });
      const tenants = await tx.tenant.findMany({
        where: { id: { in: [...new Set(candidates.map((c) => c.tenantId))] }, status: "active" },
        select: { id: true, slug: true, name: true, timezone: true },
      });
      return { candidates, tenants: new Map(tenants.map((t) => [t.id, t])) };
    });
    const ids: string[] = [];
    for (const c of candidates) {
      const tenant = tenants.get(c.tenantId);
      if (!tenant) continue;
      const today = todayIn(tenant.timezone, now);
      const end = dateToDay(c.endDate!);
      if (end < today || end > addDaysToDay(today, CONTRACT_EXPIRING_LEAD_DAYS)) continue;
      result.checked += 1;
      try {
        const locale = c.renter.locale === "en" ? "en" : "km";
        // one message per channel the renter gets messages on (e-mail, Telegram or both)
        const inputs = renterQueueInputs(
          {
            tenantId: c.tenantId,
            key: "contract.expiring",
            locale,
            variables: {
              workspace: tenant.name,
              renter:
                (locale === "km" ? c.renter.nameKm || c.renter.nameLatin : c.renter.nameLatin || c.renter.nameKm) || (c.renter.email ?? ""),
              unit: c.unit.code,
              endDate: messageDate(c.endDate!, locale),
            },
            dedupeKey: `contract-expiring:${c.id}:${end}`,
          },
          c.renter,
        );
        const queued = await platformDb.run(async (tx) => {
          const out: Array<{ id: string; created: boolean }> = [];
          for (const input of inputs) out.push(await queueMessage(tx, input));
          return out;
        });
        const created = queued.filter((q) => q.created);
        if (created.length > 0) {
          result.queued += 1;
          ids.push(...created.map((q) => q.id));
        } else result.alreadySent += 1;
      } catch (err) {
        result.errors += 1;
        logger.error({ err, contractId: c.id, tenantId: c.tenantId }, "contract-expiring: queueing failed");
      }
    }
    if (ids.length > 0) deliverSoon(ids);
    return result;
  }
}
