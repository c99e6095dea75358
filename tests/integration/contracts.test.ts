// Contracts end to end through the tRPC procedures, against the real database: drafts, the
// state machine, one active contract per unit (also under two concurrent activations), the unit
// status that follows the contract, deposit outcomes, the signed scan, list filters, the
// "contract.activated" message and the daily "contract-expiring" job (each message once).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import {
  addMember,
  createContract,
  createProperty,
  createRenter,
  createTenant,
  createUnit,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { ContractExpiringService } from "@/server/contracts/contract-expiring.jobs";
import { addDaysToDay, todayIn } from "@/lib/dates";
import { expectTRPCError, hostOf, signedIn, type Caller } from "./support/world";

let tenant: CreatedTenant;
let owner: Caller;
let viewer: Caller;

const db = () => new TenantDb(tenant.tenantId);
const today = () => todayIn("Asia/Phnom_Penh");

function draftInput(unitId: string, renterId: string, extra: Record<string, unknown> = {}) {
  return {
    unitId,
    renterId,
    startDate: "2026-01-01",
    endDate: "2026-12-31",
    rentAmount: 25_000,
    currency: "USD" as const,
    depositAmount: 50_000,
    billingDay: 5,
    ...extra,
  };
}

async function unitStatus(unitId: string) {
  return (await db().run((tx) => tx.unit.findFirstOrThrow({ where: { id: unitId }, select: { status: true } }))).status;
}

beforeAll(async () => {
  tenant = await createTenant({ slug: uniqueSlug("ctr") });
  const v = await addMember(tenant, { email: `viewer@${tenant.slug}.test`, role: "viewer" });
  owner = await signedIn(tenant.owner.userId, hostOf(tenant.slug));
  viewer = await signedIn(v.userId, hostOf(tenant.slug));
});

describe("drafts", () => {
  it("creates, edits and deletes a draft; money stays in minor units; audited", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    const renter = await createRenter({ tenantId: tenant.tenantId });
    const { id } = await owner.contracts.create(
      draftInput(unit.id, renter.id, {
        recurringCharges: [{ description: "Parking", amount: 1_000 }],
        lateFeeType: "fixed",
        lateFeeValue: 500,
      }),
    );
    const got = await owner.contracts.get({ contractId: id });
    expect(got).toMatchObject({
      status: "draft",
      unitId: unit.id,
      renterId: renter.id,
      startDate: "2026-01-01",
      endDate: "2026-12-31",
      rentAmount: 25_000,
      depositAmount: 50_000,
      lateFeeType: "fixed",
      lateFeeValue: 500,
      recurringCharges: [{ description: "Parking", amount: 1_000 }],
      actions: ["activate"],
    });
    expect(await unitStatus(unit.id)).toBe("vacant");

    await owner.contracts.update({ contractId: id, ...draftInput(unit.id, renter.id, { rentAmount: 30_000, endDate: null }) });
    expect(await owner.contracts.get({ contractId: id })).toMatchObject({ rentAmount: 30_000, endDate: null, lateFeeType: "none" });

    const audit = await db().run((tx) =>
      tx.auditLog.findMany({ where: { targetId: id }, select: { action: true }, orderBy: { createdAt: "asc" } }),
    );
    expect(audit.map((a) => a.action)).toEqual(["contract.created", "contract.updated"]);

    await owner.contracts.deleteDraft({ contractId: id });
    await expectTRPCError(owner.contracts.get({ contractId: id }), "NOT_FOUND");
  });

  it("refuses bad terms and unknown parties", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    const renter = await createRenter({ tenantId: tenant.tenantId });
    await expectTRPCError(owner.contracts.create(draftInput(unit.id, renter.id, { endDate: "2025-12-31" })), "BAD_REQUEST");
    await expectTRPCError(owner.contracts.create(draftInput(unit.id, renter.id, { billingDay: 29 })), "BAD_REQUEST");
    await expectTRPCError(owner.contracts.create(draftInput(unit.id, renter.id, { rentAmount: 0 })), "BAD_REQUEST");
    await expectTRPCError(
      owner.contracts.create(draftInput(unit.id, renter.id, { lateFeeType: "percent", lateFeeValue: 20_000 })),
      "BAD_REQUEST",
    );
    await expectTRPCError(owner.contracts.create(draftInput(randomUUID(), renter.id)), "NOT_FOUND", {
      key: "contracts.errors.unitNotFound",
    });
    await expectTRPCError(owner.contracts.create(draftInput(unit.id, randomUUID())), "NOT_FOUND", {
      key: "contracts.errors.renterNotFound",
    });
  });

  it("needs contracts.manage to write and contracts.view to read", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    const renter = await createRenter({ tenantId: tenant.tenantId });
    await expectTRPCError(viewer.contracts.create(draftInput(unit.id, renter.id)), "FORBIDDEN");
    const c = await createContract({ tenantId: tenant.tenantId, unitId: unit.id, renterId: renter.id });
    await expectTRPCError(viewer.contracts.activate({ contractId: c.id }), "FORBIDDEN");
    expect((await viewer.contracts.get({ contractId: c.id })).id).toBe(c.id);
  });
});

describe("lifecycle and one active contract per unit", () => {
  it("activation occupies the unit and messages the renter once; ending frees it", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId, code: "A-101" });
    const renter = await createRenter({
      tenantId: tenant.tenantId,
      email: `renter-${randomUUID().slice(0, 6)}@example.test`,
      locale: "en",
    });
    const c = await createContract({
      tenantId: tenant.tenantId,
      unitId: unit.id,
      renterId: renter.id,
      depositAmount: 40_000,
      startDate: "2026-01-01",
    });

    expect(await owner.contracts.activate({ contractId: c.id })).toEqual({ id: c.id, status: "active" });
    expect(await unitStatus(unit.id)).toBe("occupied");
    const detail = await owner.contracts.get({ contractId: c.id });
    expect(detail.actions).toEqual(["end", "terminate"]);
    expect(detail.activatedAt).not.toBeNull();

    const messages = await db().run((tx) => tx.outboundMessage.findMany({ where: { dedupeKey: `contract-activated:${c.id}` } }));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ key: "contract.activated", to: renter.email, locale: "en" });
    expect(messages[0]!.variables).toMatchObject({ unit: "A-101", workspace: tenant.slug });
    // the renter has no login: no link into the workspace
    expect(Object.keys(messages[0]!.variables as Record<string, string>).sort()).toEqual(["renter", "startDate", "unit", "workspace"]);

    // activating again is an illegal move, and sends nothing more
    await expectTRPCError(owner.contracts.activate({ contractId: c.id }), "PRECONDITION_FAILED", {
      key: "contracts.errors.illegalTransition",
    });
    await expectTRPCError(owner.contracts.update({ contractId: c.id, ...draftInput(unit.id, renter.id) }), "PRECONDITION_FAILED", {
      key: "contracts.errors.notDraft",
    });
    await expectTRPCError(owner.contracts.deleteDraft({ contractId: c.id }), "PRECONDITION_FAILED");

    await owner.contracts.end({ contractId: c.id, date: "2026-06-30", depositOutcome: "returned" });
    expect(await unitStatus(unit.id)).toBe("vacant");
    expect(await owner.contracts.get({ contractId: c.id })).toMatchObject({
      status: "ended",
      endDate: "2026-06-30",
      depositOutcome: "returned",
      depositReturnedAmount: 40_000,
      actions: [],
    });
    await expectTRPCError(
      owner.contracts.terminate({ contractId: c.id, date: "2026-07-01", depositOutcome: "withheld" }),
      "PRECONDITION_FAILED",
    );
    await expectTRPCError(owner.contracts.activate({ contractId: c.id }), "PRECONDITION_FAILED");
    expect(await db().run((tx) => tx.outboundMessage.count({ where: { dedupeKey: `contract-activated:${c.id}` } }))).toBe(1);
  });

  it("a renter without e-mail gets no message", async () => {
    const c = await createContract({ tenantId: tenant.tenantId });
    await owner.contracts.activate({ contractId: c.id });
    expect(await db().run((tx) => tx.outboundMessage.count({ where: { dedupeKey: `contract-activated:${c.id}` } }))).toBe(0);
  });

  it("a draft cannot be ended or terminated", async () => {
    const c = await createContract({ tenantId: tenant.tenantId });
    await expectTRPCError(
      owner.contracts.end({ contractId: c.id, date: "2026-06-30", depositOutcome: "returned" }),
      "PRECONDITION_FAILED",
      {
        key: "contracts.errors.illegalTransition",
      },
    );
    await expectTRPCError(
      owner.contracts.terminate({ contractId: c.id, date: "2026-06-30", depositOutcome: "returned" }),
      "PRECONDITION_FAILED",
    );
  });

  it("a second contract for an occupied unit cannot be activated (CONFLICT), and can after the first ends", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId, code: "B-7" });
    const first = await createContract({ tenantId: tenant.tenantId, unitId: unit.id, status: "active", startDate: "2026-01-01" });
    const second = await createContract({ tenantId: tenant.tenantId, unitId: unit.id });
    await expectTRPCError(owner.contracts.activate({ contractId: second.id }), "CONFLICT", { key: "contracts.errors.unitHasActive" });
    expect((await owner.contracts.get({ contractId: second.id })).status).toBe("draft");

    await owner.contracts.terminate({ contractId: first.id, date: "2026-03-15", depositOutcome: "returned", reason: "moved away" });
    expect(await unitStatus(unit.id)).toBe("vacant");
    await owner.contracts.activate({ contractId: second.id });
    expect(await unitStatus(unit.id)).toBe("occupied");
  });

  it("two concurrent activations for the same unit: exactly one wins, the other gets a clear CONFLICT", async () => {
    for (let round = 0; round < 3; round++) {
      const unit = await createUnit({ tenantId: tenant.tenantId });
      const [x, y] = await Promise.all([
        createContract({ tenantId: tenant.tenantId, unitId: unit.id }),
        createContract({ tenantId: tenant.tenantId, unitId: unit.id }),
      ]);
      const other = await signedIn(tenant.owner.userId, hostOf(tenant.slug));
      const results = await Promise.allSettled([
        owner.contracts.activate({ contractId: x.id }),
        other.contracts.activate({ contractId: y.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      await expectTRPCError(Promise.reject(rejected.reason), "CONFLICT");
      expect(["contracts.errors.unitHasActive", "contracts.errors.unitHasActiveRace"]).toContain(
        (rejected.reason as { cause: { key: string } }).cause.key,
      );
      const active = await db().run((tx) => tx.contract.findMany({ where: { unitId: unit.id, status: "active" }, select: { id: true } }));
      expect(active).toHaveLength(1);
      expect(await unitStatus(unit.id)).toBe("occupied");
    }
  });

  it("the database itself refuses a second active contract for a unit", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    await createContract({ tenantId: tenant.tenantId, unitId: unit.id, status: "active" });
    await expect(createContract({ tenantId: tenant.tenantId, unitId: unit.id, status: "active" })).rejects.toThrow();
  });
});

describe("deposit outcome", () => {
  it("records returned / partially returned / withheld amounts and refuses amounts that do not fit", async () => {
    const make = () => createContract({ tenantId: tenant.tenantId, status: "active", depositAmount: 50_000, startDate: "2026-01-01" });

    const partial = await make();
    for (const amount of [null, 0, 50_000, 60_000]) {
      await expectTRPCError(
        owner.contracts.end({
          contractId: partial.id,
          date: "2026-06-30",
          depositOutcome: "partially_returned",
          depositReturnedAmount: amount,
        }),
        "BAD_REQUEST",
        { key: "contracts.errors.partialAmount" },
      );
    }
    await expectTRPCError(owner.contracts.end({ contractId: partial.id, date: "2025-12-31", depositOutcome: "returned" }), "BAD_REQUEST", {
      key: "contracts.errors.closeBeforeStart",
    });
    expect((await owner.contracts.get({ contractId: partial.id })).status).toBe("active");
    await owner.contracts.end({
      contractId: partial.id,
      date: "2026-06-30",
      depositOutcome: "partially_returned",
      depositReturnedAmount: 20_000,
    });
    expect(await owner.contracts.get({ contractId: partial.id })).toMatchObject({
      status: "ended",
      depositOutcome: "partially_returned",
      depositReturnedAmount: 20_000,
    });

    const withheld = await make();
    await owner.contracts.terminate({
      contractId: withheld.id,
      date: "2026-04-10",
      depositOutcome: "withheld",
      depositReturnedAmount: 999,
      reason: "damage",
    });
    const w = await owner.contracts.get({ contractId: withheld.id });
    expect(w).toMatchObject({
      status: "terminated",
      depositOutcome: "withheld",
      depositReturnedAmount: 0,
      endReason: "damage",
      endDate: "2026-04-10",
    });
    expect(w.terminatedAt).not.toBeNull();

    const audit = await db().run((tx) => tx.auditLog.findFirstOrThrow({ where: { targetId: withheld.id, action: "contract.terminated" } }));
    expect(audit.metadata).toMatchObject({ after: { status: "terminated", depositOutcome: "withheld", depositReturnedAmount: 0 } });

    const noDeposit = await createContract({ tenantId: tenant.tenantId, status: "active", depositAmount: 0 });
    await expectTRPCError(owner.contracts.end({ contractId: noDeposit.id, date: today(), depositOutcome: "withheld" }), "BAD_REQUEST", {
      key: "contracts.errors.noDepositToKeep",
    });
    await owner.contracts.end({ contractId: noDeposit.id, date: today(), depositOutcome: "returned" });
    expect((await owner.contracts.get({ contractId: noDeposit.id })).depositReturnedAmount).toBe(0);
  });

  it("leaves a unit in maintenance in maintenance", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    const c = await createContract({ tenantId: tenant.tenantId, unitId: unit.id, status: "active" });
    await db().run((tx) => tx.unit.update({ where: { id: unit.id }, data: { status: "maintenance" } }));
    await owner.contracts.end({ contractId: c.id, date: today(), depositOutcome: "returned" });
    expect(await unitStatus(unit.id)).toBe("maintenance");
  });
});

describe("signed scan", () => {
  it("attaches a private contract_scan upload and nothing else", async () => {
    const c = await createContract({ tenantId: tenant.tenantId });
    const file = (purpose: string) => ({
      id: randomUUID(),
      tenantId: tenant.tenantId,
      visibility: "private" as const,
      purpose,
      storageKey: `${tenant.tenantId}/${randomUUID()}`,
      originalName: "signed.pdf",
      mimeType: "application/pdf",
      sizeBytes: 1000,
      checksumSha256: "0".repeat(64),
    });
    const scan = file("contract_scan");
    const idScan = file("renter_id");
    await db().run((tx) => tx.file.createMany({ data: [scan, idScan] }));

    await expectTRPCError(owner.contracts.attachScan({ contractId: c.id, fileId: idScan.id }), "BAD_REQUEST");
    await expectTRPCError(owner.contracts.attachScan({ contractId: c.id, fileId: randomUUID() }), "NOT_FOUND");
    await owner.contracts.attachScan({ contractId: c.id, fileId: scan.id });
    expect((await owner.contracts.get({ contractId: c.id })).signedFile).toMatchObject({
      id: scan.id,
      url: `/files/${scan.id}`,
      originalName: "signed.pdf",
    });

    const other = await createContract({ tenantId: tenant.tenantId });
    await expectTRPCError(owner.contracts.attachScan({ contractId: other.id, fileId: scan.id }), "CONFLICT");

    await owner.contracts.attachScan({ contractId: c.id, fileId: null });
    expect((await owner.contracts.get({ contractId: c.id })).signedFile).toBeNull();
  });
});

describe("list filters", () => {
  it("filters by status, property, renter and endingWithinDays (from the URL's names)", async () => {
    const t = await createTenant({ slug: uniqueSlug("ctl") });
    const caller = await signedIn(t.owner.userId, hostOf(t.slug));
    const p1 = await createProperty({ tenantId: t.tenantId, name: "North" });
    const p2 = await createProperty({ tenantId: t.tenantId, name: "South" });
    const renter = await createRenter({ tenantId: t.tenantId, nameLatin: "Keo Sophea" });
    const now = today();
    const soon = await createContract({
      tenantId: t.tenantId,
      propertyId: p1.id,
      status: "active",
      startDate: "2025-01-01",
      endDate: addDaysToDay(now, 20),
    });
    const later = await createContract({
      tenantId: t.tenantId,
      propertyId: p1.id,
      status: "active",
      startDate: "2025-02-01",
      endDate: addDaysToDay(now, 90),
    });
    const openEnded = await createContract({
      tenantId: t.tenantId,
      propertyId: p2.id,
      renterId: renter.id,
      status: "active",
      startDate: "2025-03-01",
    });
    const draft = await createContract({
      tenantId: t.tenantId,
      propertyId: p2.id,
      renterId: renter.id,
      endDate: addDaysToDay(now, 10),
      startDate: "2025-04-01",
    });
    const past = await createContract({
      tenantId: t.tenantId,
      propertyId: p2.id,
      status: "ended",
      startDate: "2024-01-01",
      endDate: addDaysToDay(now, -5),
    });

    const ids = async (input: Parameters<Caller["contracts"]["list"]>[0]) =>
      (await caller.contracts.list(input)).items.map((r) => r.id).sort();
    expect(await ids({})).toEqual([soon.id, later.id, openEnded.id, draft.id, past.id].sort());
    expect(await ids({ status: "active" })).toEqual([soon.id, later.id, openEnded.id].sort());
    expect(await ids({ status: "draft" })).toEqual([draft.id]);
    expect(await ids({ propertyId: p1.id })).toEqual([soon.id, later.id].sort());
    expect(await ids({ renterId: renter.id })).toEqual([openEnded.id, draft.id].sort());
    expect(await ids({ status: "active", endingWithinDays: 60 })).toEqual([soon.id]);
    expect(await ids({ endingWithinDays: 120 })).toEqual([soon.id, later.id].sort());
    expect(await ids({ search: "sophea" })).toEqual([openEnded.id, draft.id].sort());

    // sorted by start date, newest first, with keyset paging
    const page1 = await caller.contracts.list({ limit: 2 });
    expect(page1.items.map((r) => r.id)).toEqual([draft.id, openEnded.id]);
    const page2 = await caller.contracts.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((r) => r.id)).toEqual([later.id, soon.id]);
    const page3 = await caller.contracts.list({ limit: 2, cursor: page2.nextCursor! });
    expect(page3.items.map((r) => r.id)).toEqual([past.id]);
    expect(page3.nextCursor).toBeNull();
    expect(page1.items[0]).toMatchObject({ propertyName: "South", renterName: "Keo Sophea", status: "draft" });
  });
});

describe("contract-expiring job", () => {
  it("tells each renter once, 30 days ahead, in their workspace's time zone", async () => {
    const t = await createTenant({ slug: uniqueSlug("cex") });
    const email = () => `r-${randomUUID().slice(0, 8)}@example.test`;
    const now = new Date();
    const day = todayIn("Asia/Phnom_Penh", now);
    const inWindow = await createContract({
      tenantId: t.tenantId,
      status: "active",
      endDate: addDaysToDay(day, 30),
      startDate: "2025-01-01",
      renterId: (await createRenter({ tenantId: t.tenantId, email: email(), locale: "km" })).id,
    });
    const endsToday = await createContract({
      tenantId: t.tenantId,
      status: "active",
      endDate: day,
      startDate: "2025-01-01",
      renterId: (await createRenter({ tenantId: t.tenantId, email: email(), locale: "en" })).id,
    });
    const tooFar = await createContract({
      tenantId: t.tenantId,
      status: "active",
      endDate: addDaysToDay(day, 31),
      startDate: "2025-01-01",
      renterId: (await createRenter({ tenantId: t.tenantId, email: email() })).id,
    });
    const noEmail = await createContract({
      tenantId: t.tenantId,
      status: "active",
      endDate: addDaysToDay(day, 5),
      startDate: "2025-01-01",
    });
    const draft = await createContract({
      tenantId: t.tenantId,
      endDate: addDaysToDay(day, 5),
      startDate: "2025-01-01",
      renterId: (await createRenter({ tenantId: t.tenantId, email: email() })).id,
    });

    const first = await new ContractExpiringService(() => now).run();
    expect(first.queued).toBeGreaterThanOrEqual(2);
    const second = await new ContractExpiringService(() => now).run();
    expect(second.queued).toBe(0);
    expect(second.alreadySent).toBeGreaterThanOrEqual(2);

    const messages = await new TenantDb(t.tenantId).run((tx) =>
      tx.outboundMessage.findMany({ where: { key: "contract.expiring" }, select: { dedupeKey: true, locale: true, variables: true } }),
    );
    expect(messages.map((m) => m.dedupeKey).sort()).toEqual(
      [`contract-expiring:${inWindow.id}:${addDaysToDay(day, 30)}`, `contract-expiring:${endsToday.id}:${day}`].sort(),
    );
    const km = messages.find((m) => m.dedupeKey.includes(inWindow.id))!;
    expect(km.locale).toBe("km");
    expect(km.variables).toMatchObject({ workspace: t.slug });
    expect(String((km.variables as Record<string, string>).endDate)).toMatch(/[\u1780-\u17FF]/);
    for (const c of [tooFar, noEmail, draft]) expect(messages.some((m) => m.dedupeKey.includes(c.id))).toBe(false);
  });

  it("is a scheduled job with an Inngest function", async () => {
    const { JOBS } = await import("@/server/ops/jobs.admin");
    const { functions } = await import("@/inngest");
    expect(JOBS["contract-expiring"].schedule).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(functions.map((f) => f.id())).toContain("contract-expiring");
  });
});
