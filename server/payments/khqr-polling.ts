import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { BAKONG_TOKEN_SETTING, bakongConfig } from "@/server/payments/bakong-config";
import { BakongClient } from "@/server/payments/bakong-client";
import { confirmationFrom, settleKhqrPayment } from "@/server/payments/settlement";
import { logger } from "@/server/core/observability/logger";
import type { RequestMeta } from "@/server/core/request-meta";

// Asking Bakong about a KHQR attempt while a page polls, shared by the subscription checkout
// (SubscriptionCheckout) and the renter pay page (RentPayPageService). NBC sends no callbacks: while the
// page polls, ask Bakong about the attempt's md5 directly (at most every CHECK_EVERY_MS per payment
// and process) and settle through the same step as the callback and the reconciliation job.
// Failures are ignored: the reconciliation job is the safety net.

/** How often a polling page may ask Bakong about one payment's md5. */
export const KHQR_CHECK_EVERY_MS = 10_000;
const lastChecked = new Map<string, number>();

/** A tenant-scoped transaction runner (TenantDb). */
export interface TxRunner {
  run<T>(fn: (tx: DbTx) => Promise<T>): Promise<T>;
}

/** The token renewed by reconciliation (SystemSetting) outlives the one in the environment. */
export async function bakongApiToken(db: TxRunner): Promise<string> {
  const stored = await db.run((tx) => tx.systemSetting.findUnique({ where: { key: BAKONG_TOKEN_SETTING } }));
  return stored?.value ?? bakongConfig().apiToken;
}

/**
 * Settles the pending (or just expired) KHQR payment `paymentId` when Bakong already knows its
 * md5. `where` narrows which payment qualifies (e.g. its invoice); `label` tells the log who asked.
 */
export async function confirmKhqrIfPaid(
  db: TxRunner,
  opts: { paymentId: string; where?: Prisma.PaymentWhereInput; now: Date; meta: RequestMeta; label?: string },
): Promise<void> {
  const cfg = bakongConfig();
  if (!cfg.apiBaseUrl) return;
  const { paymentId, now } = opts;
  const last = lastChecked.get(paymentId) ?? 0;
  if (now.getTime() - last < KHQR_CHECK_EVERY_MS) return;
  lastChecked.set(paymentId, now.getTime());
  if (lastChecked.size > 10_000) lastChecked.clear();
  const pending = await db.run((tx) =>
    tx.payment.findFirst({
      where: { ...opts.where, id: paymentId, method: "khqr", status: { in: ["pending", "expired"] } },
      select: { md5: true },
    }),
  );
  if (!pending?.md5) return;
  try {
    const token = await bakongApiToken(db);
    const check = await new BakongClient({ baseUrl: cfg.apiBaseUrl, token, timeoutMs: 3000 }).checkByMd5(pending.md5);
    if (check.status !== "found") return;
    await db.run((tx) =>
      settleKhqrPayment(tx, paymentId, confirmationFrom(check.transaction), { now, meta: opts.meta, source: "reconciliation" }),
    );
  } catch (e) {
    logger.warn({ err: e instanceof Error ? e.message : String(e), paymentId }, withLabel("on-demand Bakong check failed", opts.label));
  }
}

/** Bakong's "open in the banking app" link for a KHQR string, or null when Bakong is off or does not answer. */
export async function khqrDeepLink(db: TxRunner, qr: string, label?: string): Promise<string | null> {
  const cfg = bakongConfig();
  if (!cfg.apiBaseUrl) return null;
  try {
    return await new BakongClient({ baseUrl: cfg.apiBaseUrl, token: await bakongApiToken(db), timeoutMs: 2500 }).generateDeepLink(qr, {
      appName: "Phteah",
    });
  } catch (e) {
    logger.warn({ err: e instanceof Error ? e.message : String(e) }, withLabel("bakong deep link unavailable", label));
    return null;
  }
}

function withLabel(message: string, label: string | undefined): string {
  return label ? `${message} (${label})` : message;
}
