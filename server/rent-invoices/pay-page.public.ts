import "server-only";
import { createHash } from "node:crypto";
import QRCode from "qrcode";
import { AppError } from "@/server/core/errors";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import type { TenantSummary } from "@/server/core/host-scope";
import { AuditLogger } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { RateLimiter, type RateLimitRule } from "@/server/core/rate-limiter";
import { lockRow } from "@/server/core/locks";
import { loadPlanInfo } from "@/server/subscriptions/plan-info";
import { confirmKhqrIfPaid, khqrDeepLink } from "@/server/payments/khqr-polling";
import { bakongConfig } from "@/server/payments/bakong-config";
import { generateKhqr } from "@/server/payments/khqr";
import { BakongSimulator } from "../payments/bakong-simulator.public";
import { looksLikePayToken } from "@/server/rent-invoices/pay-token";
import { publicFileUrl } from "@/lib/files/urls";
import { isOpenRentInvoice, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import { dateToDay } from "@/lib/dates";

// The renter's pay page (/pay/<token> on the tenant host, no login). The token is the only key:
// it is looked up inside the host's tenant (row-level security), so a token of another workspace
// is as unknown as a made-up one, and an unknown, malformed or revoked token all get the same 404.
// Every call is rate limited per client address and token, and misses per address (no guessing).
// It shows the invoice and nothing else: no renter, unit or contract details.

/** A KHQR attempt lives 10 minutes (as for subscriptions). */
export const RENT_KHQR_TTL_MS = 10 * 60_000;
/** Page views and status polls (every 3 s while a QR is shown) per address and token. */
export const PAY_PAGE_RULE: RateLimitRule = { limit: 300, windowMs: 10 * 60_000 };
/** New QR codes per address and token. */
export const PAY_CHECKOUT_RULE: RateLimitRule = { limit: 10, windowMs: 10 * 60_000 };
/** Unknown/revoked tokens per address, before every pay-page request from it is refused for a while. */
export const PAY_MISS_RULE: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 };

export interface PayPageLine {
  kind: string;
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
}

export interface PayPageView {
  workspace: { name: string; logoUrl: string | null };
  invoice: {
    number: string;
    period: string;
    status: RentInvoiceStatusName;
    currency: string;
    total: number;
    amountPaid: number;
    amountDue: number;
    dueDate: string;
    paidAt: Date | null;
    lines: PayPageLine[];
  };
  /** KHQR can be offered (plan feature, the workspace's Bakong account, Bakong configured) */
  khqr: boolean;
  simulator: boolean;
}

export interface PayCheckoutView {
  paymentId: string;
  status: "pending" | "paid" | "failed" | "expired" | "refunded";
  amount: number;
  currency: string;
  expiresAt: Date | null;
  serverNow: Date;
  qr: string;
  qrImage: string;
  deepLink: string | null;
}

export interface PayStatusView {
  invoiceStatus: RentInvoiceStatusName;
  amountDue: number;
  amountPaid: number;
  paidAt: Date | null;
  payment: { paymentId: string; status: PayCheckoutView["status"]; expiresAt: Date | null; paidAt: Date | null } | null;
  serverNow: Date;
}

/** A name the KHQR (printable ASCII, ≤ 25 characters) can carry: Khmer names fall back to the address. */
export function khqrMerchantName(name: string, slug: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 25)
    .trim();
  return ascii.length >= 2 ? ascii : slug.slice(0, 25);
}

function tokenKey(token: string): string {
  // the bucket names never hold the token itself
  return createHash("sha256").update(token).digest("hex").slice(0, 24);
}

export class RentPayPageService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly tenant: TenantSummary,
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
    private readonly rules: { page: RateLimitRule; checkout: RateLimitRule; miss: RateLimitRule } = {
      page: PAY_PAGE_RULE,
      checkout: PAY_CHECKOUT_RULE,
      miss: PAY_MISS_RULE,
    },
  ) {
    this.limiter = new RateLimiter(clock);
  }

  private db(): TenantDb {
    return new TenantDb(this.tenant.id);
  }

  private ip(): string {
    return this.meta.ip ?? "unknown";
  }

  private async throttle(bucket: string, rule: RateLimitRule): Promise<void> {
    const verdict = await this.limiter.consume([bucket], rule);
    if (verdict.limited) throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequests", { seconds: verdict.retryAfterSeconds });
  }

  /** Rate limits, then finds the invoice of `token` in this tenant, or the one 404. */
  private async invoiceId(token: string, kind: "page" | "checkout"): Promise<string> {
    const missBucket = `paypage:miss:${this.ip()}`;
    // a miss slot is taken before the lookup (parallel guesses get at most the limit) and given back on a hit
    const misses = await this.limiter.consume([missBucket], this.rules.miss);
    if (misses.limited) throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequests", { seconds: misses.retryAfterSeconds });
    const found = looksLikePayToken(token)
      ? await this.db().run((tx) => tx.rentInvoice.findFirst({ where: { payToken: token }, select: { id: true, status: true } }))
      : null;
    if (!found || found.status === "void" || found.status === "draft") throw new AppError("NOT_FOUND", "errors.notFound");
    await this.limiter.refund(misses);
    const key = tokenKey(token);
    await this.throttle(`paypage:${this.ip()}:${key}`, this.rules.page);
    if (kind === "checkout") await this.throttle(`paypage:qr:${this.ip()}:${key}`, this.rules.checkout);
    return found.id;
  }

  private async khqrReady(tx: DbTx): Promise<{ accountId: string; merchantName: string } | null> {
    const cfg = bakongConfig();
    if (!cfg.apiBaseUrl) return null;
    const [plan, tenant] = await Promise.all([
      loadPlanInfo(tx, this.tenant.id),
      tx.tenant.findUniqueOrThrow({ where: { id: this.tenant.id }, select: { bakongAccountId: true, name: true, slug: true } }),
    ]);
    if (!plan.features.has("khqr_rent_collection") || plan.readOnly || !tenant.bakongAccountId) return null;
    return { accountId: tenant.bakongAccountId, merchantName: khqrMerchantName(tenant.name, tenant.slug) };
  }

  async view(token: string): Promise<PayPageView> {
    const id = await this.invoiceId(token, "page");
    return this.db().run(async (tx) => {
      const invoice = await tx.rentInvoice.findUniqueOrThrow({
        where: { id },
        include: { lines: { orderBy: [{ position: "asc" }, { id: "asc" }] } },
      });
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: this.tenant.id }, select: { name: true, logoFileId: true } });
      const amountDue = isOpenRentInvoice(invoice.status) ? Math.max(0, invoice.total - invoice.amountPaid) : 0;
      return {
        workspace: { name: tenant.name, logoUrl: tenant.logoFileId ? publicFileUrl(tenant.logoFileId) : null },
        invoice: {
          number: invoice.number,
          period: invoice.period,
          status: invoice.status,
          currency: invoice.currency,
          total: invoice.total,
          amountPaid: invoice.amountPaid,
          amountDue,
          dueDate: dateToDay(invoice.dueDate),
          paidAt: invoice.paidAt,
          lines: invoice.lines.map((l) => ({
            kind: l.kind,
            description: l.description,
            quantity: l.quantity,
            unitAmount: l.unitAmount,
            amount: l.amount,
          })),
        },
        khqr: (await this.khqrReady(tx)) !== null,
        simulator: bakongConfig().simulator,
      };
    });
  }

  /** Starts (or resumes) a KHQR attempt for what is still due, into the workspace's own Bakong account. */
  async checkout(token: string): Promise<PayCheckoutView> {
    const id = await this.invoiceId(token, "checkout");
    const now = this.clock();
    const payment = await this.db().run(async (tx) => {
      const ready = await this.khqrReady(tx);
      if (!ready) throw new AppError("INVALID_STATE", "payPage.errors.khqrUnavailable");
      await lockRow(tx, "RentInvoice", id);
      const invoice = await tx.rentInvoice.findUniqueOrThrow({ where: { id } });
      const due = invoice.total - invoice.amountPaid;
      if (!isOpenRentInvoice(invoice.status) || due <= 0) throw new AppError("INVALID_STATE", "payPage.errors.notOpen");
      const reusable = await tx.payment.findFirst({
        where: {
          rentInvoiceId: invoice.id,
          method: "khqr",
          status: "pending",
          amount: due,
          receivingAccount: ready.accountId,
          flaggedAt: null,
          expiresAt: { gt: new Date(now.getTime() + 60_000) },
        },
        orderBy: { createdAt: "desc" },
      });
      if (reusable) return reusable;
      const expiresAt = new Date(now.getTime() + RENT_KHQR_TTL_MS);
      const { qr, md5 } = generateKhqr({
        accountId: ready.accountId,
        merchantName: ready.merchantName,
        merchantCity: bakongConfig().merchantCity,
        amount: due,
        currency: invoice.currency === "KHR" ? "KHR" : "USD",
        billNumber: invoice.number,
        expiresAt,
      });
      const created = await tx.payment.create({
        data: {
          tenantId: this.tenant.id,
          purpose: "rent",
          rentInvoiceId: invoice.id,
          method: "khqr",
          amount: due,
          currency: invoice.currency,
          receivingAccount: ready.accountId,
          billNumber: invoice.number,
          qrString: qr,
          md5,
          expiresAt,
        },
      });
      await new AuditLogger(this.meta).log(tx, this.tenant.id, {
        action: "rent.payment.checkout_started",
        actorEmail: "renter (pay page)",
        targetType: "payment",
        targetId: created.id,
        metadata: { invoice: invoice.number, amount: due, currency: invoice.currency, md5 },
      });
      return created;
    });
    return {
      paymentId: payment.id,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
      expiresAt: payment.expiresAt,
      serverNow: this.clock(),
      qr: payment.qrString!,
      qrImage: await QRCode.toDataURL(payment.qrString!, { errorCorrectionLevel: "M", margin: 1, width: 320 }),
      deepLink: await this.deepLink(payment.qrString!),
    };
  }

  /** Polled by the page: the invoice's state and, when given, the state of this page's KHQR attempt. */
  async status(token: string, paymentId: string | null): Promise<PayStatusView> {
    const id = await this.invoiceId(token, "page");
    if (paymentId) await this.confirmIfPaid(id, paymentId);
    return this.db().run(async (tx) => {
      const invoice = await tx.rentInvoice.findUniqueOrThrow({ where: { id } });
      const payment = paymentId
        ? await tx.payment.findFirst({
            where: { id: paymentId, rentInvoiceId: id },
            select: { id: true, status: true, expiresAt: true, paidAt: true },
          })
        : null;
      return {
        invoiceStatus: invoice.status,
        amountDue: isOpenRentInvoice(invoice.status) ? Math.max(0, invoice.total - invoice.amountPaid) : 0,
        amountPaid: invoice.amountPaid,
        paidAt: invoice.paidAt,
        payment: payment ? { paymentId: payment.id, status: payment.status, expiresAt: payment.expiresAt, paidAt: payment.paidAt } : null,
        serverNow: this.clock(),
      };
    });
  }

  /** "Simulate payment" (BAKONG_SIMULATOR=1 with the local fake only): the relay's signed callback, as on /billing/pay. */
  async simulate(token: string, paymentId: string): Promise<{ ok: boolean; status: number }> {
    if (!bakongConfig().simulator) throw new AppError("FORBIDDEN", "billing.errors.simulatorOff");
    const id = await this.invoiceId(token, "page");
    const owned = await this.db().run((tx) => tx.payment.findFirst({ where: { id: paymentId, rentInvoiceId: id }, select: { id: true } }));
    if (!owned) throw new AppError("NOT_FOUND", "errors.notFound");
    return new BakongSimulator().pay(this.tenant.id, paymentId);
  }

  /**
   * While the page polls, asks Bakong about this attempt's md5 (shared with the subscription
   * checkout); only a payment of this invoice qualifies.
   */
  private confirmIfPaid(invoiceId: string, paymentId: string): Promise<void> {
    return confirmKhqrIfPaid(this.db(), {
      paymentId,
      where: { rentInvoiceId: invoiceId, flaggedAt: null },
      now: this.clock(),
      meta: this.meta,
      label: "pay page",
    });
  }

  private deepLink(qr: string): Promise<string | null> {
    return khqrDeepLink(this.db(), qr, "pay page");
  }
}
