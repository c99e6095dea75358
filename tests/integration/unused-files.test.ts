// The cleanup job's sweep of unused uploads (server/files/unused-file-sweep.jobs.ts):
// files nothing points at for a day are removed, rows and bytes, so they stop counting against
// the plan's storage; files in use, fresh uploads and a file being attached at that moment stay.
// Real database with row-level security, real files in a temporary FILE_STORAGE_DIR.
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContract, createProperty, createRenter, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { SAMPLE_PDF, SAMPLE_PNG } from "@/server/testing/sample-files";
import { CleanupService } from "@/server/ops/cleanup.jobs";
import { sweepUnusedFiles } from "@/server/files/unused-file-sweep.jobs";
import { FileService } from "@/server/files/file-service";
import { buildTenantContext } from "@/server/core/tenant-context";
import { resolveHostScope } from "@/server/core/host-scope";
import { expectTRPCError, hostOf, signedIn, testMeta, type Caller } from "./support/world";

const DAY = 24 * 3600_000;
let storageDir: string;
let a: CreatedTenant;
let b: CreatedTenant;
let ownerA: Caller;

const PURPOSE = {
  property_photo: { visibility: "public", bytes: SAMPLE_PNG, mimeType: "image/png" },
  tenant_logo: { visibility: "public", bytes: SAMPLE_PNG, mimeType: "image/png" },
  renter_id: { visibility: "private", bytes: SAMPLE_PDF, mimeType: "application/pdf" },
  contract_scan: { visibility: "private", bytes: SAMPLE_PDF, mimeType: "application/pdf" },
} as const;

/** A stored upload as POST /api/files leaves it (bytes on disk + row), made `ageMs` ago. */
async function stored(t: CreatedTenant, purpose: keyof typeof PURPOSE, ageMs: number) {
  const id = randomUUID();
  const storageKey = `${t.tenantId}/${id}`;
  const p = PURPOSE[purpose];
  await mkdir(path.join(storageDir, t.tenantId), { recursive: true });
  await writeFile(path.join(storageDir, storageKey), p.bytes);
  await new TenantDb(t.tenantId).run((tx) =>
    tx.file.create({
      data: {
        id,
        tenantId: t.tenantId,
        visibility: p.visibility,
        purpose,
        storageKey,
        originalName: `${purpose}.bin`,
        mimeType: p.mimeType,
        sizeBytes: 2 * 1024 * 1024,
        checksumSha256: "0".repeat(64),
        createdAt: new Date(Date.now() - ageMs),
      },
    }),
  );
  return { id, storageKey };
}

async function exists(file: { id: string; storageKey: string }, t: CreatedTenant) {
  const row = await new TenantDb(t.tenantId).run((tx) => tx.file.findFirst({ where: { id: file.id }, select: { id: true } }));
  const onDisk = await access(path.join(storageDir, file.storageKey)).then(
    () => true,
    () => false,
  );
  return { row: row !== null, onDisk };
}

async function storageMbUsed(caller: Caller) {
  return (await caller.billing.overview()).usage.storageMb;
}

async function ctxOf(t: CreatedTenant) {
  const scope = await resolveHostScope(hostOf(t.slug));
  if (scope?.kind !== "tenant") throw new Error("no scope");
  const user = {
    userId: t.owner.userId,
    email: t.owner.email,
    name: "o",
    isPlatformAdmin: false,
    mfaVerified: false,
    impersonatorUserId: null,
  };
  const ctx = await buildTenantContext(scope.tenant, user as never, testMeta());
  if (!ctx) throw new Error("not a member");
  return ctx;
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "phteah-unused-"));
  process.env.FILE_STORAGE_DIR = storageDir;
  a = await createTenant({ slug: uniqueSlug("ufa"), subscription: { plan: "pro", status: "active" } });
  b = await createTenant({ slug: uniqueSlug("ufb"), subscription: { plan: "pro", status: "active" } });
  ownerA = await signedIn(a.owner.userId, hostOf(a.slug));
});

afterAll(async () => {
  delete process.env.FILE_STORAGE_DIR;
  await rm(storageDir, { recursive: true, force: true });
});

describe("the unused-upload sweep", () => {
  it("removes day-old uploads nothing uses (rows and bytes, in every workspace), keeps what is attached or fresh, and frees storage", async () => {
    const property = await createProperty({ tenantId: a.tenantId });
    const renter = await createRenter({ tenantId: a.tenantId });
    const contract = await createContract({ tenantId: a.tenantId });

    const photo = await stored(a, "property_photo", 2 * DAY);
    await ownerA.properties.addPhoto({ propertyId: property.id, fileId: photo.id });
    const idScan = await stored(a, "renter_id", 2 * DAY);
    await ownerA.renters.setIdDocument({ renterId: renter.id, fileId: idScan.id });
    const oldScan = await stored(a, "contract_scan", 3 * DAY);
    await ownerA.contracts.attachScan({ contractId: contract.id, fileId: oldScan.id });
    const newScan = await stored(a, "contract_scan", 2 * DAY);
    await ownerA.contracts.attachScan({ contractId: contract.id, fileId: newScan.id }); // replaces oldScan
    const oldLogo = await stored(a, "tenant_logo", 3 * DAY);
    await ownerA.files.setTenantLogo({ fileId: oldLogo.id });
    const logo = await stored(a, "tenant_logo", 2 * DAY);
    await ownerA.files.setTenantLogo({ fileId: logo.id }); // replaces oldLogo
    const abandoned = await stored(a, "property_photo", 25 * 3600_000); // uploaded, form never saved
    const fresh = await stored(a, "property_photo", 3600_000); // a form may still be open
    const abandonedB = await stored(b, "renter_id", 2 * DAY);

    const ownerB = await signedIn(b.owner.userId, hostOf(b.slug));
    const usedBefore = await storageMbUsed(ownerA);
    expect(usedBefore).toBe(16); // eight files of 2 MB

    const result = await new CleanupService().run();
    expect(result.unusedFiles).toBeGreaterThanOrEqual(4);
    expect(result.unusedFileBytes).toBeGreaterThanOrEqual(4 * 2 * 1024 * 1024);

    for (const gone of [oldScan, oldLogo, abandoned]) expect(await exists(gone, a)).toEqual({ row: false, onDisk: false });
    expect(await exists(abandonedB, b)).toEqual({ row: false, onDisk: false });
    for (const kept of [photo, idScan, newScan, logo, fresh]) expect(await exists(kept, a)).toEqual({ row: true, onDisk: true });
    expect(await storageMbUsed(ownerA)).toBe(10);
    expect(await storageMbUsed(ownerB)).toBe(0);

    // what stays attached still works
    expect((await ownerA.properties.get({ propertyId: property.id })).photos.map((p) => p.fileId)).toEqual([photo.id]);
    expect(await ownerA.files.tenantLogo()).toMatchObject({ logoFileId: logo.id });

    // each workspace's audit log says what went, by the system
    const audit = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findMany({ where: { action: "file.unused_removed" }, select: { actorUserId: true, metadata: true } }),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBeNull();
    const meta = audit[0]!.metadata as { count: number; bytes: number; files: { id: string }[] };
    expect(meta.count).toBe(3);
    expect(meta.bytes).toBe(3 * 2 * 1024 * 1024);
    expect(meta.files.map((f) => f.id).sort()).toEqual([oldScan.id, oldLogo.id, abandoned.id].sort());

    // idempotent: a second run finds nothing more of A's
    await sweepUnusedFiles();
    for (const kept of [photo, idScan, newScan, logo, fresh]) expect(await exists(kept, a)).toEqual({ row: true, onDisk: true });
    expect(await new TenantDb(a.tenantId).run((tx) => tx.auditLog.count({ where: { action: "file.unused_removed" } }))).toBe(1);
  });

  it("leaves a file that is being attached at that moment, which then stays attached", async () => {
    const property = await createProperty({ tenantId: a.tenantId });
    const photo = await stored(a, "property_photo", 2 * DAY);
    const service = new FileService(await ctxOf(a));

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    // an attach in progress: its transaction has checked (and locked) the file, not yet committed
    const attach = new TenantDb(a.tenantId).run(async (tx) => {
      await service.assertAttachable(tx, photo.id, "property_photo");
      locked();
      await held;
      await tx.propertyPhoto.create({ data: { tenantId: a.tenantId, propertyId: property.id, fileId: photo.id, position: 0 } });
    });
    await lockTaken;
    await sweepUnusedFiles();
    expect(await exists(photo, a)).toEqual({ row: true, onDisk: true });
    release();
    await attach;

    await sweepUnusedFiles();
    expect(await exists(photo, a)).toEqual({ row: true, onDisk: true });
    expect((await ownerA.properties.get({ propertyId: property.id })).photos.map((p) => p.fileId)).toEqual([photo.id]);
  });

  it("an attach that comes after the sweep removed the file gets a clean NOT_FOUND", async () => {
    const renter = await createRenter({ tenantId: a.tenantId });
    const scan = await stored(a, "renter_id", 2 * DAY);
    await sweepUnusedFiles();
    expect(await exists(scan, a)).toEqual({ row: false, onDisk: false });
    await expectTRPCError(ownerA.renters.setIdDocument({ renterId: renter.id, fileId: scan.id }), "NOT_FOUND");
    const after = await new TenantDb(a.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: renter.id } }));
    expect(after.idDocumentFileId).toBeNull();
  });

  it("is the platform's: the sweep sees every workspace, a tenant transaction sees only its own files", async () => {
    const mine = await stored(b, "property_photo", 2 * DAY);
    const seenByA = await new TenantDb(a.tenantId).run((tx) => tx.file.count({ where: { id: mine.id } }));
    expect(seenByA).toBe(0);
    const seenByPlatform = await platformDb.run((tx) => tx.file.count({ where: { id: mine.id } }));
    expect(seenByPlatform).toBe(1);
    await sweepUnusedFiles();
    expect(await exists(mine, b)).toEqual({ row: false, onDisk: false });
  });
});
