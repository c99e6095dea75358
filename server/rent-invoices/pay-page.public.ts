import "server-only";
import { createHash } from "node:crypto";
import QRCode from "qrcode";
import { AppError } from "@/server/core/errors";
import { Prisma } from "@/server/db/generated/client";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import type { RawQuery } from "@/server/db/raw-read";
import type { TenantSummary } from "@/server/core/host-scope";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import type { RateLimitRule } from "@/server/core/rate-limiter";
import { DEFAULT_PLANS } from "@/lib/billing/plans";
import { isReadOnlyStatus } from "@/lib/billing/payment-state";
import { confirmKhqrIfPaid, khqrDeepLink } from "@/server/payments/khqr-polling";
import { bakongConfig } from "@/server/payments/bakong-config";
import { khqrMerchantName, openRentKhqrAttempt, rentKhqrReady, type OtherCurrencyQuote } from "@/server/payments/rent-khqr";
import { equivalent, otherCurrency, quote, type RateCurrency } from "@/server/rates/conversion";
import { dayIn } from "@/lib/dates";
import { hasPaymentInstructions, type PaymentInstructions } from "@/server/workspaces/payment-instructions";
import { BakongSimulator } from "../payments/bakong-simulator.public";
import { looksLikePayToken } from "@/server/rent-invoices/pay-token";
import { publicFileUrl } from "@/lib/files/urls";
import { isOpenRentInvoice, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import { logger } from "@/server/core/observability/logger";
import { asEnumValue, PAYMENT_STATUS_VALUES, RENT_INVOICE_STATUS_VALUES, SUBSCRIPTION_STATUS_VALUES } from "@/lib/enums";
import { telegramEnabled } from "@/server/notifications/telegram-config";
import { MAX_LIVE_LINKS } from "@/server/notifications/telegram-pay-link";
import { payTokenSchema } from "@/lib/schemas/rent-payments";
import { localizeLines } from "@/lib/i18n/invoice-lines";
import type { Locale } from "@/lib/i18n";

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
  /** the workspace's own cash and bank-transfer instructions (server/workspaces/payment-instructions.ts); null when none is set */
  instructions: PaymentInstructions | null;
  /** the total in the other currency at the rate of the issue day (docs/CURRENCY.md); null without a rate */
  equivalent: { amount: number; currency: RateCurrency; khrPerUsd: number } | null;
  /** paying what is due in the other currency at today's rate (rounded up); null without a rate or when nothing is due */
  payInOther: OtherCurrencyQuote | null;
}

function instructionsOf(t: ViewRow["tenant"]): PaymentInstructions | null {
  const p = { bankName: t.payBankName, accountName: t.payAccountName, accountNumber: t.payAccountNumber, phone: t.payPhone };
  return hasPaymentInstructions(p) ? p : null;
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

/** What the page renders: payPage.open. */
export interface PayPageOpen {
  view: PayPageView;
  attempt: PayCheckoutView | null;
  /** the renter may link Telegram here: a bot for the workspace (its own or the platform's), the renter unlinked, fewer than MAX_LIVE_LINKS live links */
  telegramLink: boolean;
}

export interface PayStatusView {
  invoiceStatus: RentInvoiceStatusName;
  amountDue: number;
  amountPaid: number;
  paidAt: Date | null;
  payment: { paymentId: string; status: PayCheckoutView["status"]; expiresAt: Date | null; paidAt: Date | null } | null;
  serverNow: Date;
}

export { khqrMerchantName };

function tokenKey(token: string): string {
  // the bucket names never hold the token itself
  return createHash("sha256").update(token).digest("hex").slice(0, 24);
}

/** How long a request keeps retrying buckets whose lock another request holds before it is refused (as RateLimiter). */
const LOCK_DEADLINE_MS = 10_000;

interface Bucket {
  bucket: string;
  rule: RateLimitRule;
  /** the per-address miss bucket: counted for unknown tokens, and full means every token is refused */
  miss: boolean;
}

type Admission = { found: string } | { limited: number } | "missing" | "busy";

/** The view's rows in one statement (numbers as JSON numbers, instants as epoch milliseconds). */
interface ViewRow {
  invoice: {
    number: string;
    period: string;
    status: string;
    currency: string;
    total: number;
    amountPaid: number;
    dueDate: string;
    paidAt: number | null;
    /** riel per dollar of the issue day (workspace-local), null when none is set */
    issueRate: number | null;
  } | null;
  /** riel per dollar of today (workspace-local), null when none is set */
  todayRate: number | null;
  lines: PayPageLine[];
  tenant: {
    name: string;
    slug: string;
    logoFileId: string | null;
    bakongAccountId: string | null;
    payBankName: string | null;
    payAccountName: string | null;
    payAccountNumber: string | null;
    payPhone: string | null;
  };
  subscription: { status: string; features: string[] } | null;
  freeFeatures: string[] | null;
  /** open() only: pending KHQR attempts of the invoice still payable a minute from now, newest first */
  attempts: ReusableAttempt[] | null;
  /** open() only: the page offers the renter a Telegram link (telegramLinkForPayToken's read-only checks) */
  telegramLink: boolean | null;
}

interface ReusableAttempt {
  id: string;
  status: string;
  amount: number;
  currency: string;
  receivedAmount: number | null;
  receivedCurrency: string | null;
  receivingAccount: string | null;
  qrString: string | null;
  expiresAt: number | null;
}

/** checkout reuses an attempt that stays payable at least this much longer (openRentKhqrAttempt's reuseIfValidForMs). */
const KHQR_REUSE_IF_VALID_FOR_MS = 60_000;
/** How many of an invoice's newest reusable attempts open() looks at (past them: checkout's own lookup). */
const REUSE_CANDIDATES = 5;

const FREE_PLAN = DEFAULT_PLANS[0];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const at = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

// A QR string never changes once its attempt exists, and neither do its PNG nor Bakong's app link
// for it: each is made once per process (a page view, a refresh and the browser's checkout all show
// the same attempt for ten minutes), bounded, the oldest forgotten first.
const CACHED_QRS = 500;
const qrImages = new Map<string, Promise<string>>();
const deepLinks = new Map<string, { link: string | null; at: number }>();
/** Bakong did not give a QR's app link (away, refused): not asked again for it this long (a render would wait for it each time). */
const DEEP_LINK_RETRY_MS = 30_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > CACHED_QRS) map.delete(map.keys().next().value!);
}

/** The QR's PNG (data URL) as the page shows it, encoded once per QR string. */
function khqrImage(qr: string): Promise<string> {
  const known = qrImages.get(qr);
  if (known) return known;
  const made = QRCode.toDataURL(qr, { errorCorrectionLevel: "M", margin: 1, width: 320 });
  remember(qrImages, qr, made);
  made.catch(() => qrImages.delete(qr));
  return made;
}

export class RentPayPageService {
  constructor(
    private readonly tenant: TenantSummary,
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
    private readonly rules: { page: RateLimitRule; checkout: RateLimitRule; miss: RateLimitRule } = {
      page: PAY_PAGE_RULE,
      checkout: PAY_CHECKOUT_RULE,
      miss: PAY_MISS_RULE,
    },
  ) {}

  private db(): TenantDb {
    return new TenantDb(this.tenant.id);
  }

  private ip(): string {
    return this.meta.ip ?? "unknown";
  }

  /**
   * Rate limits, finds the invoice of `token` in this tenant (or the one 404) and, when it is
   * found, runs `then` in the same transaction: the whole lookup is one tenant transaction of
   * two statements (admit) plus what `then` reads.
   */
  private async withInvoice<T>(token: string, kind: "page" | "checkout", then: (q: RawQuery, id: string) => Promise<T>): Promise<T> {
    const ip = this.ip();
    const key = tokenKey(token);
    const buckets: Bucket[] = [
      // a miss slot is counted for an unknown token; a full miss bucket refuses every token of this address
      { bucket: `paypage:miss:${ip}`, rule: this.rules.miss, miss: true },
      { bucket: `paypage:${ip}:${key}`, rule: this.rules.page, miss: false },
      ...(kind === "checkout" ? [{ bucket: `paypage:qr:${ip}:${key}`, rule: this.rules.checkout, miss: false }] : []),
    ];
    const candidate = looksLikePayToken(token) ? token : null;
    const deadline = Date.now() + LOCK_DEADLINE_MS;
    for (let attempt = 0; ; attempt++) {
      // on node-postgres, not Prisma's interactive transaction (TenantDb.runRaw): the page's hot path
      // is these few hand-written statements, and Prisma's transaction around them doubled their time
      const outcome = await this.db().runRaw(async (q): Promise<{ value: T } | Exclude<Admission, { found: string }>> => {
        const admission = await this.admit(q, candidate, buckets);
        // NOT_FOUND and TOO_MANY_REQUESTS are thrown after the commit: the hit recorded must stay
        if (typeof admission === "object" && "found" in admission) return { value: await then(q, admission.found) };
        return admission;
      });
      if (outcome === "busy") {
        // fail closed: buckets this contended are being hammered
        if (Date.now() > deadline) throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequests", { seconds: 1 });
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())));
        continue;
      }
      if (outcome === "missing") throw new AppError("NOT_FOUND", "errors.notFound");
      if ("limited" in outcome) throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequests", { seconds: outcome.limited });
      return outcome.value;
    }
  }

  /**
   * The sliding-window throttles of RateLimiter (server/core/rate-limiter.ts: the same table, lock
   * keys and rule) and the token lookup, in two statements of the caller's transaction: the
   * buckets' locks are TRIED first ("busy": the caller retries), then ONE statement counts every
   * bucket's window (its snapshot is taken after the locks were granted, so it sees every hit
   * committed by whoever held them before), finds the token's invoice and records the hits:
   *   - the miss bucket is full: refused, nothing recorded;
   *   - no usable invoice (unknown, revoked, malformed, void, draft): a hit in the miss bucket;
   *   - found, a page (or QR) bucket is full: refused, nothing recorded;
   *   - found: a hit in every page (and QR) bucket.
   * Of any number of concurrent requests at most `limit` get through a bucket, as with consume().
   */
  private async admit(q: RawQuery, token: string | null, buckets: Bucket[]): Promise<Admission> {
    const names = buckets.map((b) => b.bucket).sort();
    const [locked] = await q<{ ok: boolean }>(Prisma.sql`
      SELECT bool_and(pg_try_advisory_xact_lock(hashtextextended('rate-limit:' || k, 0))) AS ok
      FROM unnest(${names}::text[]) AS k`);
    if (!locked?.ok) return "busy";
    const now = this.clock();
    const values = buckets.map(
      (b) =>
        Prisma.sql`(${b.bucket}::text, ${b.rule.limit - 1}::int, ${new Date(now.getTime() - b.rule.windowMs)}::timestamp(3), ${b.rule.windowMs}::int, ${b.miss}::boolean)`,
    );
    const [row] = await q<{ id: string | null; limitedUntil: number | null }>(Prisma.sql`
      WITH found AS (
        -- by the token's unique key (globally unique, under row-level security), then this tenant's
        -- check: the subquery keeps the tenant condition from steering the planner to a tenant index
        SELECT t.id FROM (SELECT id, "tenantId", status FROM "RentInvoice" WHERE "payToken" = ${token}::text LIMIT 1) t
         WHERE t."tenantId" = ${this.tenant.id}::uuid AND t.status NOT IN ('void', 'draft')
      ), b (bucket, skip, since, window_ms, miss) AS (VALUES ${Prisma.join(values)}
      ), edges AS (
        SELECT b.*, (SELECT h."createdAt" FROM "RateLimitHit" h
                      WHERE h.bucket = b.bucket AND h."createdAt" > b.since
                      ORDER BY h."createdAt" DESC OFFSET b.skip LIMIT 1) AS edge
          FROM b
      ), verdict AS (
        SELECT CASE
                 WHEN EXISTS (SELECT 1 FROM edges WHERE miss AND edge IS NOT NULL) THEN 'limited_miss'
                 WHEN NOT EXISTS (SELECT 1 FROM found) THEN 'missing'
                 WHEN EXISTS (SELECT 1 FROM edges WHERE NOT miss AND edge IS NOT NULL) THEN 'limited'
                 ELSE 'found' END AS v
      ), ins AS (
        INSERT INTO "RateLimitHit" (bucket, "createdAt")
        SELECT e.bucket, ${now}::timestamp(3) FROM edges e, verdict
         WHERE (verdict.v = 'missing' AND e.miss) OR (verdict.v = 'found' AND NOT e.miss)
        RETURNING id
      )
      SELECT CASE WHEN verdict.v = 'found' THEN (SELECT id::text FROM found LIMIT 1) END AS id,
             CASE WHEN verdict.v IN ('limited', 'limited_miss') THEN
               (SELECT (extract(epoch FROM max(edge)) * 1000 + max(window_ms))::float8 FROM edges
                 WHERE edge IS NOT NULL AND miss = (verdict.v = 'limited_miss')) END AS "limitedUntil",
             (SELECT count(*) FROM ins)::int AS recorded
        FROM verdict`);
    if (row?.limitedUntil != null) return { limited: Math.max(1, Math.ceil((row.limitedUntil - now.getTime()) / 1000)) };
    return row?.id ? { found: row.id } : "missing";
  }

  private khqrReady(tx: DbTx): Promise<{ accountId: string; merchantName: string } | null> {
    return rentKhqrReady(tx, this.tenant.id);
  }

  /** The invoice of `token`, throttled like a page view (the receipt PDFs under the pay link: /pay/<token>/receipts/<payment>). */
  async invoiceIdOf(token: string): Promise<string> {
    return this.withInvoice(token, "page", async (_q, id) => id);
  }

  async view(token: string): Promise<PayPageView> {
    // one transaction: the throttles and the token (two statements), then the page's rows (one)
    return this.withInvoice(token, "page", async (q, id) => this.viewFrom(await this.viewRow(q, id, null)));
  }

  /**
   * What the page renders (issue 13): the view and, when KHQR is offered and something is due, the
   * attempt to show, so the QR is in the server's HTML. A pending attempt of this invoice that stays
   * payable another minute (checkout's reuse rule) is read by the view's own statement and shown as
   * it is: the steady state is the view's one transaction (three statements) and no write besides
   * the page throttle's hit. Only when there is none to resume does it start one through
   * `checkout` (its throttles: new QR codes per address and token). `payIn` is what the page asked
   * (`?pay=`); it applies only when the view offers that currency (as payInFrom).
   * A refused start (a throttle, Bakong away, nothing open) is no attempt: the browser asks again.
   * `telegramLink`: whether the page shows its Telegram box (docs/TELEGRAM.md, "Linking"), read by
   * the same statement, so a page with no bot for the workspace, or whose renter is linked, opens no
   * transaction for the box; only a box that is shown mints its link (telegramLinkForPayToken, which
   * checks everything again in its own transaction).
   */
  async open(token: string, payIn: RateCurrency | null): Promise<PayPageOpen> {
    const reuseAfter = new Date(this.clock().getTime() + KHQR_REUSE_IF_VALID_FOR_MS);
    const { view, row } = await this.withInvoice(token, "page", async (q, id) => {
      const r = await this.viewRow(q, id, reuseAfter);
      return { view: this.viewFrom(r), row: r };
    });
    const telegramLink = row.telegramLink === true;
    const withAttempt = async (): Promise<{ view: PayPageView; attempt: PayCheckoutView | null }> => {
      const ready = this.khqrFrom(row);
      const due = view.invoice.amountDue;
      if (!view.khqr || !ready || due <= 0 || !isOpenRentInvoice(view.invoice.status)) return { view, attempt: null };
      const other = payIn && view.payInOther && view.payInOther.currency === payIn ? view.payInOther : null;
      // openRentKhqrAttempt's reuse rule (same amount, currency asked, account), on the newest first
      const reusable = (row.attempts ?? []).find(
        (a) =>
          a.amount === due &&
          a.receivedCurrency === (other?.currency ?? null) &&
          a.receivedAmount === (other?.amount ?? null) &&
          a.receivingAccount === ready.accountId &&
          a.qrString !== null,
      );
      if (reusable) {
        return {
          view,
          attempt: await this.checkoutView({
            id: reusable.id,
            status: reusable.status,
            amount: reusable.amount,
            currency: reusable.currency,
            receivedAmount: reusable.receivedAmount,
            receivedCurrency: reusable.receivedCurrency,
            expiresAt: at(reusable.expiresAt),
            qrString: reusable.qrString!,
          }),
        };
      }
      try {
        return { view, attempt: await this.checkout(token, other?.currency ?? null) };
      } catch (e) {
        if (!(e instanceof AppError))
          logger.warn({ err: e instanceof Error ? e.message : String(e) }, "pay page: KHQR not started while rendering");
        return { view, attempt: null };
      }
    };
    return { ...(await withAttempt()), telegramLink };
  }

  private viewFrom(row: ViewRow): PayPageView {
    const invoice = row.invoice;
    if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
    const status = asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status);
    const amountDue = isOpenRentInvoice(status) ? Math.max(0, invoice.total - invoice.amountPaid) : 0;
    const other = otherCurrency(invoice.currency);
    return {
      workspace: { name: row.tenant.name, logoUrl: row.tenant.logoFileId ? publicFileUrl(row.tenant.logoFileId) : null },
      invoice: {
        number: invoice.number,
        period: invoice.period,
        status,
        currency: invoice.currency,
        total: invoice.total,
        amountPaid: invoice.amountPaid,
        amountDue,
        dueDate: invoice.dueDate,
        paidAt: at(invoice.paidAt),
        lines: row.lines,
      },
      khqr: this.khqrFrom(row) !== null,
      simulator: bakongConfig().simulator,
      instructions: instructionsOf(row.tenant),
      equivalent:
        other && invoice.issueRate !== null
          ? { ...equivalent(invoice.total, invoice.currency as RateCurrency, invoice.issueRate), khrPerUsd: invoice.issueRate }
          : null,
      payInOther:
        other && row.todayRate !== null && amountDue > 0
          ? { currency: other, amount: quote(amountDue, invoice.currency as RateCurrency, row.todayRate), khrPerUsd: row.todayRate }
          : null,
    };
  }

  /**
   * The invoice, its lines, the workspace and its plan's features in ONE statement (by primary and
   * unique keys). The plan is read as loadPlanInfo reads it (subscription's plan, else the free
   * plan); khqrFrom applies the same rule as khqrReady.
   */
  private async viewRow(q: RawQuery, id: string, reuseAfter: Date | null): Promise<ViewRow> {
    const t = this.tenant.id;
    // the rates (docs/CURRENCY.md): the latest on or before the issue day and today, workspace-local
    const rateBefore = (day: Prisma.Sql) => Prisma.sql`(SELECT r."khrPerUsd" FROM "ExchangeRate" r
                                  WHERE r."tenantId" = ${t}::uuid AND r."effectiveDate" <= ${day}
                                  ORDER BY r."effectiveDate" DESC, (r.source = 'manual') DESC, r."createdAt" DESC LIMIT 1)`;
    const issueDay = Prisma.sql`(i."issuedAt" AT TIME ZONE 'UTC' AT TIME ZONE ${this.tenant.timezone}::text)::date`;
    const today = dayIn(this.clock(), this.tenant.timezone);
    // open(): this invoice's pending KHQR attempts still payable at `reuseAfter`, newest first (by its
    // (tenantId, rentInvoiceId) index), for checkout's reuse rule; view() does not ask
    const attempts = reuseAfter
      ? Prisma.sql`(SELECT coalesce(json_agg(a ORDER BY a.at DESC), '[]') FROM (
           SELECT id, status, amount, currency, "receivedAmount", "receivedCurrency", "receivingAccount", "qrString",
                  (extract(epoch FROM "expiresAt") * 1000)::float8 AS "expiresAt", "createdAt" AS at
             FROM "Payment"
            WHERE "tenantId" = ${t}::uuid AND "rentInvoiceId" = ${id}::uuid AND method = 'khqr' AND status = 'pending'
              AND "flaggedAt" IS NULL AND "expiresAt" > ${reuseAfter}::timestamp(3)
            ORDER BY "createdAt" DESC LIMIT ${REUSE_CANDIDATES}) a)`
      : Prisma.sql`NULL::json`;
    // open(): telegramLinkForPayToken's read-only checks (a bot: the platform's or the workspace's own;
    // the invoice's renter unlinked, not archived or erased; fewer than MAX_LIVE_LINKS live links),
    // so the page opens no transaction for its Telegram box when the box is not shown
    const telegramLink = reuseAfter
      ? Prisma.sql`(CASE WHEN ${telegramEnabled()}::boolean OR EXISTS (SELECT 1 FROM "WorkspaceTelegramBot" b WHERE b."tenantId" = ${t}::uuid)
           THEN coalesce((SELECT r."telegramChatId" IS NULL AND r."archivedAt" IS NULL AND r."erasedAt" IS NULL
                                 AND (SELECT count(*) FROM "TelegramLinkToken" k
                                       WHERE k."tenantId" = ${t}::uuid AND k."renterId" = r.id AND k."usedAt" IS NULL
                                         AND k."expiresAt" > ${this.clock()}::timestamp(3)) < ${MAX_LIVE_LINKS}::int
                            FROM "RentInvoice" i
                            JOIN "Contract" c ON c."tenantId" = i."tenantId" AND c.id = i."contractId"
                            JOIN "Renter" r ON r."tenantId" = c."tenantId" AND r.id = c."renterId"
                           WHERE i."tenantId" = ${t}::uuid AND i.id = ${id}::uuid), false)
           ELSE false END)`
      : Prisma.sql`NULL::boolean`;
    const [row] = await q<ViewRow>(Prisma.sql`
      SELECT
        (SELECT json_build_object('number', number, 'period', period, 'status', status::text, 'currency', currency,
                                  'total', total, 'amountPaid', "amountPaid", 'dueDate', to_char("dueDate", 'YYYY-MM-DD'),
                                  'paidAt', (extract(epoch FROM "paidAt") * 1000)::float8,
                                  'issueRate', ${rateBefore(issueDay)})
           FROM "RentInvoice" i WHERE "tenantId" = ${t}::uuid AND id = ${id}::uuid) AS invoice,
        ${rateBefore(Prisma.sql`${today}::date`)} AS "todayRate",
        (SELECT coalesce(json_agg(json_build_object('kind', kind::text, 'description', description, 'quantity', quantity,
                                                    'unitAmount', "unitAmount", 'amount', amount) ORDER BY position, id), '[]')
           FROM "RentInvoiceLine" WHERE "tenantId" = ${t}::uuid AND "invoiceId" = ${id}::uuid) AS lines,
        (SELECT json_build_object('name', name, 'slug', slug, 'logoFileId', "logoFileId", 'bakongAccountId', "bakongAccountId",
                                  'payBankName', "payBankName", 'payAccountName', "payAccountName",
                                  'payAccountNumber', "payAccountNumber", 'payPhone', "payPhone")
           FROM "Tenant" WHERE id = ${t}::uuid) AS tenant,
        (SELECT json_build_object('status', s.status::text, 'features', p.features)
           FROM "Subscription" s JOIN "Plan" p ON p.id = s."planId" WHERE s."tenantId" = ${t}::uuid) AS subscription,
        (SELECT to_json(features) FROM "Plan" WHERE code = ${FREE_PLAN.code}) AS "freeFeatures",
        ${attempts} AS attempts,
        ${telegramLink} AS "telegramLink"`);
    return row!;
  }

  /** khqrReady's rule on a view row: Bakong configured, the plan's feature on a writable plan, the workspace's account. */
  private khqrFrom(row: ViewRow): { accountId: string; merchantName: string } | null {
    if (!bakongConfig().apiBaseUrl) return null;
    const features = row.subscription ? row.subscription.features : (row.freeFeatures ?? FREE_PLAN.features);
    const readOnly = row.subscription ? isReadOnlyStatus(asEnumValue(SUBSCRIPTION_STATUS_VALUES, row.subscription.status)) : false;
    if (!features.includes("khqr_rent_collection") || readOnly || !row.tenant.bakongAccountId) return null;
    return { accountId: row.tenant.bakongAccountId, merchantName: khqrMerchantName(row.tenant.name, row.tenant.slug) };
  }

  /** Starts (or resumes) a KHQR attempt for what is still due, into the workspace's own Bakong account. */
  async checkout(token: string, payIn: RateCurrency | null = null): Promise<PayCheckoutView> {
    // the throttles and the token commit on their own: a refusal below must not give the slots back
    const id = await this.withInvoice(token, "checkout", async (_q, found) => found);
    const now = this.clock();
    const payment = await this.db().run(async (tx) => {
      const ready = await this.khqrReady(tx);
      if (!ready) throw new AppError("INVALID_STATE", "payPage.errors.khqrUnavailable");
      // the one KHQR maker (server/payments/rent-khqr.ts), shared with the invoice PDF
      return openRentKhqrAttempt(tx, {
        tenantId: this.tenant.id,
        invoiceId: id,
        ready,
        now,
        ttlMs: RENT_KHQR_TTL_MS,
        reuseIfValidForMs: KHQR_REUSE_IF_VALID_FOR_MS,
        meta: this.meta,
        actorEmail: "renter (pay page)",
        payIn,
      });
    });
    return this.checkoutView({ ...payment, qrString: payment.qrString! });
  }

  /** An attempt as the page shows it: its QR's image and Bakong's app link are made once per QR (caches below). */
  private async checkoutView(p: {
    id: string;
    status: string;
    amount: number;
    currency: string;
    receivedAmount: number | null;
    receivedCurrency: string | null;
    expiresAt: Date | null;
    qrString: string;
  }): Promise<PayCheckoutView> {
    const [qrImage, deepLink] = await Promise.all([khqrImage(p.qrString), this.deepLink(p.qrString)]);
    return {
      paymentId: p.id,
      status: asEnumValue(PAYMENT_STATUS_VALUES, p.status),
      // what the QR asks: in the other currency when the renter chose it
      amount: p.receivedAmount ?? p.amount,
      currency: p.receivedCurrency ?? p.currency,
      expiresAt: p.expiresAt,
      serverNow: this.clock(),
      qr: p.qrString,
      qrImage,
      deepLink,
    };
  }

  /** Polled by the page: the invoice's state and, when given, the state of this page's KHQR attempt. */
  async status(token: string, paymentId: string | null): Promise<PayStatusView> {
    const payment = paymentId && UUID.test(paymentId) ? paymentId : null;
    if (!paymentId) return this.withInvoice(token, "page", (q, id) => this.statusIn(q, id, null));
    // with an attempt: Bakong may be asked about it (its own transactions) between the throttles and the read
    const id = await this.withInvoice(token, "page", async (_q, found) => found);
    if (payment) await this.confirmIfPaid(id, payment);
    return this.db().runRaw((q) => this.statusIn(q, id, payment));
  }

  /** The invoice's state and, when given, this invoice's payment `paymentId`, in one statement. */
  private async statusIn(q: RawQuery, id: string, paymentId: string | null): Promise<PayStatusView> {
    const t = this.tenant.id;
    const [row] = await q<{
      invoice: { status: string; total: number; amountPaid: number; paidAt: number | null } | null;
      payment: { id: string; status: string; expiresAt: number | null; paidAt: number | null } | null;
    }>(Prisma.sql`
      SELECT
        (SELECT json_build_object('status', status::text, 'total', total, 'amountPaid', "amountPaid",
                                  'paidAt', (extract(epoch FROM "paidAt") * 1000)::float8)
           FROM "RentInvoice" WHERE "tenantId" = ${t}::uuid AND id = ${id}::uuid) AS invoice,
        (SELECT json_build_object('id', id, 'status', status::text, 'expiresAt', (extract(epoch FROM "expiresAt") * 1000)::float8,
                                  'paidAt', (extract(epoch FROM "paidAt") * 1000)::float8)
           FROM "Payment"
          WHERE "tenantId" = ${t}::uuid AND id = ${paymentId}::uuid AND "rentInvoiceId" = ${id}::uuid) AS payment`);
    const invoice = row?.invoice;
    if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
    const p = row.payment;
    return {
      invoiceStatus: asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status),
      amountDue: isOpenRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status))
        ? Math.max(0, invoice.total - invoice.amountPaid)
        : 0,
      amountPaid: invoice.amountPaid,
      paidAt: at(invoice.paidAt),
      payment: p
        ? { paymentId: p.id, status: asEnumValue(PAYMENT_STATUS_VALUES, p.status), expiresAt: at(p.expiresAt), paidAt: at(p.paidAt) }
        : null,
      serverNow: this.clock(),
    };
  }

  /** "Simulate payment" (BAKONG_SIMULATOR=1 with the local fake only): the relay's signed callback, as on /billing/pay. */
  async simulate(token: string, paymentId: string): Promise<{ ok: boolean; status: number }> {
    if (!bakongConfig().simulator) throw new AppError("FORBIDDEN", "billing.errors.simulatorOff");
    const id = await this.withInvoice(token, "page", async (_q, found) => found);
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

  /** Bakong's app link of a QR, asked once per QR and process (a link is kept; no link is asked again after DEEP_LINK_RETRY_MS). */
  private async deepLink(qr: string): Promise<string | null> {
    const known = deepLinks.get(qr);
    if (known && (known.link !== null || Date.now() - known.at < DEEP_LINK_RETRY_MS)) return known.link;
    const link = await khqrDeepLink(this.db(), qr, "pay page");
    remember(deepLinks, qr, { link, at: Date.now() });
    return link;
  }
}

/**
 * What the pay page renders (payPage.open, and server/pay-page/render.public.ts, which calls it without a
 * tRPC caller): the workspace must be active (else the one NOT_FOUND); a malformed token fails as an
 * unknown one; line descriptions in the renter's language (lib/i18n/invoice-lines.ts).
 */
export async function openPayPage(
  tenant: TenantSummary,
  meta: RequestMeta,
  locale: Locale,
  input: { token: string; payIn: RateCurrency | null },
): Promise<PayPageOpen> {
  if (tenant.status !== "active") throw new AppError("NOT_FOUND", "errors.notFound");
  const parsed = payTokenSchema.safeParse({ token: input.token });
  const { view, attempt, telegramLink } = await new RentPayPageService(tenant, meta).open(
    parsed.success ? parsed.data.token : "",
    input.payIn,
  );
  return {
    view: { ...view, invoice: { ...view.invoice, lines: localizeLines(view.invoice.lines, view.invoice.period, locale) } },
    attempt,
    telegramLink,
  };
}
