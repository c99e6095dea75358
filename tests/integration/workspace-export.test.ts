// Workspace export and import (issue 14; docs/OPERATIONS.md "Workspace export and import"): the
// owner's zip from /settings holds every row of every table with a tenantId and every file; the
// same zip imported into an empty workspace gives back every row (ids, money, dates) and every
// file byte for byte, and the app serves the imported private file. Damaged zips and non-empty
// targets are refused with nothing written. Real database, real files in a temporary directory.
import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "@/server/auth/auth.public";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { createContract, createProperty, createRentInvoice, createRenter, createUnit } from "@/server/testing/rental-factories";
import { SAMPLE_PDF, SAMPLE_PNG } from "@/server/testing/sample-files";
import { readStoredFile } from "@/server/files/storage";
import { WorkspaceExportService } from "@/server/workspaces/export/export-service";
import { ImportError, importWorkspace, verifyExport } from "@/server/workspaces/export/import.admin";
import { tenantTables, quoteIdent, type TenantTable } from "@/server/workspaces/export/tables";
import type { ExportManifest } from "@/server/workspaces/export/format";
import { PORT, hostOf, ownerContext, sessionFor, uniqueIp } from "./support/world";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as uploadRoute } from "@/app/api/files/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as privateRoute } from "@/app/(app)/t/[tenant]/files/[id]/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as exportRoute } from "@/app/(app)/t/[tenant]/(workspace)/settings/export/route";

type Member = { userId: string; email: string };
let storageDir: string;
let workDir: string;
let tables: TenantTable[];

function setRequest(host: string, claims: Partial<SessionClaims> | null, extra: Record<string, string> = {}): Headers {
  current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en", ...extra });
  current.claims = claims;
  return current.headers;
}

async function upload(slug: string, userId: string, purpose: string, bytes: Uint8Array): Promise<string> {
  const host = hostOf(slug);
  const headers = setRequest(host, await sessionFor(userId, host), { origin: `http://${host}:${PORT}` });
  const form = new FormData();
  form.set("purpose", purpose);
  form.set("file", new Blob([new Uint8Array(bytes)]), `${purpose}.bin`);
  const res = await uploadRoute(new Request(`http://${host}:${PORT}/api/files`, { method: "POST", headers, body: form }));
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function exportAs(slug: string, userId: string): Promise<Response> {
  const host = hostOf(slug);
  const headers = setRequest(host, await sessionFor(userId, host));
  return exportRoute(new Request(`http://${host}:${PORT}/settings/export`, { headers }), { params: Promise.resolve({ tenant: slug }) });
}

async function downloadZip(slug: string, userId: string): Promise<string> {
  const res = await exportAs(slug, userId);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.body).toBeInstanceOf(ReadableStream);
  const file = path.join(workDir, `${slug}-${randomUUID().slice(0, 6)}.zip`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** Every row of every tenant table of a workspace, in primary-key order, as PostgreSQL renders it. */
async function rowsOf(tenantId: string): Promise<Record<string, Record<string, unknown>[]>> {
  return platformDb.run(async (tx) => {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const t of tables) {
      const rows = await tx.$queryRawUnsafe<{ j: Record<string, unknown> }[]>(
        `SELECT row_to_json(t) AS j FROM ${quoteIdent(t.name)} t WHERE "tenantId" = $1::uuid ORDER BY ${t.primaryKey.map(quoteIdent).join(", ")}`,
        tenantId,
      );
      out[t.name] = rows.map((r) => r.j);
    }
    return out;
  });
}

const counts = async (tenantId: string) => Object.fromEntries(Object.entries(await rowsOf(tenantId)).map(([k, v]) => [k, v.length]));

/** Removes a workspace and its files for good (the deletion a restore undoes). */
async function hardDelete(tenantId: string): Promise<void> {
  const files = await platformDb.run((tx) => tx.file.findMany({ where: { tenantId }, select: { storageKey: true } }));
  await platformDb.run(async (tx) => {
    await tx.$executeRawUnsafe(`UPDATE "Tenant" SET "logoFileId" = NULL WHERE id = $1::uuid`, tenantId);
    for (const t of [...tables].reverse())
      await tx.$executeRawUnsafe(`DELETE FROM ${quoteIdent(t.name)} WHERE "tenantId" = $1::uuid`, tenantId);
    await tx.$executeRawUnsafe(`DELETE FROM "UserSession" WHERE "tenantId" = $1::uuid`, tenantId);
    await tx.$executeRawUnsafe(`DELETE FROM "Tenant" WHERE id = $1::uuid`, tenantId);
  });
  for (const f of files) await rm(path.join(storageDir, f.storageKey), { force: true });
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "phteah-export-files-"));
  workDir = await mkdtemp(path.join(tmpdir(), "phteah-export-zips-"));
  process.env.FILE_STORAGE_DIR = storageDir;
  tables = await platformDb.run((tx) => tenantTables(tx));
});

afterAll(async () => {
  delete process.env.FILE_STORAGE_DIR;
  await rm(storageDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

describe("workspace export", () => {
  let a: CreatedTenant & { viewer: Member; manager: Member; admin: Member };
  let privateFileId: string;
  let before: Record<string, Record<string, unknown>[]>;
  let zipFile: string;
  let manifest: ExportManifest;
  let atExport: Record<string, Record<string, unknown>[]>;
  const password = "export-password-2026";

  beforeAll(async () => {
    const slug = uniqueSlug("exp");
    const t = await createTenant({ slug, password });
    a = {
      ...t,
      viewer: await addMember(t, { email: `viewer@${slug}.test`, role: "viewer" }),
      manager: await addMember(t, { email: `manager@${slug}.test`, role: "manager" }),
      admin: await addMember(t, { email: `admin@${slug}.test`, role: "admin" }),
    };
    const property = await createProperty({ tenantId: a.tenantId, name: "Phsar Thmei «ផ្សារថ្មី»" });
    const unit = await createUnit({ tenantId: a.tenantId, propertyId: property.id });
    const renter = await createRenter({ tenantId: a.tenantId, nameLatin: 'Export "quoted"\ttab ស្រី' });
    const contract = await createContract({
      tenantId: a.tenantId,
      unitId: unit.id,
      renterId: renter.id,
      status: "active",
      startDate: "2026-01-01",
      rentAmount: 25_000,
    });
    await createRentInvoice({ tenantId: a.tenantId, contractId: contract.id, period: "2026-01", currency: "USD" });
    const partial = await createRentInvoice({
      tenantId: a.tenantId,
      contractId: contract.id,
      period: "2026-02",
      status: "partially_paid",
      amountPaid: 1_234,
    });
    await upload(slug, a.owner.userId, "property_photo", SAMPLE_PNG);
    privateFileId = await upload(slug, a.owner.userId, "renter_id", SAMPLE_PDF);
    await new TenantDb(a.tenantId).run(async (tx) => {
      await tx.renter.update({ where: { id: renter.id }, data: { idDocumentFileId: privateFileId } });
      await tx.payment.create({
        data: {
          tenantId: a.tenantId,
          purpose: "rent",
          rentInvoiceId: partial.id,
          method: "cash",
          status: "paid",
          amount: 1_234,
          currency: "USD",
          reference: "cash-0001",
          paidAt: new Date("2026-02-03T04:05:06.789Z"),
          recordedById: a.owner.userId,
        },
      });
    });
    before = await rowsOf(a.tenantId);
  }, 120_000);

  it("is for owners only: a viewer, a manager and an admin are refused (403)", async () => {
    for (const m of [a.viewer, a.manager, a.admin]) {
      const res = await exportAs(a.slug, m.userId);
      expect(res.status).toBe(403);
    }
    const res = await exportAs(a.slug, a.admin.userId);
    expect(await res.json()).toMatchObject({ error: { message: "Only an owner of this workspace can export its data." } });
    // nothing was audited for the refusals
    const audited = await platformDb.run((tx) => tx.auditLog.count({ where: { tenantId: a.tenantId, action: "tenant.exported" } }));
    expect(audited).toBe(0);
  });

  it("streams a zip with every tenant table, every file, a README and a manifest, and audits it", async () => {
    zipFile = await downloadZip(a.slug, a.owner.userId);
    atExport = await rowsOf(a.tenantId);
    manifest = await verifyExport(zipFile);
    // every table with a tenantId (walked in the catalog) is in the zip, UserSession aside
    expect(manifest.entities.map((e) => e.name).sort()).toEqual(tables.map((t) => t.name).sort());
    expect(manifest.entities.map((e) => e.name)).not.toContain("UserSession");
    for (const e of manifest.entities) {
      // the export's own audit row was written before the snapshot
      const expected = before[e.name]!.length + (e.name === "AuditLog" ? 1 : 0);
      expect(e.rows, e.name).toBe(expected);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(manifest.users.rows).toBe(4);
    expect(manifest.files).toHaveLength(2);
    expect(manifest.files.map((f) => f.visibility).sort()).toEqual(["private", "public"]);
    expect(manifest.migrationHead).toMatch(/^\d{14}_/);
    expect(manifest.workspace.slug).toBe(a.slug);
    const [logged] = await platformDb.run((tx) => tx.auditLog.findMany({ where: { tenantId: a.tenantId, action: "tenant.exported" } }));
    expect(logged).toMatchObject({ actorUserId: a.owner.userId, targetType: "tenant", targetId: a.tenantId });
  });

  it("reads every table in keyset batches of the given size (memory stays flat)", async () => {
    const ctx = await ownerContext(a);
    const seen: Record<string, number[]> = {};
    const { stream, done } = await new WorkspaceExportService(ctx).export({ batchSize: 2, onBatch: (t, n) => (seen[t] ??= []).push(n) });
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    const m = await done;
    expect(bytes.length).toBeGreaterThan(1000);
    for (const e of m.entities) {
      const batches = seen[e.name] ?? [];
      expect(Math.max(0, ...batches), e.name).toBeLessThanOrEqual(2);
      expect(
        batches.reduce((n, b) => n + b, 0),
        e.name,
      ).toBe(e.rows);
      if (e.rows > 2) expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(e.rows / 2));
    }
    expect(m.entities.find((e) => e.name === "AuditLog")!.rows).toBeGreaterThan(2);
  });

  it("refuses a damaged or truncated zip and writes nothing", async () => {
    const target = await createTenant({ slug: uniqueSlug("dmg") });
    const empty = await counts(target.tenantId);
    const good = await readFile(zipFile);
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    const truncated = good.subarray(0, good.length - 200);
    for (const [name, bytes] of [
      ["flipped", flipped],
      ["truncated", truncated],
      ["not a zip", Buffer.from("hello")],
    ] as const) {
      const file = path.join(workDir, `${name.replace(/ /g, "-")}.zip`);
      await writeFile(file, bytes);
      await expect(importWorkspace({ file, into: target.slug }), name).rejects.toBeInstanceOf(ImportError);
      expect(await counts(target.tenantId)).toEqual(empty);
    }
    const files = await platformDb.run((tx) => tx.file.count({ where: { tenantId: target.tenantId } }));
    expect(files).toBe(0);
  });

  it("round trip: after the workspace is deleted, the zip imported into a fresh workspace gives back every row and every file", async () => {
    const originalBytes = await readStoredFile(`${a.tenantId}/${privateFileId}`);
    expect(originalBytes?.equals(Buffer.from(SAMPLE_PDF))).toBe(true);
    const exported = atExport;
    await hardDelete(a.tenantId);
    expect(await readStoredFile(`${a.tenantId}/${privateFileId}`)).toBeNull();

    const target = await createTenant({ slug: uniqueSlug("imp"), ownerEmail: `other-${randomUUID().slice(0, 6)}@import.test` });
    const result = await importWorkspace({ file: zipFile, into: target.slug });
    expect(result.remappedIds).toBe(0);
    expect(result.createdUsers).toEqual([]);
    expect(result.matchedUsers.sort()).toEqual([a.owner.email, a.viewer.email, a.manager.email, a.admin.email].sort());

    // every row of every tenant table: same ids, money and dates; only tenantId differs
    const imported = await rowsOf(target.tenantId);
    for (const t of tables) {
      const expected = exported[t.name]!.map((r) => ({
        ...r,
        tenantId: target.tenantId,
        ...(t.name === "File" ? { storageKey: `${target.tenantId}/${r.id as string}` } : {}),
      }));
      const got = imported[t.name]!.filter((r) => !(t.name === "AuditLog" && r.action === "tenant.imported"));
      expect(got, t.name).toEqual(expected);
    }
    expect(Object.values(imported).filter((rows) => rows.length > 0).length).toBeGreaterThanOrEqual(12);
    // every file byte for byte, at the imported workspace's key
    for (const f of manifest.files) {
      const bytes = await readStoredFile(`${target.tenantId}/${f.id}`);
      expect(bytes?.length, f.id).toBe(f.bytes);
      expect(createHash("sha256").update(bytes!).digest("hex"), f.id).toBe(f.sha256);
    }
    // the owner signs in to the imported workspace and reads the private scan through the app
    const host = hostOf(target.slug);
    const headers = setRequest(host, await sessionFor(a.owner.userId, host));
    const res = await privateRoute(new Request(`http://${host}:${PORT}/files/${privateFileId}`, { headers }), {
      params: Promise.resolve({ tenant: target.slug, id: privateFileId }),
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(originalBytes!)).toBe(true);
    const audit = await platformDb.run((tx) => tx.auditLog.findFirst({ where: { tenantId: target.tenantId, action: "tenant.imported" } }));
    expect(audit?.metadata).toMatchObject({ from: a.slug, files: 2 });

    // the same zip again: the workspace is no longer empty, refused, nothing written
    const after = await counts(target.tenantId);
    await expect(importWorkspace({ file: zipFile, into: target.slug })).rejects.toThrow(/not empty/);
    expect(await counts(target.tenantId)).toEqual(after);
  });
});

describe("workspace import beside its source", () => {
  let srcZip: string;
  it("gives colliding ids new ones, keeps every reference consistent, and creates missing accounts without a password", async () => {
    const slug = uniqueSlug("src");
    const src = await createTenant({ slug });
    const member = await addMember(src, { email: `gone-${randomUUID().slice(0, 6)}@${slug}.test`, role: "manager" });
    const property = await createProperty({ tenantId: src.tenantId });
    const unit = await createUnit({ tenantId: src.tenantId, propertyId: property.id });
    const renter = await createRenter({ tenantId: src.tenantId });
    const fileId = await upload(slug, src.owner.userId, "renter_id", SAMPLE_PDF);
    await new TenantDb(src.tenantId).run((tx) => tx.renter.update({ where: { id: renter.id }, data: { idDocumentFileId: fileId } }));
    const contract = await createContract({
      tenantId: src.tenantId,
      unitId: unit.id,
      renterId: renter.id,
      status: "active",
      startDate: "2026-01-01",
    });
    await createRentInvoice({ tenantId: src.tenantId, contractId: contract.id, period: "2026-01", payToken: null });
    const zip = await downloadZip(slug, src.owner.userId);
    // the manager's account does not exist on the "other installation"
    await getDb()
      .user.delete({ where: { id: member.userId } })
      .catch(async () => {
        await platformDb.run((tx) => tx.membership.deleteMany({ where: { userId: member.userId } }));
        await getDb().user.delete({ where: { id: member.userId } });
      });

    const target = await createTenant({ slug: uniqueSlug("dst") });
    const result = await importWorkspace({ file: zip, into: target.slug });
    expect(result.remappedIds).toBeGreaterThan(5);
    expect(result.createdUsers).toEqual([member.email]);
    const created = await getDb().user.findUniqueOrThrow({ where: { email: member.email } });
    expect(created.passwordHash).toBeNull();
    expect(created.passwordResetRequired).toBe(true);

    const rows = await platformDb.run(async (tx) => ({
      units: await tx.unit.findMany({ where: { tenantId: target.tenantId } }),
      properties: await tx.property.findMany({ where: { tenantId: target.tenantId } }),
      renters: await tx.renter.findMany({ where: { tenantId: target.tenantId } }),
      files: await tx.file.findMany({ where: { tenantId: target.tenantId } }),
      contracts: await tx.contract.findMany({ where: { tenantId: target.tenantId } }),
      invoices: await tx.rentInvoice.findMany({ where: { tenantId: target.tenantId } }),
      members: await tx.membership.findMany({ where: { tenantId: target.tenantId }, include: { role: true } }),
    }));
    expect(rows.units).toHaveLength(1);
    expect(rows.units[0]!.id).not.toBe(unit.id);
    expect(rows.units[0]!.propertyId).toBe(rows.properties[0]!.id);
    expect(rows.units[0]!.code).toBe(unit.code);
    expect(rows.renters[0]!.idDocumentFileId).toBe(rows.files[0]!.id);
    // a column that names a row without a foreign key follows the new id too
    expect(rows.contracts[0]).toMatchObject({ unitId: rows.units[0]!.id, activeUnitId: rows.units[0]!.id, renterId: rows.renters[0]!.id });
    expect(rows.invoices[0]!.contractId).toBe(rows.contracts[0]!.id);
    expect(rows.invoices[0]!.id).not.toBe(contract.id);
    expect(rows.files[0]!.storageKey).toBe(`${target.tenantId}/${rows.files[0]!.id}`);
    expect((await readStoredFile(rows.files[0]!.storageKey))?.equals(Buffer.from(SAMPLE_PDF))).toBe(true);
    expect(rows.members.map((m) => [m.userId, m.role.key]).sort()).toEqual(
      [
        [src.owner.userId, "owner"],
        [created.id, "manager"],
      ].sort(),
    );
    // the source is untouched
    expect((await counts(src.tenantId)).Unit).toBe(1);
    expect(await readStoredFile(`${src.tenantId}/${fileId}`)).not.toBeNull();
    srcZip = zip;
  });

  it("refuses a copy whose installation-wide unique values already exist here (a pay link), and writes nothing", async () => {
    const slug = uniqueSlug("uniq");
    const src = await createTenant({ slug });
    const contract = await createContract({ tenantId: src.tenantId, status: "active", startDate: "2026-01-01" });
    await createRentInvoice({ tenantId: src.tenantId, contractId: contract.id, period: "2026-01", payToken: `tok-${randomUUID()}` });
    await upload(slug, src.owner.userId, "renter_id", SAMPLE_PDF);
    const zip = await downloadZip(slug, src.owner.userId);
    const target = await createTenant({ slug: uniqueSlug("uniq-dst") });
    const empty = await counts(target.tenantId);
    await expect(importWorkspace({ file: zip, into: target.slug })).rejects.toThrow(/collides with data already on this installation/);
    expect(await counts(target.tenantId)).toEqual(empty);
    const written = await readdir(path.join(storageDir, target.tenantId)).catch(() => []);
    expect(written).toEqual([]);
  });

  it("the operator's command checks the zip, creates the workspace and imports into it, and refuses a second import", async () => {
    const zip = srcZip;
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [path.join("node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", "scripts/ops/workspace-import.ts", ...args],
        {
          env: { ...process.env, FILE_STORAGE_DIR: storageDir },
          encoding: "utf8",
        },
      );
    const checked = cli(zip, "--check");
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^ok: .*all checksums match\.$/m);
    const fresh = uniqueSlug("cli");
    expect(cli(zip, "--into", fresh).status).toBe(1);
    const imported = cli(zip, "--into", fresh, "--create");
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`imported into ${fresh} and verified`);
    const created2 = await getDb().tenant.findUniqueOrThrow({ where: { slug: fresh } });
    expect((await counts(created2.id)).Unit).toBe(1);
    expect((await counts(created2.id)).Subscription).toBe(1);
    const again = cli(zip, "--into", fresh);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("is not empty");
  }, 180_000);
});
