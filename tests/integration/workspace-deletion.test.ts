// Workspace deletion (issue 14): an owner closes the workspace (typed address + password), it stays
// closed and restorable for the grace period (owner from the closed page, platform admin from the
// console), then the workspace-deletion job deletes every row of the tenant in every table with a
// tenantId (found from information_schema, not listed here) and every stored file, leaving one
// platform audit tombstone. Other workspaces are untouched. Controlled clock; real database.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createContract,
  createRentInvoice,
  createTenant,
  createUser,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { listStoredFiles, readStoredFile, storageKeyFor, writeStoredFile } from "@/server/files/storage";
import { WorkspaceDeletionService } from "@/server/workspaces/deletion.admin";
import { WorkspacePurgeService } from "@/server/workspaces/deletion.jobs";
import type { SessionUser } from "@/server/core/session";
import { APEX, callerFor, expectTRPCError, hostOf, passMfa, sessionFor, signedIn, testMeta, uniqueEmail } from "./support/world";

const PASSWORD = "correct horse battery staple";
const DAY = 24 * 3600_000;
const T0 = new Date("2030-01-10T08:00:00Z");
const at = (days: number) => () => new Date(T0.getTime() + days * DAY);
const POLICY = { WORKSPACE_DELETION_GRACE_DAYS: 30, RENTER_FINANCIAL_RETENTION_DAYS: 3650 };

type Member = { userId: string; email: string; membershipId: string };

/** Every table of the schema with a "tenantId" column, from the schema itself. */
async function tenantTables(): Promise<string[]> {
  const rows = await platformDb.run(
    (tx) =>
      tx.$queryRaw<{ table: string }[]>`
      SELECT c.table_name AS "table" FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'tenantId' AND t.table_type = 'BASE TABLE'`,
  );
  return rows.map((r) => r.table).sort();
}

/** Rows of `tenantId` in each tenant table (platform handle: RLS would hide a closed or gone tenant's rows). */
async function rowsOf(tenantId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await tenantTables()) {
    const [r] = await platformDb.run((tx) =>
      tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "tenantId" = $1::uuid`, tenantId),
    );
    out[table] = Number(r!.n);
  }
  out.Tenant = await platformDb.run((tx) => tx.tenant.count({ where: { id: tenantId } }));
  return out;
}

async function keysOf(tenantId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listStoredFiles(tenantId)) keys.push(o.key);
  return keys;
}

/** A workspace with something in most of its tables: members, rentals, an invoice, messages, audit rows, a stored file. */
async function populated(prefix: string): Promise<CreatedTenant & { admin: Member; manager: Member; fileKey: string }> {
  const slug = uniqueSlug(prefix);
  const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
  const admin = await addMember(t, { email: uniqueEmail("admin", slug), role: "admin", password: PASSWORD });
  const manager = await addMember(t, { email: uniqueEmail("manager", slug), role: "manager", password: PASSWORD });
  const contract = await createContract({ tenantId: t.tenantId, status: "active", startDate: "2029-06-01" });
  await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2029-07" });
  const fileId = randomUUID();
  const fileKey = storageKeyFor(t.tenantId, fileId);
  await writeStoredFile(fileKey, Buffer.from(`ID scan of a renter of ${slug}`));
  await new TenantDb(t.tenantId).run(async (tx) => {
    await tx.file.create({
      data: {
        id: fileId,
        tenantId: t.tenantId,
        visibility: "private",
        purpose: "renter_id",
        storageKey: fileKey,
        originalName: "id.jpg",
        mimeType: "image/jpeg",
        sizeBytes: 10,
        checksumSha256: "0".repeat(64),
      },
    });
    await tx.renter.update({ where: { id: contract.renterId }, data: { idDocumentFileId: fileId } });
    await tx.outboundMessage.create({
      data: { tenantId: t.tenantId, key: "rent.reminder", locale: "en", to: `renter@${slug}.test`, dedupeKey: `d-${slug}`, variables: {} },
    });
    await tx.auditLog.create({ data: { tenantId: t.tenantId, action: "renter.created", actorUserId: t.owner.userId } });
  });
  // a session bound to the workspace's host (UserSession.tenantId)
  await sessionFor(manager.userId, hostOf(slug));
  return { ...t, admin, manager, fileKey };
}

let a: Awaited<ReturnType<typeof populated>>;
let b: Awaited<ReturnType<typeof populated>>;

beforeAll(async () => {
  [a, b] = await Promise.all([populated("wdela"), populated("wdelb")]);
});

describe("closing a workspace", () => {
  it("is refused to anyone but an owner, and without the typed address and the owner's password", async () => {
    const admin = await signedIn(a.admin.userId, hostOf(a.slug));
    await expectTRPCError(admin.workspaceDeletion.close({ slug: a.slug, password: PASSWORD }), "FORBIDDEN", {
      key: "workspaceDeletion.errors.notOwner",
    });
    const manager = await signedIn(a.manager.userId, hostOf(a.slug));
    await expectTRPCError(manager.workspaceDeletion.close({ slug: a.slug, password: PASSWORD }), "FORBIDDEN");
    const owner = await signedIn(a.owner.userId, hostOf(a.slug));
    await expectTRPCError(owner.workspaceDeletion.close({ slug: b.slug, password: PASSWORD }), "NOT_FOUND", {
      key: "workspaceDeletion.errors.slugMismatch",
    });
    await expectTRPCError(owner.workspaceDeletion.close({ slug: a.slug, password: "not the password" }), "BAD_REQUEST", {
      key: "workspaceDeletion.errors.wrongPassword",
    });
    // B's owner on B's host cannot reach A at all; A is still open
    const bOwner = await signedIn(b.owner.userId, hostOf(b.slug));
    await expectTRPCError(bOwner.workspaceDeletion.close({ slug: a.slug, password: PASSWORD }), "NOT_FOUND");
    expect((await getDb().tenant.findUniqueOrThrow({ where: { id: a.tenantId } })).status).toBe("active");
  });

  it("closes it for everyone; the owner restores it from the closed page within the grace period", async () => {
    const slug = uniqueSlug("wdelr");
    const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
    const viewer = await addMember(t, { email: uniqueEmail("viewer", slug), role: "viewer" });
    // each call a new request (a caller reads the workspace's state once, like one HTTP request)
    const ownerClaims = await sessionFor(t.owner.userId, hostOf(slug));
    const asOwner = () => callerFor(hostOf(slug), ownerClaims);
    const { deleteAfter } = await (await asOwner()).workspaceDeletion.close({ slug: ` ${slug.toUpperCase()} `, password: PASSWORD });
    const row = await getDb().tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(row).toMatchObject({ status: "closed", closedByUserId: t.owner.userId, deleteAfter });
    expect(deleteAfter.getTime() - row.closedAt!.getTime()).toBe(30 * DAY);

    // nobody uses it: every other procedure is refused, for the owner too
    await expectTRPCError((await asOwner()).workspace.current(), "FORBIDDEN", { key: "errors.workspaceClosed" });
    const v = await signedIn(viewer.userId, hostOf(slug));
    await expectTRPCError(v.renters.list({}), "FORBIDDEN", { key: "errors.workspaceClosed" });
    // the closed page: members see the date, only an owner may restore
    expect(await v.workspaceDeletion.status()).toMatchObject({ status: "closed", deleteAfter, isOwner: false });
    await expectTRPCError(v.workspaceDeletion.restore(), "FORBIDDEN", { key: "workspaceDeletion.errors.notOwner" });
    expect(await (await asOwner()).workspaceDeletion.status()).toMatchObject({ status: "closed", isOwner: true, graceDays: 30 });

    expect(await (await asOwner()).workspaceDeletion.restore()).toEqual({ status: "active" });
    expect(await getDb().tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).toMatchObject({
      status: "active",
      closedAt: null,
      deleteAfter: null,
      closedByUserId: null,
    });
    await expect((await asOwner()).workspace.current()).resolves.toMatchObject({ tenant: { slug } });
    // a second click changes nothing
    expect(await (await asOwner()).workspaceDeletion.restore()).toEqual({ status: "active" });
    const actions = await new TenantDb(t.tenantId).run((tx) =>
      tx.auditLog.findMany({
        where: { action: { startsWith: "tenant.deletion" } },
        orderBy: { createdAt: "asc" },
        select: { action: true },
      }),
    );
    expect(actions.map((x) => x.action)).toEqual(["tenant.deletion_requested", "tenant.deletion_cancelled"]);
  });

  it("a platform admin restores it from the console (audited); not after the grace period", async () => {
    const slug = uniqueSlug("wdelc");
    const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
    const member = {
      ...t.owner,
      tenantId: t.tenantId,
      userEmail: t.owner.email,
      roleKey: "owner",
      impersonatorUserId: null,
      meta: testMeta(),
    };
    await new WorkspaceDeletionService(at(0), POLICY).close(member, { slug, password: PASSWORD });
    const adminUser = await createUser({ email: uniqueEmail("platform", slug), isPlatformAdmin: true });
    const adminSession: SessionUser = {
      userId: adminUser.id,
      sessionId: randomUUID(),
      email: adminUser.email,
      name: adminUser.name,
      locale: null,
      isPlatformAdmin: true,
      mfaVerified: true,
      impersonatorUserId: null,
    };
    // restoring past the grace period is refused (deletion is due); within it, it works
    await expect(new WorkspaceDeletionService(at(30), POLICY).restoreByAdmin(adminSession, t.tenantId, testMeta())).rejects.toMatchObject({
      key: "workspaceDeletion.errors.graceOver",
    });
    await expect(new WorkspaceDeletionService(at(29), POLICY).restoreByAdmin(adminSession, t.tenantId, testMeta())).resolves.toEqual({
      status: "active",
    });
    const audit = await new TenantDb(t.tenantId).run((tx) => tx.auditLog.findFirstOrThrow({ where: { action: "admin.tenant.restored" } }));
    expect(audit).toMatchObject({ actorUserId: adminUser.id, targetId: t.tenantId });

    // and through the console's procedure (closed by the owner just now)
    const owner = await signedIn(t.owner.userId, hostOf(slug));
    await owner.workspaceDeletion.close({ slug, password: PASSWORD });
    const adminCaller = await callerFor(APEX, await passMfa(await sessionFor(adminUser.id, APEX)));
    // the console's suspend/reactivate do not apply to a closed workspace
    await expectTRPCError(adminCaller.admin.reactivateTenant({ tenantId: t.tenantId }), "PRECONDITION_FAILED", {
      key: "workspaceDeletion.errors.closed",
    });
    // a workspace owner cannot reach the console's procedure
    await expectTRPCError(owner.admin.restoreClosedTenant({ tenantId: t.tenantId }), "NOT_FOUND");
    expect(await adminCaller.admin.restoreClosedTenant({ tenantId: t.tenantId })).toEqual({ status: "active" });
    await expect(owner.workspace.current()).resolves.toMatchObject({ tenant: { slug } });
  });
});

describe("the workspace-deletion job", () => {
  it("deletes nothing before the grace period ends, then every row of the tenant in every table and its files", async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThan(20);
    const member = {
      ...a.owner,
      tenantId: a.tenantId,
      userEmail: a.owner.email,
      roleKey: "owner",
      impersonatorUserId: null,
      meta: testMeta(),
    };
    await new WorkspaceDeletionService(at(0), POLICY).close(member, { slug: a.slug, password: PASSWORD });

    const aBefore = await rowsOf(a.tenantId);
    const bBefore = await rowsOf(b.tenantId);
    for (const t of ["Membership", "Renter", "Contract", "RentInvoice", "File", "OutboundMessage", "AuditLog", "UserSession"]) {
      expect(aBefore[t], t).toBeGreaterThan(0);
    }

    // a day before the end of the grace period: nothing happens
    expect(await new WorkspacePurgeService(at(29)).run({ tenantIds: [a.tenantId, b.tenantId] })).toEqual({
      workspaces: 0,
      rows: 0,
      files: 0,
    });
    expect(await rowsOf(a.tenantId)).toEqual(aBefore);
    expect(await readStoredFile(a.fileKey)).not.toBeNull();

    const result = await new WorkspacePurgeService(at(30)).run({ tenantIds: [a.tenantId, b.tenantId] });
    expect(result).toMatchObject({ workspaces: 1, files: 1 });
    expect(result.rows).toBe(Object.values(aBefore).reduce((x, y) => x + y, 0));

    // no row with A's tenantId in ANY table, A's files gone; B exactly as before
    const aAfter = await rowsOf(a.tenantId);
    expect(Object.entries(aAfter).filter(([, n]) => n > 0)).toEqual([]);
    expect(await readStoredFile(a.fileKey)).toBeNull();
    expect(await keysOf(a.tenantId)).toEqual([]);
    expect(await rowsOf(b.tenantId)).toEqual(bBefore);
    expect(await keysOf(b.tenantId)).toEqual([b.fileKey]);
    // A's users still exist (they may belong elsewhere); only their membership went
    expect(await getDb().user.count({ where: { id: { in: [a.owner.userId, a.manager.userId] } } })).toBe(2);

    // the tombstone: one platform row, no personal data
    const tomb = await platformDb.run((tx) => tx.auditLog.findMany({ where: { action: "admin.tenant.deleted", targetId: a.tenantId } }));
    expect(tomb).toHaveLength(1);
    expect(tomb[0]).toMatchObject({ tenantId: null, targetType: "tenant" });
    expect(tomb[0]!.metadata).toMatchObject({
      slug: a.slug,
      closedAt: T0.toISOString(),
      deleteAfter: at(30)().toISOString(),
      deletedAt: at(30)().toISOString(),
      requestedByUserId: a.owner.userId,
    });
    expect(JSON.stringify(tomb[0])).not.toContain("@");

    // idempotent, and the address is free again; a restore finds nothing
    expect(await new WorkspacePurgeService(at(31)).run({ tenantIds: [a.tenantId] })).toEqual({ workspaces: 0, rows: 0, files: 0 });
    await expect(new WorkspaceDeletionService(at(31), POLICY).restoreByOwner(member)).rejects.toMatchObject({ key: "errors.notFound" });
  });
});
