// The dashboard's first-run checklist (issue 17): each step ticks itself off from the workspace's
// own rows, in one statement of EXISTS, and never from another workspace's; the owner can hide it.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createContract,
  createRenter,
  createRentInvoice,
  createTenant,
  createUnit,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { TenantDb } from "@/server/db/tenant-db";
import { OnboardingChecklistService, hasBakongAccount } from "@/server/dashboard/onboarding-checklist";
import type { OnboardingChecklist } from "@/lib/onboarding";
import { callerFor, expectTRPCError, hostOf, ownerContext, sessionFor } from "./support/world";
import { captureStatements, workStatements } from "./support/sql-plans";

const done = (c: OnboardingChecklist) => Object.fromEntries(c.steps.map((s) => [s.key, s.done]));

describe("first-run checklist", () => {
  let a: CreatedTenant;
  let b: CreatedTenant;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTenant({ slug: uniqueSlug("onba") }), createTenant({ slug: uniqueSlug("onbb") })]);
  });

  it("starts with nothing done, in the set-up order, each step linking to its page", async () => {
    const list = await new OnboardingChecklistService(await ownerContext(a)).get();
    expect(list.steps.map((s) => [s.key, s.href, s.done])).toEqual([
      ["units", "/properties", false],
      ["renters", "/renters", false],
      ["contracts", "/contracts", false],
      ["bakong", "/settings#settings-bakong", false],
      ["readings", "/readings", false],
      ["invoices", "/invoices", false],
    ]);
    expect(list).toMatchObject({ allDone: false, dismissed: false });
  });

  it("ticks each step off from the workspace's rows, in one statement, and only from its own", async () => {
    const unit = await createUnit({ tenantId: a.tenantId });
    const renter = await createRenter({ tenantId: a.tenantId });
    const ctxA = await ownerContext(a);
    expect(done(await new OnboardingChecklistService(ctxA).get())).toMatchObject({ units: true, renters: true, contracts: false });

    const contract = await createContract({ tenantId: a.tenantId, unitId: unit.id, renterId: renter.id, status: "active" });
    await new TenantDb(a.tenantId).run(async (tx) => {
      await tx.tenant.update({ where: { id: a.tenantId }, data: { bakongAccountId: "landlord@aclb" } });
      await tx.meterReading.create({
        data: { tenantId: a.tenantId, unitId: unit.id, kind: "electricity", period: "2026-03", reading: 120 },
      });
    });
    await createRentInvoice({ tenantId: a.tenantId, contractId: contract.id, period: "2026-03", now: new Date("2026-03-05T03:00:00Z") });

    const { result, statements } = await captureStatements(() => new OnboardingChecklistService(ctxA).get());
    expect(workStatements(statements)).toHaveLength(1);
    expect(result).toMatchObject({ allDone: true, dismissed: false });
    expect(Object.values(done(result)).every(Boolean)).toBe(true);

    // B has none of A's rows: nothing is ticked off there
    const listB = await new OnboardingChecklistService(await ownerContext(b)).get();
    expect(Object.values(done(listB)).some(Boolean)).toBe(false);
  });

  it("an empty Bakong account does not count as set; a saved one does", async () => {
    const t = await createTenant({ slug: uniqueSlug("onbk") });
    await new TenantDb(t.tenantId).run((tx) => tx.tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: "" } }));
    const ctx = await ownerContext(t);
    expect(done(await new OnboardingChecklistService(ctx).get()).bakong).toBe(false);
    // the contract form and the invoice run show their Bakong prompt
    expect(await hasBakongAccount(ctx)).toBe(false);
    await new TenantDb(t.tenantId).run((tx) => tx.tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: "me@aclb" } }));
    expect(await hasBakongAccount(ctx)).toBe(true);
    expect(done(await new OnboardingChecklistService(ctx).get()).bakong).toBe(true);
  });

  it("the owner hides it for the workspace; a viewer cannot; another workspace keeps its own", async () => {
    const t = await createTenant({ slug: uniqueSlug("onbd") });
    const viewer = await addMember(t, { email: `viewer@${t.slug}.test`, role: "viewer" });
    const asViewer = await callerFor(hostOf(t.slug), await sessionFor(viewer.userId, hostOf(t.slug)));
    // a viewer sees the checklist but cannot hide it
    expect((await asViewer.dashboard.checklist()).dismissed).toBe(false);
    await expectTRPCError(asViewer.dashboard.dismissChecklist(), "FORBIDDEN");

    const asOwner = await callerFor(hostOf(t.slug), await sessionFor(t.owner.userId, hostOf(t.slug)));
    expect(await asOwner.dashboard.dismissChecklist()).toEqual({ dismissed: true });
    expect((await asOwner.dashboard.checklist()).dismissed).toBe(true);
    expect((await asViewer.dashboard.checklist()).dismissed).toBe(true);
    expect((await new OnboardingChecklistService(await ownerContext(b)).get()).dismissed).toBe(false);
  });
});
