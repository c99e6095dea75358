import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import { Prisma } from "@/server/db/generated/client";
import { afterCursor, decodeOptionalCursor, keysetOrder, pageOf, type KeysetSpec } from "@/server/core/keyset";
import { AppError } from "@/server/core/errors";
import type { webhookListSchema } from "@/lib/schemas/billing";
import { BakongWebhookService, PROVIDER as BAKONG_PROVIDER } from "./bakong-webhook.public";
import { ResendWebhookService, PROVIDER as RESEND_PROVIDER } from "../notifications/resend-webhook.public";
import { TelegramWebhookService, PROVIDER as TELEGRAM_PROVIDER } from "../notifications/telegram-webhook.public";
import { BillingConsoleService, keysetRows, tenantSlugs, type Page } from "../subscriptions/billing-console.admin";
import type { AdminPaymentRow } from "./payments.admin";
import {
  asEnumValue,
  MESSAGE_STATUS_VALUES,
  PAYMENT_METHOD_VALUES,
  PAYMENT_STATUS_VALUES,
  WEBHOOK_STATUS_VALUES,
  type MessageStatus,
  withEnums,
} from "@/lib/enums";

// The console's webhook inbox: every stored delivery (Bakong callbacks, Resend events) with its
// payment or message, and replay through the provider's own webhook service.

export interface AdminWebhookRow {
  id: string;
  provider: string;
  idempotencyKey: string;
  status: "received" | "processed" | "ignored" | "needs_review" | "failed";
  signatureValid: boolean;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  tenant: { id: string; slug: string } | null;
  paymentId: string | null;
  /** the inbox can run processing again (Bakong events) */
  replayable: boolean;
}

export interface AdminWebhookDetail extends AdminWebhookRow {
  headers: Record<string, string>;
  /** the raw body, pretty-printed when it is JSON */
  body: string;
  bodyIsJson: boolean;
  payment: {
    id: string;
    status: AdminPaymentRow["status"];
    method: AdminPaymentRow["method"];
    amount: number;
    currency: string;
    md5: string | null;
    flagReason: string | null;
    invoiceNumber: string | null;
  } | null;
  /** Resend events: the message the event's `email_id` names (what the webhook service matched), if any */
  message: {
    id: string;
    key: string;
    to: string;
    status: MessageStatus;
    subject: string | null;
    sentAt: Date | null;
    tenant: { slug: string; name: string } | null;
  } | null;
  tenantName: string | null;
}

export class AdminWebhookService extends BillingConsoleService {
  async webhooks(input: z.output<typeof webhookListSchema>): Promise<Page<AdminWebhookRow>> {
    // keyset on (receivedAt, id), newest first, on the indexes ([provider,] [status,] receivedAt, id)
    const spec: KeysetSpec = { tag: "admin.webhooks", kinds: ["timestamp"], desc: true };
    const after = decodeOptionalCursor(spec, input.cursor);
    return platformDb.run(async (tx) => {
      const c: Prisma.Sql[] = [Prisma.sql`TRUE`];
      if (input.provider) c.push(Prisma.sql`w.provider = ${input.provider}`);
      if (input.status) c.push(Prisma.sql`w.status = ${input.status}`);
      if (after) c.push(afterCursor(spec, [Prisma.sql`w."receivedAt"`], Prisma.sql`w.id`, after));
      const keys = await keysetRows<{ id: string; receivedAt: Date }>(
        tx,
        Prisma.sql`
        SELECT w.id::text AS "id", w."receivedAt" FROM "WebhookEvent" w
        WHERE ${Prisma.join(c, " AND ")}
        ORDER BY ${keysetOrder(spec, [Prisma.sql`w."receivedAt"`], Prisma.sql`w.id`)}
        LIMIT ${input.limit + 1}::int`,
      );
      const { rows: pageKeys, nextCursor } = pageOf(spec, keys, input.limit, (r) => ({ keys: [r.receivedAt], id: r.id }));
      const found = pageKeys.length
        ? await tx.webhookEvent.findMany({ where: { id: { in: pageKeys.map((r) => r.id) } }, omit: { rawBody: true, headers: true } })
        : [];
      const byId = new Map(found.map((r) => [r.id, r]));
      const page = pageKeys.map((k) => byId.get(k.id)).filter((r) => r !== undefined);
      const tenants = await tenantSlugs(
        tx,
        page.map((r) => r.tenantId).filter((id): id is string => id !== null),
      );
      return { items: page.map((r) => webhookRow(r, tenants)), nextCursor };
    });
  }

  async webhook(webhookEventId: string): Promise<AdminWebhookDetail> {
    return platformDb.run(async (tx) => {
      const e = await tx.webhookEvent.findUnique({ where: { id: webhookEventId } });
      if (!e) throw new AppError("NOT_FOUND", "errors.notFound");
      // a Resend event names its message by the provider's id (as the webhook service looks it up)
      const emailId = e.provider === RESEND_PROVIDER ? resendEmailId(e.rawBody) : null;
      const message = emailId
        ? await tx.outboundMessage.findUnique({
            where: { providerId: emailId },
            select: { id: true, tenantId: true, key: true, to: true, status: true, subject: true, sentAt: true },
          })
        : null;
      const tenants = await tenantSlugs(
        tx,
        [e.tenantId, message?.tenantId].filter((id): id is string => Boolean(id)),
      );
      const payment = e.paymentId
        ? await tx.payment.findUnique({ where: { id: e.paymentId }, include: { invoice: { select: { number: true } } } })
        : null;
      let body = e.rawBody;
      let bodyIsJson = false;
      try {
        body = JSON.stringify(JSON.parse(e.rawBody), null, 2);
        bodyIsJson = true;
      } catch {
        bodyIsJson = false;
      }
      const headers: Record<string, string> = {};
      if (e.headers && typeof e.headers === "object" && !Array.isArray(e.headers)) {
        for (const [k, v] of Object.entries(e.headers)) headers[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
      return {
        ...webhookRow(e, tenants),
        headers,
        body,
        bodyIsJson,
        tenantName: e.tenantId ? (tenants.get(e.tenantId)?.name ?? null) : null,
        payment: payment
          ? {
              id: payment.id,
              status: asEnumValue(PAYMENT_STATUS_VALUES, payment.status),
              method: asEnumValue(PAYMENT_METHOD_VALUES, payment.method),
              amount: payment.amount,
              currency: payment.currency,
              md5: payment.md5,
              flagReason: payment.flagReason,
              invoiceNumber: payment.invoice?.number ?? null,
            }
          : null,
        message: message
          ? {
              id: message.id,
              key: message.key,
              to: message.to,
              status: asEnumValue(MESSAGE_STATUS_VALUES, message.status),
              subject: message.subject,
              sentAt: message.sentAt,
              tenant: tenants.get(message.tenantId) ?? null,
            }
          : null,
      };
    });
  }

  /**
   * Runs a stored Bakong event through processing again (the webhook service audits it as
   * `admin.webhook.replayed`). Idempotent: a processed event stays processed; a flagged one is
   * checked again and stays flagged unless the facts changed; a failed one is re-processed.
   */
  async replayWebhook(webhookEventId: string) {
    const found = await platformDb.run((tx) => tx.webhookEvent.findUnique({ where: { id: webhookEventId }, select: { provider: true } }));
    if (!found) throw new AppError("NOT_FOUND", "errors.notFound");
    // each provider's own service re-processes its events
    const service =
      found.provider === BAKONG_PROVIDER
        ? new BakongWebhookService(this.clock)
        : found.provider === RESEND_PROVIDER
          ? new ResendWebhookService(this.clock)
          : found.provider === TELEGRAM_PROVIDER
            ? new TelegramWebhookService(this.clock)
            : null;
    if (!service) throw new AppError("INVALID_STATE", "adminBilling.errors.replayUnsupported", { provider: found.provider });
    const result = await service.replay(webhookEventId, this.admin, this.meta);
    if (result.status === 404) throw new AppError("NOT_FOUND", "errors.notFound");
    const after = await platformDb.run((tx) =>
      tx.webhookEvent.findUniqueOrThrow({ where: { id: webhookEventId }, select: { status: true, attempts: true, lastError: true } }),
    );
    return {
      webhookEventId,
      ...withEnums(after, { status: WEBHOOK_STATUS_VALUES }),
      httpStatus: result.status,
      result: JSON.parse(JSON.stringify(result.body)) as Record<string, unknown>,
    };
  }
}

/** `data.email_id` of a stored Resend event body, or null (not JSON, or no id). */
function resendEmailId(rawBody: string): string | null {
  try {
    const body: unknown = JSON.parse(rawBody);
    const id = (body as { data?: { email_id?: unknown } } | null)?.data?.email_id;
    return typeof id === "string" && id.length > 0 && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

function webhookRow(
  r: Pick<
    AdminWebhookRow,
    "id" | "provider" | "idempotencyKey" | "signatureValid" | "attempts" | "lastError" | "receivedAt" | "processedAt" | "paymentId"
  > & { tenantId: string | null; status: string },
  tenants: Map<string, { slug: string }>,
): AdminWebhookRow {
  return {
    id: r.id,
    provider: r.provider,
    idempotencyKey: r.idempotencyKey,
    status: asEnumValue(WEBHOOK_STATUS_VALUES, r.status),
    signatureValid: r.signatureValid,
    attempts: r.attempts,
    lastError: r.lastError,
    receivedAt: r.receivedAt,
    processedAt: r.processedAt,
    tenant: r.tenantId ? { id: r.tenantId, slug: tenants.get(r.tenantId)?.slug ?? r.tenantId } : null,
    paymentId: r.paymentId,
    // a delivery refused for its signature was never processed: nothing to replay
    replayable: (r.provider === BAKONG_PROVIDER || r.provider === RESEND_PROVIDER) && r.signatureValid,
  };
}
