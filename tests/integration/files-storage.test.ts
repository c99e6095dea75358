// The file storage drivers (server/files/storage.ts): the local disk and an S3-compatible bucket
// through the real AWS SDK against a real S3-compatible server (s3rver in a process of its own).
// The store contract for both drivers (listing walks pages), the start-up check's messages for a
// missing bucket, refused credentials and an unreachable endpoint (never a secret), a store that
// fails while the app runs (503, translated, nothing of the store's details), two app instances
// sharing one bucket (an upload through one is served by the other; with the local driver it is
// not), the unused-upload sweep on the bucket (rows and objects, and objects no row names), and a
// backup and restore round trip from one bucket into another. A database of its own, so the sweep
// and the backup see only this file's rows.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "@/server/auth/auth.public";
import { ownDatabaseForThisFile } from "./support/own-database";
import { startLocalS3, S3RVER_KEY, withEnv, type LocalS3 } from "./support/s3";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

import { createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { TenantDb } from "@/server/db/tenant-db";
import { SAMPLE_PDF, SAMPLE_PNG } from "@/server/testing/sample-files";
import type { FileStore } from "@/server/files/file-store";
import { localFileStore } from "@/server/files/storage-local";
import { s3FileStore, type S3StoreConfig } from "@/server/files/storage-s3";
import { deleteStoredPrefix, fileStorageProblems, listStoredFiles, statStoredFile, storageKeyFor } from "@/server/files/storage";
import { sweepUnusedFiles } from "@/server/files/unused-file-sweep.jobs";
import { createBackup } from "@/server/ops/backup/backup";
import { restoreBackup } from "@/server/ops/backup/restore";
import { applyMigrations, MIGRATIONS_DIR, PROJECT_ROOT } from "@/scripts/db/engine";
import { grantAppRole } from "@/scripts/db/grants";
import { APP_ROLE } from "@/scripts/db/embedded";
import { hostOf, PORT, sessionFor, uniqueIp } from "./support/world";

ownDatabaseForThisFile("files_storage");

const DAY = 24 * 3600_000;
let s3: LocalS3;
let scratch: string;
let t: CreatedTenant;
let other: CreatedTenant;

const s3Config = (bucket: string, credentials = S3RVER_KEY): S3StoreConfig => ({
  bucket,
  region: "us-east-1",
  endpoint: s3.endpoint,
  forcePathStyle: true,
  credentials,
});

async function newBucket(): Promise<string> {
  const bucket = `b-${randomUUID().slice(0, 12)}`;
  await s3.createBucket(bucket);
  return bucket;
}

async function newDir(): Promise<string> {
  return mkdtemp(path.join(scratch, "dir-"));
}

function setRequest(host: string, claims: Partial<SessionClaims> | null, extra: Record<string, string> = {}): Headers {
  current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en", ...extra });
  current.claims = claims;
  return current.headers;
}

type UploadRoute = (request: Request) => Promise<Response>;
type FileRoute = (request: Request, segment: { params: Promise<{ tenant: string; id: string }> }) => Promise<Response>;

/** The app's file routes from a module graph of their own: what one app instance (one process) holds. */
async function appInstance(): Promise<{ upload: UploadRoute; private: FileRoute; public: FileRoute }> {
  vi.resetModules();
  const [upload, priv, pub] = await Promise.all([
    import("@/app/api/files/route"),
    import("@/app/(app)/t/[tenant]/files/[id]/route"),
    import("@/app/(app)/t/[tenant]/files/public/[id]/route"),
  ]);
  return { upload: upload.POST, private: priv.GET, public: pub.GET };
}

async function uploadThrough(route: UploadRoute, tenant: CreatedTenant, purpose: string, bytes: Uint8Array): Promise<Response> {
  const host = hostOf(tenant.slug);
  const headers = setRequest(host, await sessionFor(tenant.owner.userId, host), { origin: `http://${host}:${PORT}` });
  const form = new FormData();
  form.set("purpose", purpose);
  form.set("file", new Blob([new Uint8Array(bytes)]), "scan.pdf");
  return route(new Request(`http://${host}:${PORT}/api/files`, { method: "POST", headers, body: form }));
}

async function readThrough(route: FileRoute, tenant: CreatedTenant, id: string, claims: Partial<SessionClaims> | null): Promise<Response> {
  const host = hostOf(tenant.slug);
  const headers = setRequest(host, claims);
  return route(new Request(`http://${host}:${PORT}/files/${id}`, { headers }), { params: Promise.resolve({ tenant: tenant.slug, id }) });
}

/** A stored upload as the app leaves it: the object, and its row made `ageMs` ago. */
async function storedUpload(store: FileStore, tenant: CreatedTenant, ageMs: number, now = Date.now()) {
  const id = randomUUID();
  const storageKey = storageKeyFor(tenant.tenantId, id);
  await store.put(storageKey, SAMPLE_PDF);
  await new TenantDb(tenant.tenantId).run((tx) =>
    tx.file.create({
      data: {
        id,
        tenantId: tenant.tenantId,
        visibility: "private",
        purpose: "renter_id",
        storageKey,
        originalName: "id.pdf",
        mimeType: "application/pdf",
        sizeBytes: SAMPLE_PDF.length,
        checksumSha256: createHash("sha256").update(SAMPLE_PDF).digest("hex"),
        createdAt: new Date(now - ageMs),
      },
    }),
  );
  return { id, storageKey };
}

beforeAll(async () => {
  s3 = await startLocalS3();
  scratch = await mkdtemp(path.join(tmpdir(), "phteah-files-storage-"));
  t = await createTenant({ slug: uniqueSlug("fst"), subscription: { plan: "pro", status: "active" } });
  other = await createTenant({ slug: uniqueSlug("fso"), subscription: { plan: "pro", status: "active" } });
}, 60_000);

afterAll(async () => {
  await s3?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe.each(["local", "s3"] as const)("the %s store", (driver) => {
  let store: FileStore;
  beforeAll(async () => {
    // a page of two objects, so that listing and deleting walk several pages
    store = driver === "local" ? localFileStore(await newDir()) : s3FileStore(s3Config(await newBucket()), { pageSize: 2 });
  });

  it("puts, gets, streams, stats and deletes; a missing object is null, never an error", async () => {
    const key = `${t.tenantId}/${randomUUID()}`;
    expect(await store.isEmpty()).toBe(true);
    await store.put(key, SAMPLE_PDF);
    expect(await store.isEmpty()).toBe(false);
    expect(await store.get(key)).toEqual(SAMPLE_PDF);
    const opened = (await store.open(key))!;
    expect(opened.size).toBe(SAMPLE_PDF.length);
    expect(Buffer.from(await new Response(opened.body).arrayBuffer())).toEqual(SAMPLE_PDF);
    expect(await store.stat(key)).toMatchObject({ size: SAMPLE_PDF.length, modifiedAt: expect.any(Date) });
    // overwritten whole
    await store.put(key, SAMPLE_PNG);
    expect(await store.get(key)).toEqual(SAMPLE_PNG);
    await store.delete(key);
    for (const read of [store.get(key), store.open(key), store.stat(key)]) expect(await read).toBeNull();
    await store.delete(key); // twice is fine
    expect(await store.isEmpty()).toBe(true);
  });

  it("lists in key order across pages, per prefix, and deletes one tenant's prefix only", async () => {
    const mine = Array.from({ length: 5 }, () => `${t.tenantId}/${randomUUID()}`).sort();
    const theirs = Array.from({ length: 3 }, () => `${other.tenantId}/${randomUUID()}`).sort();
    for (const key of [...mine, ...theirs]) await store.put(key, Buffer.from(key));
    const all: string[] = [];
    for await (const o of store.list()) all.push(o.key);
    expect(all).toEqual([...mine, ...theirs].sort());
    const listed: { key: string; size: number }[] = [];
    for await (const o of store.list(`${t.tenantId}/`)) listed.push({ key: o.key, size: o.size });
    expect(listed).toEqual(mine.map((key) => ({ key, size: Buffer.byteLength(key) })));

    expect(await store.deletePrefix(`${t.tenantId}/`)).toBe(5);
    for (const key of mine) expect(await store.get(key)).toBeNull();
    for (const key of theirs) expect(await store.get(key)).toEqual(Buffer.from(key));
    expect(await store.deletePrefix(`${t.tenantId}/`)).toBe(0);
    await store.clear();
    expect(await store.isEmpty()).toBe(true);
  });

  it("refuses keys that could leave the store: '..', absolute, empty or hidden segments, backslashes", async () => {
    for (const key of ["../x", "/etc/passwd", "a//b", ".hidden/x", "a/..", "a\\b", ""]) {
      await expect(store.put(key, SAMPLE_PDF), key).rejects.toThrow(/invalid storage key/);
      await expect(store.get(key), key).rejects.toThrow(/invalid storage key/);
    }
    expect(() => store.list("no-slash")).toThrow(/invalid storage prefix/);
    await expect(store.deletePrefix("../")).rejects.toThrow(/invalid storage prefix/);
  });

  it("passes the start-up check", async () => {
    expect(await store.problems(PROJECT_ROOT)).toEqual([]);
    expect(await store.isEmpty()).toBe(true); // the probe is gone
  });
});

describe("a bucket that cannot be used", () => {
  const SECRET = "a-wrong-secret-that-must-never-be-shown";

  it("the start-up check says what to fix (missing bucket, refused credentials, unreachable endpoint) and never a secret", async () => {
    const missing = await s3FileStore(s3Config("no-such-bucket-here")).problems(PROJECT_ROOT);
    expect(missing).toEqual([
      expect.stringMatching(/the bucket "no-such-bucket-here" does not exist at http:\/\/127\.0\.0\.1:\d+.*fix S3_BUCKET/),
    ]);

    // (s3rver checks the access key id but not a V4 signature: an unknown key stands for refused credentials)
    const bucket = await newBucket();
    const refused = await s3FileStore(s3Config(bucket, { accessKeyId: "NOBODY", secretAccessKey: SECRET })).problems(PROJECT_ROOT);
    expect(refused).toEqual([
      expect.stringMatching(
        /refused the credentials for bucket "b-.*InvalidAccessKeyId \(HTTP 403\).*AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/,
      ),
    ]);
    expect(refused[0]).not.toContain(SECRET);

    const down = await s3FileStore({ ...s3Config(bucket), endpoint: "http://127.0.0.1:9" }).problems(PROJECT_ROOT);
    expect(down).toEqual([expect.stringMatching(/http:\/\/127\.0\.0\.1:9 cannot be reached \(ECONNREFUSED\).*S3_ENDPOINT/)]);
  });

  it("the configured store's check names settings that cannot work", async () => {
    const problems = await fileStorageProblems(PROJECT_ROOT, { FILE_STORAGE_DRIVER: "s3", AWS_ACCESS_KEY_ID: "x" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("S3_BUCKET is required with FILE_STORAGE_DRIVER=s3");
    expect(problems[0]).toContain("AWS_SECRET_ACCESS_KEY is missing");
    expect(await fileStorageProblems(PROJECT_ROOT, { ...s3.env(await newBucket()) })).toEqual([]);
  });

  it("while the app runs: uploads and reads answer 503 with a translated message, never 500 and nothing of the store", async () => {
    const bucket = await newBucket();
    const restore = withEnv(s3.env(bucket));
    try {
      const app = await appInstance();
      const uploaded = await uploadThrough(app.upload, t, "renter_id", SAMPLE_PDF);
      expect(uploaded.status).toBe(201);
      const { id } = (await uploaded.json()) as { id: string };

      const rowsBefore = await new TenantDb(t.tenantId).run((tx) => tx.file.count());
      // the credentials are rotated away (or the bucket's policy changes) under the running app
      process.env.AWS_ACCESS_KEY_ID = "ROTATED-AWAY";
      process.env.AWS_SECRET_ACCESS_KEY = SECRET;
      const owner = await sessionFor(t.owner.userId, hostOf(t.slug));
      for (const res of [await uploadThrough(app.upload, t, "renter_id", SAMPLE_PDF), await readThrough(app.private, t, id, owner)]) {
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("30");
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({
          error: { message: "Files cannot be stored or opened right now. Try again in a few minutes." },
        });
        for (const secretish of [SECRET, bucket, "ROTATED-AWAY", "InvalidAccessKeyId", s3.endpoint]) expect(text).not.toContain(secretish);
      }
      // nothing half-done: the refused upload left no row
      expect(await new TenantDb(t.tenantId).run((tx) => tx.file.count())).toBe(rowsBefore);
    } finally {
      restore();
    }
  });
});

describe("two app instances", () => {
  it("share one bucket: a file uploaded through one is served by the other (with the local driver it is not)", async () => {
    const bucket = await newBucket();
    const dirA = await newDir();
    const dirB = await newDir();
    const owner = await sessionFor(t.owner.userId, hostOf(t.slug));

    // instance A: its own module graph, its own S3 client, its own (unused) local directory
    let restore = withEnv({ ...s3.env(bucket), FILE_STORAGE_DIR: dirA });
    const a = await appInstance();
    const privateUp = await uploadThrough(a.upload, t, "renter_id", SAMPLE_PDF);
    const publicUp = await uploadThrough(a.upload, t, "property_photo", SAMPLE_PNG);
    expect([privateUp.status, publicUp.status]).toEqual([201, 201]);
    const privateId = ((await privateUp.json()) as { id: string }).id;
    const publicId = ((await publicUp.json()) as { id: string }).id;
    restore();

    // instance B: a fresh module graph (nothing cached from A) on another machine's directory
    restore = withEnv({ ...s3.env(bucket), FILE_STORAGE_DIR: dirB });
    const b = await appInstance();
    const served = await readThrough(b.private, t, privateId, owner);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(SAMPLE_PDF);
    expect(served.headers.get("cache-control")).toBe("private, no-store");
    const photo = await readThrough(b.public, t, publicId, null);
    expect(photo.status).toBe(200);
    expect(photo.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // B still checks: no session, no file
    expect((await readThrough(b.private, t, privateId, null)).status).toBe(401);
    // and neither instance wrote to its disk
    expect([await readdir(dirA), await readdir(dirB)]).toEqual([[], []]);
    restore();

    // the same two instances on the local driver: B has not got A's file
    restore = withEnv({ FILE_STORAGE_DRIVER: "local", FILE_STORAGE_DIR: dirA });
    const localA = await appInstance();
    const localUp = await uploadThrough(localA.upload, t, "renter_id", SAMPLE_PDF);
    const localId = ((await localUp.json()) as { id: string }).id;
    restore();
    restore = withEnv({ FILE_STORAGE_DRIVER: "local", FILE_STORAGE_DIR: dirB });
    const localB = await appInstance();
    expect((await readThrough(localB.private, t, localId, owner)).status).toBe(404);
    restore();
  });
});

describe("the unused-upload sweep on a bucket", () => {
  it("removes unused rows with their objects, and old objects no row names under known workspaces only", async () => {
    const bucket = await newBucket();
    const restore = withEnv(s3.env(bucket));
    try {
      const store = s3FileStore(s3Config(bucket));
      const sw = await createTenant({ slug: uniqueSlug("fsw"), subscription: { plan: "pro", status: "active" } });
      // objects without a row: an upload whose row was never written, and one of a workspace this database does not know
      const orphan = storageKeyFor(sw.tenantId, randomUUID());
      await store.put(orphan, SAMPLE_PNG);
      const foreign = storageKeyFor(randomUUID(), randomUUID());
      await store.put(foreign, SAMPLE_PNG);
      // "now" is the bucket's clock (the orphan's LastModified), not this process's: s3rver stamps
      // objects with the file's mtime, which the kernel writes in real time even when the tests run
      // under a shifted clock (npm run test:clock, libfaketime)
      const now = (await store.stat(orphan))!.modifiedAt.getTime();
      const unused = await storedUpload(store, sw, 2 * DAY, now);
      const fresh = await storedUpload(store, sw, 3600_000, now);
      const used = await storedUpload(store, sw, 2 * DAY, now);
      await new TenantDb(sw.tenantId).run((tx) => tx.tenant.update({ where: { id: sw.tenantId }, data: { logoFileId: used.id } }));

      // today: the day-old unused row and its object go; the orphan was written moments ago, so it stays
      const today = await sweepUnusedFiles(() => new Date(now), { tenantIds: [sw.tenantId] });
      expect(today).toMatchObject({ files: 1, orphans: 0 });
      expect(await s3.bytes(bucket, unused.storageKey)).toBeNull();
      for (const key of [fresh.storageKey, used.storageKey, orphan, foreign]) expect(await s3.bytes(bucket, key), key).not.toBeNull();

      // two days on (the logo still in use): the fresh upload is now old and unused, the orphan is old; the
      // workspace the database does not know keeps its object (the whole bucket is walked: no scope)
      const later = await sweepUnusedFiles(() => new Date(now + 2 * DAY));
      expect(later.files).toBeGreaterThanOrEqual(1); // (this file's other day-old unused uploads too)
      expect(later.orphans).toBe(1);
      expect(await s3.keys(bucket)).toEqual([used.storageKey, foreign].sort());
      expect(await statStoredFile(used.storageKey)).toMatchObject({ size: SAMPLE_PDF.length });
    } finally {
      restore();
    }
  });

  it("deleteStoredPrefix and listStoredFiles work on the bucket (workspace deletion, exports)", async () => {
    const bucket = await newBucket();
    const restore = withEnv(s3.env(bucket));
    try {
      const store = s3FileStore(s3Config(bucket));
      const keys = [storageKeyFor(other.tenantId, randomUUID()), storageKeyFor(other.tenantId, randomUUID())].sort();
      for (const key of keys) await store.put(key, SAMPLE_PDF);
      await store.put(storageKeyFor(t.tenantId, randomUUID()), SAMPLE_PDF);
      const listed: string[] = [];
      for await (const o of listStoredFiles(other.tenantId)) listed.push(o.key);
      expect(listed).toEqual(keys);
      expect(await deleteStoredPrefix(other.tenantId)).toBe(2);
      expect(await s3.keys(bucket, `${other.tenantId}/`)).toEqual([]);
      expect(await s3.keys(bucket, `${t.tenantId}/`)).toHaveLength(1);
    } finally {
      restore();
    }
  });
});

describe("backup and restore with the S3 driver", () => {
  it("backs up every object of the bucket (sha256 each) and restores them into another bucket, refusing a non-empty one", async () => {
    const source = await newBucket();
    const target = await newBucket();
    const sourceStore = s3FileStore(s3Config(source), { pageSize: 2 });
    const targetStore = s3FileStore(s3Config(target), { pageSize: 2 });
    const files = [];
    for (let i = 0; i < 5; i++) files.push(await storedUpload(sourceStore, i % 2 ? other : t, 0));
    const extra = storageKeyFor(t.tenantId, randomUUID());
    await sourceStore.put(extra, SAMPLE_PNG);

    const ownerUrl = process.env.DATABASE_MIGRATION_URL!;
    const archive = path.join(scratch, "s3.tar.gz");
    const unusedDir = await newDir();
    const backup = await createBackup({
      databaseUrl: ownerUrl,
      fileDir: unusedDir,
      fileStore: sourceStore,
      out: archive,
      passphrase: null,
      projectRoot: PROJECT_ROOT,
    });
    const keys = [...files.map((f) => f.storageKey), extra].sort();
    expect(backup.manifest.files.map((f) => f.path)).toEqual(keys);
    for (const f of backup.manifest.files) {
      const bytes = (await s3.bytes(source, f.path))!;
      expect(f).toEqual({ path: f.path, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    }

    // a fresh database on the same server
    const admin = new pg.Client({ connectionString: ownerUrl });
    await admin.connect();
    const dbName = `files_restore_${randomUUID().slice(0, 8)}`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const restoredUrl = Object.assign(new URL(ownerUrl), { pathname: `/${dbName}` }).toString();
    const options = {
      databaseUrl: restoredUrl,
      appRole: APP_ROLE,
      fileDir: unusedDir,
      archive,
      passphrase: null,
      replace: false,
      migrationsDir: MIGRATIONS_DIR,
      applyMigrations: (url: string, dir: string) => applyMigrations(url, { migrationsDir: dir }),
      grantAppRole,
    };

    // a bucket with anything in it is refused, and left as it was
    await targetStore.put("stray/object", SAMPLE_PNG);
    await expect(restoreBackup({ ...options, fileStore: targetStore })).rejects.toThrow(
      /S3 bucket b-\S+ .* is not empty: use an empty bucket/,
    );
    expect(await s3.keys(target)).toEqual(["stray/object"]);

    await restoreBackup({ ...options, fileStore: targetStore, replace: true });
    expect(await s3.keys(target)).toEqual(keys);
    for (const key of keys) expect(await s3.bytes(target, key)).toEqual(await s3.bytes(source, key));
    // the restored database names the same files
    const check = new pg.Client({ connectionString: restoredUrl });
    await check.connect();
    const { rows } = await check.query<{ storageKey: string }>(`SELECT "storageKey" FROM "File" WHERE "storageKey" = ANY($1) ORDER BY 1`, [
      files.map((f) => f.storageKey),
    ]);
    await check.end();
    expect(rows.map((r) => r.storageKey)).toEqual(files.map((f) => f.storageKey).sort());
    expect(await readdir(unusedDir)).toEqual([]);
    const drop = new pg.Client({ connectionString: ownerUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await drop.end();
  }, 120_000);
});
