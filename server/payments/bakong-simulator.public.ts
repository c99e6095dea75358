import "server-only";
import { randomUUID } from "node:crypto";
import { platformDb } from "@/server/db/platform-db";
import { bakongConfig } from "@/server/payments/bakong-config";
import { AppError } from "@/server/core/errors";
import { toMajor } from "@/lib/money";
import { signBakongCallback, BAKONG_HEADERS } from "@/server/payments/bakong-signature";
import { BakongWebhookService } from "./bakong-webhook.public";

/** Development/demo stand-in for a Bakong relay, against the local fake Bakong API only. */
export class BakongSimulator {
  async pay(tenantId: string, paymentId: string): Promise<{ ok: boolean; status: number }> {
    const cfg = bakongConfig();
    if (!cfg.simulator || !cfg.apiBaseUrl) throw new AppError("FORBIDDEN", "billing.errors.simulatorOff");
    const payment = await platformDb.run((tx) => tx.payment.findFirst({ where: { id: paymentId, tenantId, method: "khqr" } }));
    if (!payment?.md5) throw new AppError("NOT_FOUND", "errors.notFound");
    // a transfer can still arrive for an expired QR (it counts); a settled or failed one is done
    if (payment.status !== "pending" && payment.status !== "expired") throw new AppError("INVALID_STATE", "billing.errors.invoiceNotOpen");
    const res = await fetch(`${cfg.apiBaseUrl.replace(/\/$/, "")}/__fake/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        md5: payment.md5,
        // a payment in the other currency moves its received amount (docs/CURRENCY.md)
        amount: toMajor(payment.receivedAmount ?? payment.amount, payment.receivedCurrency ?? payment.currency),
        currency: payment.receivedCurrency ?? payment.currency,
        toAccountId: payment.receivingAccount,
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new AppError("INVALID_STATE", "billing.errors.simulatorOff");
    const transaction: unknown = await res.json();
    const raw = JSON.stringify({ eventId: `sim-${randomUUID()}`, md5: payment.md5, transaction: unwrap(transaction) });
    const ts = Math.floor(Date.now() / 1000);
    const headers = new Headers({
      "content-type": "application/json",
      [BAKONG_HEADERS.timestamp]: String(ts),
      [BAKONG_HEADERS.signature]: signBakongCallback(cfg.callbackSecret, raw, ts),
      "user-agent": "phteah-bakong-simulator",
    });
    const result = await new BakongWebhookService().receive(raw, headers);
    return { ok: result.status === 200, status: result.status };
  }
}

function unwrap(body: unknown): unknown {
  if (typeof body === "object" && body !== null && "data" in body) return (body as { data: unknown }).data;
  if (typeof body === "object" && body !== null && "transaction" in body) return (body as { transaction: unknown }).transaction;
  return body;
}
