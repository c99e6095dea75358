// The renter pay page's server-side cost (issue 13): one SSR request (/pay/<token>) is the
// request context (the host, one statement) plus payPage.view: one transaction holding the
// throttles' locks, one statement for the throttles and the token, and one for the page's rows.
// The token is found by its unique key (no scan of the workspace's invoices); every throttle stays in force (rent-payments.test.ts
// covers the limits themselves).
import { beforeAll, describe, expect, it } from "vitest";
import { createContract, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { createRequestResolver } from "@/server/core/tenant-resolver";
import { createContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";
import { PORT, hostOf, uniqueIp } from "./support/world";
import { captureStatements, explainAsApp, scanReads, workStatements } from "./support/sql-plans";

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
