// The renter pay page's server-side cost (issue 13): one SSR request (/pay/<token>) is the
// request context (the host, one statement) plus payPage.view: one transaction holding the
// throttles' locks, one statement for the throttles and the token, and one for the page's rows.
// The token is found by its unique key (no scan of the workspace's invoices); every throttle stays in force (rent-payments.test.ts
// covers the limits themselves).
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createContract, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { withFakeBakong } from "./support/billing";
import { signedIn } from "./support/world";
import { createRequestResolver } from "@/server/core/tenant-resolver";
import { createContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";
import { PORT, hostOf, uniqueIp } from "./support/world";

const bakong = withFakeBakong();
const ACCOUNT = "landlord@aclb";
import { captureStatements, explainAsApp, scanReads, workStatements } from "./support/sql-plans";
import { createRenter } from "@/server/testing/factories";
import { MAX_LIVE_LINKS, telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";

async function pageCaller(slug: string, ip = uniqueIp()) {
  // as the page builds it: the request's resolver (prefetching), no session cookie
  const resolver = createRequestResolver({
    headers: new Headers({ host: `${hostOf(slug)}:${PORT}`, "x-forwarded-for": ip }),
    getClaims: async () => null,
    prefetch: true,
  });
  return createCaller(await createContext({ resolver }));
}

describe("pay page: statements of one view", () => {
  let t: CreatedTenant;
  let token: string;

  beforeAll(async () => {
    t = await createTenant({ slug: uniqueSlug("paystmt") });
    const contract = await createContract({ tenantId: t.tenantId, status: "active" });
    const invoice = await createRentInvoice({
      tenantId: t.tenantId,
      contractId: contract.id,
      period: "2026-10",
      lines: [{ kind: "rent", description: "Rent October 2026", unitAmount: 25_000 }],
    });
    token = invoice.payToken!;
    // other open invoices of the workspace: the lookup must not read them
    for (let m = 1; m <= 40; m++)
      await createRentInvoice({
        tenantId: t.tenantId,
        contractId: contract.id,
        period: `20${String(20 + Math.floor(m / 12))}-${String(1 + (m % 12)).padStart(2, "0")}`,
      });
  });

  it("answers a view in at most 4 statements, the context included, in one transaction", async () => {
    const { result, statements } = await captureStatements(async () => (await pageCaller(t.slug)).payPage.view({ token }));
    expect(result.invoice.lines).toHaveLength(1);
    const work = workStatements(statements);
    expect(work.length, work.map((s) => s.text.slice(0, 100)).join("\n")).toBeLessThanOrEqual(4);
    expect(statements.filter((s) => /^\s*BEGIN\b/i.test(s.text))).toHaveLength(1);
  });

  it("an unknown token costs the same few statements and is the plain 404", async () => {
    const caller = await pageCaller(t.slug);
    const { statements } = await captureStatements(() => caller.payPage.view({ token: "x".repeat(43) }).catch((e: unknown) => e));
    expect(workStatements(statements).length).toBeLessThanOrEqual(3);
  });

  it("finds the token by its key and reads nothing else of the workspace", async () => {
    const caller = await pageCaller(t.slug);
    const { statements } = await captureStatements(() => caller.payPage.view({ token }));
    const admit = workStatements(statements).find((s) => /"payToken"/.test(s.text));
    expect(admit).toBeDefined();
    const scans = scanReads(await explainAsApp(t.tenantId, admit!.text, admit!.values));
    const report = scans.map((s) => `${s.node} ${s.relation ?? ""} ${s.index ?? ""}: ${s.read}`).join("\n");
    expect(
      scans.some((s) => s.relation === "RentInvoice" && s.node !== "Seq Scan"),
      report,
    ).toBe(true);
    for (const s of scans) expect(s.read, report).toBeLessThanOrEqual(2);
  });
});

describe("pay page: the render's KHQR attempt (payPage.open)", () => {
  /** A Pro workspace with its own Bakong account, a riel rate and an open USD 250 invoice. */
  async function khqrWorld(prefix: string) {
    const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan: "pro" } });
    await platformDb.run((tx) => tx.tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: ACCOUNT } }));
    await new TenantDb(t.tenantId).run((tx) =>
      tx.exchangeRate.create({
        data: { tenantId: t.tenantId, effectiveDate: new Date("2026-01-01T00:00:00Z"), khrPerUsd: 4000, source: "manual" },
      }),
    );
    const contract = await createContract({ tenantId: t.tenantId, status: "active" });
    const invoice = await createRentInvoice({
      tenantId: t.tenantId,
      contractId: contract.id,
      period: "2026-10",
      lines: [{ kind: "rent", description: "Rent October 2026", unitAmount: 25_000 }],
    });
    const payments = () => new TenantDb(t.tenantId).run((tx) => tx.payment.findMany({ orderBy: { createdAt: "asc" } }));
    const started = () => new TenantDb(t.tenantId).run((tx) => tx.auditLog.count({ where: { action: "rent.payment.checkout_started" } }));
    return { t, invoice, token: invoice.payToken!, payments, started };
  }

  it("the first render starts the attempt; a render that resumes it writes nothing but the throttle's hit, in one transaction", async () => {
    const { t, token, payments, started } = await khqrWorld("payopen");
    const first = await (await pageCaller(t.slug)).payPage.open({ token });
    expect(first.attempt).toMatchObject({ status: "pending", amount: 25_000, currency: "USD" });
    expect(first.attempt!.qrImage).toMatch(/^data:image\/png;base64,/);
    expect(first.view.invoice).toMatchObject({ amountDue: 25_000, lines: [{ kind: "rent" }] });
    const deepLinkCalls = () => bakong.fake.calls.filter((c) => c.path.includes("generate_deeplink")).length;
    const asked = deepLinkCalls();

    // another visitor (another address), then a refresh: the same attempt, the same QR, no new row
    const caller = await pageCaller(t.slug);
    const { result, statements } = await captureStatements(() => caller.payPage.open({ token }));
    expect(result.attempt).toEqual({ ...first.attempt, serverNow: result.attempt!.serverNow });
    const work = workStatements(statements);
    const listing = work.map((s) => s.text.slice(0, 120)).join("\n");
    // the host (context), the throttles' locks, the throttles with the token, the page's rows with the attempt
    expect(work.length, listing).toBeLessThanOrEqual(4);
    expect(
      statements.filter((s) => /^\s*BEGIN\b/i.test(s.text)),
      listing,
    ).toHaveLength(1);
    expect(
      work.filter((s) => /FOR UPDATE|\bUPDATE\s+"|INSERT INTO "(?!RateLimitHit")/i.test(s.text)),
      listing,
    ).toEqual([]);
    expect(work.filter((s) => /INSERT INTO "RateLimitHit"/.test(s.text))).toHaveLength(1);
    expect(await payments()).toHaveLength(1);
    expect(await started()).toBe(1);
    // the QR's image and Bakong's app link are made once per QR, not per render
    expect(deepLinkCalls()).toBe(asked);
    expect((await (await pageCaller(t.slug)).payPage.open({ token })).attempt!.paymentId).toBe(first.attempt!.paymentId);
  });

  it("resumes only an attempt of the amount due and the currency asked, still payable a minute from now", async () => {
    const { t, invoice, token, payments } = await khqrWorld("payopen2");
    const usd = (await (await pageCaller(t.slug)).payPage.open({ token })).attempt!;
    // riel asked: not the dollar QR, a new one in riel at the day's rate; asked again: that one
    const khr = (await (await pageCaller(t.slug)).payPage.open({ token, payIn: "KHR" })).attempt!;
    expect(khr).toMatchObject({ status: "pending", amount: 1_000_000, currency: "KHR" });
    expect(khr.paymentId).not.toBe(usd.paymentId);
    expect((await (await pageCaller(t.slug)).payPage.open({ token, payIn: "KHR" })).attempt!.paymentId).toBe(khr.paymentId);
    expect((await (await pageCaller(t.slug)).payPage.open({ token })).attempt!.paymentId).toBe(usd.paymentId);
    // a currency the invoice cannot be paid in is the ordinary QR
    expect((await (await pageCaller(t.slug)).payPage.open({ token, payIn: "USD" })).attempt!.paymentId).toBe(usd.paymentId);

    // a cash payment since: the dollar QR asks too much, a new one asks the rest
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 5_000, reference: "", paidOn: "2026-10-02" });
    const rest = (await (await pageCaller(t.slug)).payPage.open({ token })).attempt!;
    expect(rest).toMatchObject({ amount: 20_000, currency: "USD" });
    expect(rest.paymentId).not.toBe(usd.paymentId);

    // flagged, or payable less than another minute: not resumed
    await new TenantDb(t.tenantId).run((tx) => tx.payment.update({ where: { id: rest.paymentId }, data: { flaggedAt: new Date() } }));
    const afterFlag = (await (await pageCaller(t.slug)).payPage.open({ token })).attempt!;
    expect(afterFlag.paymentId).not.toBe(rest.paymentId);
    await new TenantDb(t.tenantId).run((tx) =>
      tx.payment.update({ where: { id: afterFlag.paymentId }, data: { expiresAt: new Date(Date.now() + 30_000) } }),
    );
    const afterExpiry = (await (await pageCaller(t.slug)).payPage.open({ token })).attempt!;
    expect(afterExpiry.paymentId).not.toBe(afterFlag.paymentId);
    expect((await payments()).filter((p) => p.method === "khqr")).toHaveLength(5);
  });

  it("Bakong away: the QR is shown without its app link, and the next renders do not wait for Bakong again", async () => {
    const { t, token } = await khqrWorld("payopen5");
    bakong.fake.setFailure(500);
    try {
      const deepLinkCalls = () => bakong.fake.calls.filter((c) => c.path.includes("generate_deeplink")).length;
      const first = (await (await pageCaller(t.slug)).payPage.open({ token })).attempt!;
      expect(first).toMatchObject({ status: "pending", deepLink: null });
      const asked = deepLinkCalls();
      expect(asked).toBeGreaterThanOrEqual(1);
      const again = (await (await pageCaller(t.slug)).payPage.open({ token })).attempt!;
      expect(again).toMatchObject({ paymentId: first.paymentId, deepLink: null });
      expect(deepLinkCalls()).toBe(asked);
    } finally {
      bakong.fake.setFailure(null);
    }
  });

  it("shows no attempt for a paid invoice or a workspace without KHQR, and writes none", async () => {
    const { t, invoice, token, payments } = await khqrWorld("payopen3");
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 25_000, reference: "", paidOn: "2026-10-02" });
    const paid = await (await pageCaller(t.slug)).payPage.open({ token });
    expect(paid).toMatchObject({ attempt: null, view: { invoice: { status: "paid", amountDue: 0 } } });

    const other = await khqrWorld("payopen4");
    await platformDb.run((tx) => tx.tenant.update({ where: { id: other.t.tenantId }, data: { bakongAccountId: null } }));
    expect(await (await pageCaller(other.t.slug)).payPage.open({ token: other.token })).toMatchObject({
      attempt: null,
      view: { khqr: false },
    });
    expect((await payments()).filter((p) => p.method === "khqr")).toEqual([]);
    expect(await other.payments()).toEqual([]);
    // an unknown token is the plain 404
    await expect((await pageCaller(t.slug)).payPage.open({ token: "x".repeat(43) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("pay page: the Telegram box (payPage.open's telegramLink)", () => {
  // the integration suite runs without the platform bot (no TELEGRAM_BOT_TOKEN): a workspace has a
  // bot only when it set its own (docs/TELEGRAM.md, "A workspace's own bot")
  async function world(prefix: string) {
    const t = await createTenant({ slug: uniqueSlug(prefix) });
    const renter = await createRenter({ tenantId: t.tenantId, email: null });
    const contract = await createContract({ tenantId: t.tenantId, renterId: renter.id, status: "active" });
    const invoice = await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2026-10" });
    const db = new TenantDb(t.tenantId);
    const addOwnBot = () =>
      db.run((tx) =>
        tx.workspaceTelegramBot.create({
          data: {
            tenantId: t.tenantId,
            botId: String(Math.floor(Math.random() * 1e15)),
            username: `${prefix}_bot`,
            tokenEnc: "not-read-here",
            tokenLast4: "0000",
            webhookSecretHash: createHash("sha256").update(t.tenantId).digest("hex"),
          },
        }),
      );
    return { t, renter, db, token: invoice.payToken!, addOwnBot };
  }

  it("no bot for the workspace: no box, and the render's statements are open's one transaction", async () => {
    const { t, token } = await world("paytgoff");
    const caller = await pageCaller(t.slug);
    const { result, statements } = await captureStatements(() => caller.payPage.open({ token }));
    expect(result.telegramLink).toBe(false);
    expect(statements.filter((s) => /^\s*BEGIN\b/i.test(s.text))).toHaveLength(1);
    // the host (context), the throttles' locks, the throttles with the token, the page's rows (the box's check with them)
    const work = workStatements(statements);
    expect(work.length, work.map((s) => s.text.slice(0, 100)).join("\n")).toBeLessThanOrEqual(4);
    expect(await telegramLinkForPayToken(t.tenantId, token)).toBeNull();
  });

  it("agrees with telegramLinkForPayToken: offered while the renter is unlinked and has fewer than MAX_LIVE_LINKS live links", async () => {
    const { t, renter, db, token, addOwnBot } = await world("paytgon");
    await addOwnBot();
    const open = async () => (await (await pageCaller(t.slug)).payPage.open({ token })).telegramLink;
    expect(await open()).toBe(true);
    // the box mints a link (as the page's TelegramPayLink does); up to MAX_LIVE_LINKS live links it is still offered
    expect(await telegramLinkForPayToken(t.tenantId, token)).not.toBeNull();
    const live = await db.run((tx) => tx.telegramLinkToken.count({ where: { renterId: renter.id } }));
    expect(live).toBe(1);
    await db.run((tx) =>
      tx.telegramLinkToken.createMany({
        data: Array.from({ length: MAX_LIVE_LINKS - 2 }, (_, i) => ({
          tenantId: t.tenantId,
          renterId: renter.id,
          tokenHash: `${renter.id}-live-${i}`,
          expiresAt: new Date(Date.now() + 600_000),
        })),
      }),
    );
    expect(await open()).toBe(true);
    expect(await telegramLinkForPayToken(t.tenantId, token)).not.toBeNull();
    // MAX_LIVE_LINKS live links: neither offers one (expired or used ones do not count)
    expect(await open()).toBe(false);
    expect(await telegramLinkForPayToken(t.tenantId, token)).toBeNull();
    await db.run((tx) =>
      tx.telegramLinkToken.updateMany({ where: { renterId: renter.id }, data: { expiresAt: new Date(Date.now() - 1_000) } }),
    );
    expect(await open()).toBe(true);
    // a linked renter: no box
    await db.run((tx) => tx.renter.update({ where: { id: renter.id }, data: { telegramChatId: "4242" } }));
    expect(await open()).toBe(false);
    expect(await telegramLinkForPayToken(t.tenantId, token)).toBeNull();
  });
});
