import "server-only";
import { lockRow } from "@/server/core/locks";
import { platformDb } from "@/server/db/platform-db";
import { BAKONG_TOKEN_SETTING, bakongConfig, type BakongConfig } from "@/server/payments/bakong-config";
import { BakongApiError, BakongClient, type Md5Check } from "@/server/payments/bakong-client";
import { confirmationFrom, settleKhqrPayment, transitionPayment } from "@/server/payments/settlement";
import { logger } from "@/server/core/observability/logger";
import { handleServerError } from "@/server/core/observability/report";
import { SYSTEM_META, systemClock, type Clock } from "@/server/core/request-meta";

/** After expiry, a payment stays "pending" this long before it is declared expired (late confirmations). */
export const EXPIRY_GRACE_MS = 10 * 60_000;
/** Attempts already declared expired are still checked this long after expiry: a late transfer still counts (expired → paid). */
export const LATE_CONFIRMATION_MS = 24 * 3600_000;
const BATCH = 50;
/** Attempts checked per run at most; pending ones first, so late-window ones never crowd them out. */
const RUN_LIMIT = 1000;
const TOKEN_KEY = BAKONG_TOKEN_SETTING;

export interface ReconcileResult {
  checked: number;
  paid: number;
  failed: number;
  expired: number;
  flagged: number;
  /** set when Bakong asked us to slow down (429/5xx) or was unreachable; the job retries later */
  backoff: string | null;
  tokenRenewed: boolean;
}

/**
 * The authoritative path (the callback is only the fast one): pending KHQR payments are checked
 * by md5 in batches of 50, with a per-md5 fallback when the list endpoint fails. Found → the same
 * settlement step as the callback; failed → failed; not found after expiry + grace → expired.
 */
export class ReconciliationService {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly config: BakongConfig = bakongConfig(),
    private readonly fetchImpl?: typeof fetch,
  ) {}

  async run(): Promise<ReconcileResult> {
    const result: ReconcileResult = { checked: 0, paid: 0, failed: 0, expired: 0, flagged: 0, backoff: null, tokenRenewed: false };
    if (!this.config.apiBaseUrl) return result;
    const now = this.clock();
    // a flagged payment waits for an admin; checking it again would only find the same mismatch
    const checkable = { method: "khqr", md5: { not: null }, flaggedAt: null } as const;
    const select = { id: true, md5: true, expiresAt: true, status: true } as const;
    // Pending attempts first (someone may be looking at the QR), then expired ones still in the
    // late-confirmation window, newest first: a day's abandoned QR codes (kept 24 h) must not fill
    // the run and starve the attempt being paid now.
    const pending = await platformDb.run(async (tx) => {
      const open = await tx.payment.findMany({
        where: { ...checkable, status: "pending" },
        select,
        orderBy: { createdAt: "asc" },
        take: RUN_LIMIT,
      });
      if (open.length >= RUN_LIMIT) return open;
      const late = await tx.payment.findMany({
        where: { ...checkable, status: "expired", expiresAt: { gte: new Date(now.getTime() - LATE_CONFIRMATION_MS) } },
        select,
        orderBy: { expiresAt: "desc" },
        take: RUN_LIMIT - open.length,
      });
      return [...open, ...late];
    });
    if (pending.length === 0) return result;
    const client = await this.client();
    for (let i = 0; i < pending.length; i += BATCH) {
      const batch = pending.slice(i, i + BATCH);
      let checks: Md5Check[];
      try {
        checks = await this.checkBatch(
          client,
          batch.map((p) => p.md5!),
          result,
        );
      } catch (e) {
        if (
          e instanceof BakongApiError &&
          (e.kind === "rate_limited" || e.kind === "server" || e.kind === "network" || e.kind === "geo_blocked")
        ) {
          result.backoff = `${e.kind}${e.retryAfterMs ? ` (retry after ${e.retryAfterMs} ms)` : ""}`;
          logger.warn({ kind: e.kind, httpStatus: e.httpStatus }, "bakong reconciliation backing off");
          break;
        }
        throw e;
      }
      const byMd5 = new Map(checks.map((c) => [c.md5.toLowerCase(), c]));
      for (const p of batch) {
        result.checked += 1;
        const check = byMd5.get(p.md5!.toLowerCase());
        await this.apply(p, check, now, result);
      }
    }
    return result;
  }

  private async apply(
    p: { id: string; md5: string | null; expiresAt: Date | null; status: string },
    check: Md5Check | undefined,
    now: Date,
    result: ReconcileResult,
  ) {
    // Not found (or failed after it expired) and not due to expire: nothing can change, so no
    // transaction and no row lock (most attempts of a run are in this case).
    const due = p.status === "pending" && p.expiresAt !== null && p.expiresAt.getTime() + EXPIRY_GRACE_MS <= now.getTime();
    if (check?.status !== "found" && !(check?.status === "failed" && p.status === "pending") && !due) return;
    try {
      await platformDb.run(async (tx) => {
        if (check?.status === "found") {
          const settled = await settleKhqrPayment(tx, p.id, confirmationFrom(check.transaction), {
            now,
            meta: SYSTEM_META,
            source: "reconciliation",
          });
          if (settled.outcome === "paid") result.paid += 1;
          if (settled.outcome === "mismatch") result.flagged += 1;
          return;
        }
        await lockRow(tx, "Payment", p.id);
        const payment = await tx.payment.findUniqueOrThrow({ where: { id: p.id } });
        if (payment.status !== "pending") return;
        if (check?.status === "failed") {
          await transitionPayment(tx, payment, "failed", "bakong", {
            failedAt: now,
            failureReason: `bakong errorCode ${check.errorCode ?? "?"}`,
          });
          result.failed += 1;
        } else if (payment.expiresAt && payment.expiresAt.getTime() + EXPIRY_GRACE_MS <= now.getTime()) {
          await transitionPayment(tx, payment, "expired", "system");
          result.expired += 1;
        }
      });
    } catch (e) {
      logger.error({ err: e, paymentId: p.id }, "reconciliation failed for a payment");
    }
  }

  private async checkBatch(client: BakongClient, md5s: string[], result: ReconcileResult): Promise<Md5Check[]> {
    try {
      return await this.withToken(client, () => client.checkByMd5List(md5s), result);
    } catch (e) {
      if (e instanceof BakongApiError && (e.kind === "rate_limited" || e.kind === "unauthorized" || e.kind === "geo_blocked")) throw e;
      // the list endpoint is reported blocked at times: fall back to one call per md5
      logger.warn({ err: e instanceof Error ? e.message : String(e) }, "md5 list check failed; falling back to per-md5");
      const out: Md5Check[] = [];
      for (const md5 of md5s) out.push(await this.withToken(client, () => client.checkByMd5(md5), result));
      return out;
    }
  }

  /** 401 / errorCode 6: renew the token once (if an e-mail is configured), alert, and retry. */
  private async withToken<T>(client: BakongClient, call: () => Promise<T>, result: ReconcileResult): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof BakongApiError) || e.kind !== "unauthorized" || result.tokenRenewed) throw e;
      handleServerError(new Error("Bakong API token rejected (401 / errorCode 6); renewing it"), { path: "reconciliation" });
      if (!this.config.apiEmail) throw e;
      const token = await client.renewToken(this.config.apiEmail);
      client.setToken(token);
      await platformDb.run((tx) =>
        tx.systemSetting.upsert({ where: { key: TOKEN_KEY }, create: { key: TOKEN_KEY, value: token }, update: { value: token } }),
      );
      result.tokenRenewed = true;
      return call();
    }
  }

  private async client(): Promise<BakongClient> {
    const stored = await platformDb.run((tx) => tx.systemSetting.findUnique({ where: { key: TOKEN_KEY } }));
    return new BakongClient({ baseUrl: this.config.apiBaseUrl!, token: stored?.value ?? this.config.apiToken, fetchImpl: this.fetchImpl });
  }
}
