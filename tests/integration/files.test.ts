// Uploads and file serving: POST /api/files (sniffed type per purpose, size, permission, plan
// storage), the private route /files/<id> (session + tenant + files.private, no shared caching)
// and the public route /files/public/<id>, FileService.assertAttachable and readTenantLogo.
// Every test runs against both storage drivers: real files in a temporary FILE_STORAGE_DIR, and a
// real S3-compatible server (s3rver, in a process of its own) through the real AWS SDK; what is
// stored is checked straight from the disk or the bucket, not through the driver under test.
// Only Next's request plumbing (next/headers, the next-auth cookie reader) is replaced by the
// request under test.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalS3, withEnv, type LocalS3 } from "./support/s3";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { TenantDb } from "@/server/db/tenant-db";
import { buildTenantContext } from "@/server/core/tenant-context";
import { resolveHostScope } from "@/server/core/host-scope";
import { FileService } from "@/server/files/file-service";
import { readTenantLogo } from "@/server/files/logo";
import { AppError } from "@/server/core/errors";
import { MAX_UPLOAD_BYTES } from "@/lib/files/purposes";
import { sniffFile } from "@/lib/files/sniff";
import { privateFileUrl, publicFileUrl } from "@/lib/files/urls";
import type { SessionClaims } from "@/server/auth/auth.public";
import {
  SAMPLE_EXE,
  SAMPLE_HTML,
  SAMPLE_JPEG,
  SAMPLE_PDF,
  SAMPLE_PNG,
  SAMPLE_SVG,
  SAMPLE_WEBP,
  SAMPLE_WEBP_LOSSLESS,
} from "@/server/testing/sample-files";
import { APEX, PORT, hostOf, sessionFor, signedIn, testMeta, uniqueEmail, uniqueIp } from "./support/world";

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
import { GET as publicRoute } from "@/app/(app)/t/[tenant]/files/public/[id]/route";

type Member = { userId: string; email: string };
let a: CreatedTenant & { viewer: Member; manager: Member };
let b: CreatedTenant;
let s3: LocalS3;

/** The store under test, seen from outside the driver: the directory's files or the bucket's objects. */
interface Raw {
  bytes(key: string): Promise<Buffer | null>;
  keys(tenantId: string): Promise<string[]>;
}

function setRequest(host: string, claims: Partial<SessionClaims> | null, extra: Record<string, string> = {}): Headers {
  current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en", ...extra });
  current.claims = claims;
  return current.headers;
}

async function upload(
  host: string,
  claims: Partial<SessionClaims> | null,
  purpose: string,
  bytes: Uint8Array,
  name = "upload.bin",
  extra: Record<string, string> = {},
): Promise<Response> {
  const headers = setRequest(host, claims, { origin: `http://${host}:${PORT}`, ...extra });
  const form = new FormData();
  form.set("purpose", purpose);
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  return uploadRoute(new Request(`http://${host}:${PORT}/api/files`, { method: "POST", headers, body: form }));
}

function get(host: string, url: string, claims: Partial<SessionClaims> | null, tenant: string, id: string, route: typeof privateRoute) {
  const headers = setRequest(host, claims);
  return route(new Request(`http://${host}:${PORT}${url}`, { headers }), { params: Promise.resolve({ tenant, id }) });
}

async function ownerOf(t: CreatedTenant) {
  return sessionFor(t.owner.userId, hostOf(t.slug));
}

async function ctxFor(t: CreatedTenant, userId: string) {
  const scope = await resolveHostScope(hostOf(t.slug));
  if (scope?.kind !== "tenant") throw new Error("no scope");
  const user = { userId, email: "x@test", name: "x", isPlatformAdmin: false, mfaVerified: false, impersonatorUserId: null } as never;
  const ctx = await buildTenantContext(scope.tenant, user, testMeta());
  if (!ctx) throw new Error("not a member");
  return ctx;
}

beforeAll(async () => {
  s3 = await startLocalS3();
  const ta = await createTenant({ slug: uniqueSlug("fa") });
  a = {
    ...ta,
    viewer: await addMember(ta, { email: uniqueEmail("viewer", ta.slug), role: "viewer" }),
    manager: await addMember(ta, { email: uniqueEmail("manager", ta.slug), role: "manager" }),
  };
  b = await createTenant({ slug: uniqueSlug("fb") });
});

afterAll(async () => {
  await s3?.stop();
});

describe.each(["local", "s3"] as const)("%s storage", (driver) => {
  let raw: Raw;
  let restore: () => void;
  let storageDir: string;

  beforeAll(async () => {
    storageDir = await mkdtemp(path.join(tmpdir(), "phteah-files-"));
    if (driver === "local") {
      restore = withEnv({ FILE_STORAGE_DRIVER: "local", FILE_STORAGE_DIR: storageDir });
      raw = {
        bytes: (key) => readFile(path.join(storageDir, key)).catch(() => null),
        keys: async (tenantId) => (await readdir(path.join(storageDir, tenantId)).catch(() => [])).map((f) => `${tenantId}/${f}`),
      };
    } else {
      const bucket = `files-${randomUUID().slice(0, 8)}`;
      await s3.createBucket(bucket);
      // FILE_STORAGE_DIR is set too, to a directory that must stay empty: nothing goes to the disk
      restore = withEnv({ ...s3.env(bucket), FILE_STORAGE_DIR: storageDir });
      raw = { bytes: (key) => s3.bytes(bucket, key), keys: (tenantId) => s3.keys(bucket, `${tenantId}/`) };
    }
  });

  afterAll(async () => {
    if (driver === "s3") expect(await readdir(storageDir)).toEqual([]);
    restore();
    await rm(storageDir, { recursive: true, force: true });
  });

  describe("POST /api/files", () => {
    it("accepts PNG, JPEG and WebP photos, typed by their bytes (not their name), stored re-encoded outside public/ under a server-made key", async () => {
      const owner = await ownerOf(a);
      // every image is decoded and stored re-encoded (tests/integration/hostile-images.test.ts):
      // JPEG, or WebP when it has transparency; the reply and the row describe the stored bytes
      for (const [bytes, stored] of [
        [SAMPLE_PNG, "image/jpeg"],
        [SAMPLE_JPEG, "image/jpeg"],
        [SAMPLE_WEBP, "image/jpeg"],
        [SAMPLE_WEBP_LOSSLESS, "image/webp"],
      ] as const) {
        const res = await upload(hostOf(a.slug), owner, "property_photo", bytes, "../../etc/passwd.gif");
        expect(res.status, await res.clone().text()).toBe(201);
        expect(res.headers.get("cache-control")).toBe("no-store");
        const body = (await res.json()) as { id: string; originalName: string; mimeType: string; sizeBytes: number };
        expect(body).toEqual({ id: expect.any(String), originalName: "passwd.gif", mimeType: stored, sizeBytes: expect.any(Number) });
        const row = await new TenantDb(a.tenantId).run((tx) => tx.file.findFirstOrThrow({ where: { id: body.id } }));
        expect(row).toMatchObject({
          visibility: "public",
          purpose: "property_photo",
          storageKey: `${a.tenantId}/${body.id}`,
          uploadedById: a.owner.userId,
          mimeType: stored,
        });
        const onDisk = (await raw.bytes(row.storageKey))!;
        expect(onDisk.length).toBe(body.sizeBytes);
        expect(sniffFile(onDisk)).toMatchObject({ kind: "image", mimeType: stored, width: bytes === SAMPLE_PNG ? 4 : 1 });
      }
      // the upload is audited
      const audits = await new TenantDb(a.tenantId).run((tx) => tx.auditLog.count({ where: { action: "file.uploaded" } }));
      expect(audits).toBeGreaterThanOrEqual(4);
    });

    it("accepts PDFs only where documents belong (ID scans, contract scans) and stores those private", async () => {
      const owner = await ownerOf(a);
      const res = await upload(hostOf(a.slug), owner, "renter_id", SAMPLE_PDF, "id-card.pdf");
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const row = await new TenantDb(a.tenantId).run((tx) => tx.file.findFirstOrThrow({ where: { id } }));
      expect(row).toMatchObject({ visibility: "private", mimeType: "application/pdf" });
      expect((await upload(hostOf(a.slug), owner, "contract_scan", SAMPLE_JPEG, "scan.jpg")).status).toBe(201);

      const refused = await upload(hostOf(a.slug), owner, "property_photo", SAMPLE_PDF, "photo.pdf");
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { message: "Only photos can be uploaded here (PNG, JPEG or WebP)." } });
      // the logo goes into PDFs: PNG or JPEG only
      expect((await upload(hostOf(a.slug), owner, "tenant_logo", SAMPLE_WEBP, "logo.webp")).status).toBe(400);
      expect((await upload(hostOf(a.slug), owner, "tenant_logo", SAMPLE_PNG, "logo.png")).status).toBe(201);
    });

    it("refuses SVG, HTML, a renamed executable, a truncated image and an empty file for every purpose, storing nothing", async () => {
      const owner = await ownerOf(a);
      const before = (await raw.keys(a.tenantId)).length;
      const bad: Array<[Uint8Array, string]> = [
        [SAMPLE_SVG, "logo.svg"],
        [SAMPLE_HTML, "index.html"],
        [SAMPLE_EXE, "photo.png"],
        [SAMPLE_PNG.subarray(0, 20), "cut.png"],
        [SAMPLE_JPEG.subarray(0, 4), "cut.jpg"],
      ];
      for (const purpose of ["property_photo", "tenant_logo", "renter_id", "contract_scan"]) {
        for (const [bytes, name] of bad) {
          const res = await upload(hostOf(a.slug), owner, purpose, bytes, name);
          expect(res.status, `${purpose} ${name}`).toBe(400);
        }
        expect((await upload(hostOf(a.slug), owner, purpose, new Uint8Array(0), "empty.png")).status).toBe(400);
      }
      expect((await upload(hostOf(a.slug), owner, "avatar", SAMPLE_PNG, "x.png")).status).toBe(400);
      expect((await raw.keys(a.tenantId)).length).toBe(before);
    });

    it("refuses a file over the size cap with 413", async () => {
      const owner = await ownerOf(a);
      const big = Buffer.concat([SAMPLE_PNG, Buffer.alloc(MAX_UPLOAD_BYTES)]);
      const res = await upload(hostOf(a.slug), owner, "property_photo", big, "huge.png");
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { message: "The file is too large (at most 8 MB)." } });
    });

    it("needs a session (401), membership of the host's workspace (404), the purpose's permission (403) and the same origin (403)", async () => {
      expect((await upload(hostOf(a.slug), null, "property_photo", SAMPLE_PNG)).status).toBe(401);
      const stranger = await sessionFor(b.owner.userId, hostOf(a.slug));
      expect((await upload(hostOf(a.slug), stranger, "property_photo", SAMPLE_PNG)).status).toBe(404);
      expect((await upload(APEX, await ownerOf(a), "property_photo", SAMPLE_PNG)).status).toBe(404);
      const viewer = await sessionFor(a.viewer.userId, hostOf(a.slug));
      expect((await upload(hostOf(a.slug), viewer, "property_photo", SAMPLE_PNG)).status).toBe(403);
      const manager = await sessionFor(a.manager.userId, hostOf(a.slug));
      expect((await upload(hostOf(a.slug), manager, "property_photo", SAMPLE_PNG)).status).toBe(201);
      // a manager may not change the workspace logo (workspace.settings)
      expect((await upload(hostOf(a.slug), manager, "tenant_logo", SAMPLE_PNG)).status).toBe(403);
      const crossSite = await upload(hostOf(a.slug), await ownerOf(a), "property_photo", SAMPLE_PNG, "x.png", {
        origin: "http://evil.test",
      });
      expect(crossSite.status).toBe(403);
    });

    it("refuses an upload that would take the workspace over its plan's storage (Free: 50 MB), naming the limit", async () => {
      const t = await createTenant({ slug: uniqueSlug("fstore"), subscription: { plan: "free", status: "active" } });
      const owner = await ownerOf(t);
      // 49.5 MB already stored
      await new TenantDb(t.tenantId).run((tx) =>
        tx.file.create({
          data: {
            tenantId: t.tenantId,
            visibility: "private",
            purpose: "renter_id",
            storageKey: `${t.tenantId}/${randomUUID()}`,
            originalName: "old.pdf",
            mimeType: "application/pdf",
            sizeBytes: Math.round(49.5 * 1024 * 1024),
            checksumSha256: "0".repeat(64),
          },
        }),
      );
      // what is stored counts: a PDF is kept byte for byte (an image would be re-encoded smaller)
      const big = Buffer.concat([SAMPLE_PDF, Buffer.alloc(1024 * 1024)]);
      const res = await upload(hostOf(t.slug), owner, "renter_id", big, "big.pdf");
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("50");
      // a small one still fits
      expect((await upload(hostOf(t.slug), owner, "property_photo", SAMPLE_PNG, "small.png")).status).toBe(201);
      // and nothing of the refused upload stays in the store
      expect((await raw.keys(t.tenantId)).length).toBe(1);
    });
  });

  describe("serving files", () => {
    let privateId: string;
    let publicId: string;

    beforeAll(async () => {
      const owner = await ownerOf(a);
      privateId = ((await (await upload(hostOf(a.slug), owner, "renter_id", SAMPLE_PDF, "ស្កេន id.pdf")).json()) as { id: string }).id;
      publicId = ((await (await upload(hostOf(a.slug), owner, "property_photo", SAMPLE_JPEG, "front.jpg")).json()) as { id: string }).id;
    });

    it("private: a member with files.private gets the bytes, inline, not cacheable, not sniffable", async () => {
      const res = await get(hostOf(a.slug), privateFileUrl(privateId), await ownerOf(a), a.slug, privateId, privateRoute);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(SAMPLE_PDF);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-disposition")).toBe(
        `inline; filename="_____ id.pdf"; filename*=UTF-8''${encodeURIComponent("ស្កេន id.pdf")}`,
      );
      const manager = await sessionFor(a.manager.userId, hostOf(a.slug));
      expect(
        (await get(hostOf(a.slug), `${privateFileUrl(privateId)}?download=1`, manager, a.slug, privateId, privateRoute)).headers.get(
          "content-disposition",
        ),
      ).toMatch(/^attachment;/);
    });

    it("private: 401 anonymous, 403 without files.private, 404 for another workspace's member or host, 404 unknown id", async () => {
      expect((await get(hostOf(a.slug), privateFileUrl(privateId), null, a.slug, privateId, privateRoute)).status).toBe(401);
      const viewer = await sessionFor(a.viewer.userId, hostOf(a.slug));
      expect((await get(hostOf(a.slug), privateFileUrl(privateId), viewer, a.slug, privateId, privateRoute)).status).toBe(403);
      const stranger = await sessionFor(b.owner.userId, hostOf(a.slug));
      expect((await get(hostOf(a.slug), privateFileUrl(privateId), stranger, a.slug, privateId, privateRoute)).status).toBe(404);
      // B's owner on B's own host asking for A's file id: not in B's workspace
      expect((await get(hostOf(b.slug), privateFileUrl(privateId), await ownerOf(b), b.slug, privateId, privateRoute)).status).toBe(404);
      expect((await get(hostOf(a.slug), privateFileUrl(randomUUID()), await ownerOf(a), a.slug, randomUUID(), privateRoute)).status).toBe(
        404,
      );
      expect((await get(hostOf(a.slug), "/files/..%2F..", await ownerOf(a), a.slug, "../..", privateRoute)).status).toBe(404);
    });

    it("public: anyone gets a public file with long-lived caching; private files and other hosts are 404", async () => {
      const res = await get(hostOf(a.slug), publicFileUrl(publicId), null, a.slug, publicId, publicRoute);
      expect(res.status).toBe(200);
      const served = Buffer.from(await res.arrayBuffer());
      const row = await new TenantDb(a.tenantId).run((tx) => tx.file.findFirstOrThrow({ where: { id: publicId } }));
      expect(served).toEqual(await raw.bytes(row.storageKey));
      expect(sniffFile(served)).toMatchObject({ mimeType: "image/jpeg", width: 1, height: 1 });
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      // a cache revalidating its copy gets 304 (the store is not read)
      const etag = res.headers.get("etag")!;
      expect(etag).toBe(`"${row.checksumSha256}"`);
      const revalidate = await publicRoute(
        new Request(`http://${hostOf(a.slug)}:${PORT}${publicFileUrl(publicId)}`, {
          headers: { ...Object.fromEntries(setRequest(hostOf(a.slug), null)), "if-none-match": etag },
        }),
        { params: Promise.resolve({ tenant: a.slug, id: publicId }) },
      );
      expect(revalidate.status).toBe(304);
      expect(revalidate.headers.get("etag")).toBe(etag);
      expect(await revalidate.text()).toBe("");
      expect((await get(hostOf(a.slug), publicFileUrl(privateId), null, a.slug, privateId, publicRoute)).status).toBe(404);
      expect((await get(hostOf(b.slug), publicFileUrl(publicId), null, b.slug, publicId, publicRoute)).status).toBe(404);
      // the path's workspace must be the host's
      expect((await get(hostOf(b.slug), publicFileUrl(publicId), null, a.slug, publicId, publicRoute)).status).toBe(404);
    });
  });

  describe("FileService", () => {
    it("assertAttachable: this workspace's file of the right purpose only", async () => {
      const owner = await ownerOf(a);
      const photo = ((await (await upload(hostOf(a.slug), owner, "property_photo", SAMPLE_PNG, "p.png")).json()) as { id: string }).id;
      const service = new FileService(await ctxFor(a, a.owner.userId));
      const file = await new TenantDb(a.tenantId).run((tx) => service.assertAttachable(tx, photo, "property_photo"));
      expect(file.id).toBe(photo);
      await expect(new TenantDb(a.tenantId).run((tx) => service.assertAttachable(tx, photo, "renter_id"))).rejects.toMatchObject({
        code: "VALIDATION",
        key: "files.errors.wrongPurpose",
      });
      const serviceB = new FileService(await ctxFor(b, b.owner.userId));
      const err = await new TenantDb(b.tenantId)
        .run((tx) => serviceB.assertAttachable(tx, photo, "property_photo"))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "NOT_FOUND" });
    });

    it("the workspace logo: set through files.setTenantLogo, read back by readTenantLogo for PDFs, cleared again", async () => {
      expect(await readTenantLogo(a.tenantId)).toBeNull();
      const owner = await ownerOf(a);
      const logo = ((await (await upload(hostOf(a.slug), owner, "tenant_logo", SAMPLE_PNG, "logo.png")).json()) as { id: string }).id;
      const caller = await signedIn(a.owner.userId, hostOf(a.slug));
      await caller.files.setTenantLogo({ fileId: logo });
      expect(await caller.files.tenantLogo()).toEqual({ logoFileId: logo, url: publicFileUrl(logo) });
      // stored as the bounded PNG the upload re-encoded
      expect(sniffFile((await readTenantLogo(a.tenantId))!)).toEqual({ kind: "image", mimeType: "image/png", width: 4, height: 3 });
      // a photo is not a logo; a manager may not change it
      const photo = ((await (await upload(hostOf(a.slug), owner, "property_photo", SAMPLE_PNG, "p.png")).json()) as { id: string }).id;
      await expect(caller.files.setTenantLogo({ fileId: photo })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      const manager = await signedIn(a.manager.userId, hostOf(a.slug));
      await expect(manager.files.setTenantLogo({ fileId: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await caller.files.setTenantLogo({ fileId: null });
      expect(await readTenantLogo(a.tenantId)).toBeNull();
    });
  });
});
