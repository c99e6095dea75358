// Hostile and oversized images (issue 11 item 7): a tiny PNG that declares a huge canvas (a
// decompression bomb) is refused from its header before anything decodes it; a damaged image is
// refused at upload with a clear error (never a 500); good logos, photos and image scans are
// re-encoded once at upload to a bounded size without their metadata (EXIF, GPS), and the stored
// bytes are what counts against storage; a legacy logo that is huge or damaged (stored before
// this check) never breaks or stalls an invoice PDF. Real database, real files, real sharp.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createContract, createProperty, createRenter, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { RentInvoiceService } from "@/server/rent-invoices/rent-invoice-service";
import { runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { renderRentPdf } from "@/server/pdf/rent-pdf";
import { tenantLogoForPdf } from "@/server/files/logo";
import type { SessionClaims } from "@/server/auth/auth.public";
import { makeBombPng, makeCorruptPng, makePng, SAMPLE_PDF } from "@/server/testing/sample-files";
import { PORT, hostOf, sessionFor, uniqueIp } from "./support/world";
import { tenantContextFor, tenantScope } from "./support/team";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handler itself
import { POST as uploadRoute } from "@/app/api/files/route";

const PURPOSES = ["property_photo", "tenant_logo", "renter_id", "contract_scan"] as const;
type Purpose = (typeof PURPOSES)[number];
type Uploaded = { id: string; originalName: string; mimeType: string; sizeBytes: number };

let storageDir: string;
let t: CreatedTenant;

async function upload(purpose: Purpose, bytes: Uint8Array, name = "upload.bin", language = "en"): Promise<Response> {
  const host = hostOf(t.slug);
  current.headers = new Headers({
    host: `${host}:${PORT}`,
    origin: `http://${host}:${PORT}`,
    "x-forwarded-for": uniqueIp(),
    "accept-language": language,
  });
  current.claims = await sessionFor(t.owner.userId, host);
  const form = new FormData();
  form.set("purpose", purpose);
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  return uploadRoute(new Request(`http://${host}:${PORT}/api/files`, { method: "POST", headers: current.headers, body: form }));
}

async function storedCount(): Promise<number> {
  return (await readdir(path.join(storageDir, t.tenantId)).catch(() => [])).length;
}

async function stored(id: string) {
  const row = await new TenantDb(t.tenantId).run((tx) => tx.file.findFirstOrThrow({ where: { id } }));
  const bytes = await readFile(path.join(storageDir, row.storageKey));
  return { row, bytes, meta: await sharp(bytes).metadata() };
}

/** A smooth JPEG (so it stays small) carrying EXIF with a camera make, GPS and a rotation. */
async function phonePhoto(width: number, height: number, orientation = 1): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: "PhoneCo", Model: "X1" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "11/1 33/1 30/1" } })
    .withMetadata({ orientation })
    .toBuffer();
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "phteah-hostile-"));
  process.env.FILE_STORAGE_DIR = storageDir;
  t = await createTenant({ slug: uniqueSlug("himg") });
});

afterAll(async () => {
  delete process.env.FILE_STORAGE_DIR;
  await rm(storageDir, { recursive: true, force: true });
});

describe("decompression bombs are refused from the header, before any decoding", () => {
  it("a few hundred bytes of PNG declaring 50,000 × 50,000 pixels: refused for every purpose with a clear message", async () => {
    const bomb = makeBombPng(50_000, 50_000);
    expect(bomb.length).toBeLessThan(500);
    const before = await storedCount();
    for (const purpose of PURPOSES) {
      const started = Date.now();
      const res = await upload(purpose, bomb, "bomb.png");
      expect(res.status, purpose).toBe(400);
      const { error } = (await res.json()) as { error: { message: string } };
      expect(error.message, purpose).toMatch(/too large \(50000 × 50000 pixels\)/);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    expect(await storedCount()).toBe(before);
  });

  it("bounds by megapixels too: 7,000 × 7,000 (49 MP) is refused as a photo or scan, 5,000 × 5,000 as a logo", async () => {
    for (const purpose of ["property_photo", "renter_id", "contract_scan"] as const) {
      const res = await upload(purpose, makeBombPng(7_000, 7_000), "big.png");
      expect(res.status, purpose).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("40 megapixels");
    }
    const logo = await upload("tenant_logo", makeBombPng(5_000, 5_000), "logo.png");
    expect(logo.status).toBe(400);
    expect(((await logo.json()) as { error: { message: string } }).error.message).toContain("16 megapixels");
  });

  it("the message is translated", async () => {
    const res = await upload("property_photo", makeBombPng(50_000, 50_000), "bomb.png", "km");
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/[\u1780-\u17ff]/);
    expect(error.message).toContain("50000 × 50000");
  });
});

describe("damaged images are refused at upload, never a 500", () => {
  it("a PNG with a bad CRC, a truncated PNG, a truncated JPEG, a JPEG header followed by garbage, a bomb within bounds", async () => {
    const jpeg = await sharp({
      create: { width: 400, height: 300, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } },
    })
      .jpeg()
      .toBuffer();
    const png = makePng(200, 150);
    const damaged: Array<[Buffer, string]> = [
      [makeCorruptPng(), "crc.png"],
      [png.subarray(0, Math.floor(png.length / 2)), "half.png"],
      [jpeg.subarray(0, Math.floor(jpeg.length / 2)), "half.jpg"],
      [Buffer.concat([jpeg.subarray(0, 700), Buffer.alloc(4000, 0x41)]), "garbage.jpg"],
      [makeBombPng(3_000, 3_000), "hollow.png"], // declares 9 MP, carries 4 KB of pixels
    ];
    const before = await storedCount();
    for (const purpose of PURPOSES) {
      for (const [bytes, name] of damaged) {
        const res = await upload(purpose, bytes, name);
        expect(res.status, `${purpose} ${name}`).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
          "This image is damaged or incomplete. Save it again and upload the new file.",
        );
      }
    }
    expect(await storedCount()).toBe(before);
  });
});

describe("good images are re-encoded once at upload, bounded, without metadata", () => {
  it("a 3000 × 2000 phone photo turned on its side: stored upright at most 2048 px, JPEG, no EXIF or GPS; the stored size is what counts", async () => {
    const original = await phonePhoto(3_000, 2_000, 6);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const res = await upload("property_photo", original, "IMG_0001.jpg");
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as Uploaded;
    const { row, bytes, meta } = await stored(body.id);
    expect(meta).toMatchObject({ format: "jpeg", width: 1365, height: 2048 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(bytes.includes(Buffer.from("PhoneCo"))).toBe(false);
    expect(body).toEqual({ id: row.id, originalName: "IMG_0001.jpg", mimeType: "image/jpeg", sizeBytes: bytes.length });
    expect(row).toMatchObject({ mimeType: "image/jpeg", sizeBytes: bytes.length });
    expect(row.checksumSha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("a 3000 × 3000 PNG photo with transparency keeps it (WebP), bounded to 2048 px", async () => {
    const png = await sharp({ create: { width: 3_000, height: 3_000, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const res = await upload("property_photo", png, "cut-out.png");
    expect(res.status, await res.clone().text()).toBe(201);
    const { row, meta } = await stored(((await res.json()) as Uploaded).id);
    expect(meta).toMatchObject({ format: "webp", width: 2048, height: 2048, hasAlpha: true });
    expect(row.mimeType).toBe("image/webp");
  });

  it("a small photo is not enlarged", async () => {
    const res = await upload("property_photo", makePng(320, 240), "small.png");
    expect(res.status).toBe(201);
    const { meta } = await stored(((await res.json()) as Uploaded).id);
    expect(meta).toMatchObject({ width: 320, height: 240 });
  });

  it("a logo becomes a PNG of at most 512 px (what the PDFs embed), also from a JPEG", async () => {
    const res = await upload("tenant_logo", await phonePhoto(1_600, 800), "logo.jpg");
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as Uploaded;
    const { bytes, meta } = await stored(body.id);
    expect(meta).toMatchObject({ format: "png", width: 512, height: 256 });
    expect(meta.exif).toBeUndefined();
    expect(body).toMatchObject({ mimeType: "image/png", sizeBytes: bytes.length });
  });

  it("an ID scan photo stays legible (at most 3000 px) without its metadata; a PDF scan is kept byte for byte", async () => {
    const res = await upload("renter_id", await phonePhoto(4_000, 3_000), "id.jpg");
    expect(res.status, await res.clone().text()).toBe(201);
    const { meta } = await stored(((await res.json()) as Uploaded).id);
    expect(meta).toMatchObject({ format: "jpeg", width: 3000, height: 2250 });
    expect(meta.exif).toBeUndefined();

    const pdf = await upload("contract_scan", SAMPLE_PDF, "contract.pdf");
    expect(pdf.status).toBe(201);
    const { bytes } = await (async () => {
      const id = ((await pdf.json()) as Uploaded).id;
      const row = await new TenantDb(t.tenantId).run((tx) => tx.file.findFirstOrThrow({ where: { id } }));
      return { bytes: await readFile(path.join(storageDir, row.storageKey)) };
    })();
    expect(bytes).toEqual(SAMPLE_PDF);
  });
});

describe("a legacy logo (stored before these checks) never breaks an invoice PDF", () => {
  async function workspaceWithInvoice() {
    const w = await createTenant({ slug: uniqueSlug("hlogo") });
    const p = await createProperty({ tenantId: w.tenantId });
    const renter = await createRenter({ tenantId: w.tenantId, nameLatin: "Sok Dara" });
    await createContract({ tenantId: w.tenantId, propertyId: p.id, renterId: renter.id, status: "active", startDate: "2026-01-01" });
    await runInvoicesForTenant(w.tenantId, { date: "2026-03-01", trigger: "job", now: new Date("2026-03-01T03:00:00Z") });
    const inv = await new TenantDb(w.tenantId).run((tx) => tx.rentInvoice.findFirstOrThrow());
    const scope = await tenantScope(w.slug);
    if (scope.kind !== "tenant") throw new Error("no scope");
    const ctx = await tenantContextFor(w.owner.userId, w.slug);
    const data = await new RentInvoiceService(ctx).document(inv.id);
    return { w, scope, data };
  }

  /** Writes `bytes` as the workspace's logo straight into storage and the database (no upload checks). */
  async function legacyLogo(tenantId: string, bytes: Buffer, mimeType = "image/png") {
    const id = randomUUID();
    const storageKey = `${tenantId}/${id}`;
    await mkdir(path.join(storageDir, tenantId), { recursive: true });
    await writeFile(path.join(storageDir, storageKey), bytes);
    await new TenantDb(tenantId).run((tx) =>
      tx.file.create({
        data: {
          id,
          tenantId,
          visibility: "public",
          purpose: "tenant_logo",
          storageKey,
          originalName: "logo.png",
          mimeType,
          sizeBytes: bytes.length,
          checksumSha256: createHash("sha256").update(bytes).digest("hex"),
        },
      }),
    );
    await getDb().tenant.update({ where: { id: tenantId }, data: { logoFileId: id } });
  }

  it("a bomb, a damaged PNG or a truncated one as logo: the PDF is still produced, quickly, without the logo", async () => {
    for (const bytes of [makeBombPng(50_000, 50_000), makeBombPng(15_000, 15_000), makeCorruptPng(), makePng(300, 100).subarray(0, 200)]) {
      const { w, scope, data } = await workspaceWithInvoice();
      await legacyLogo(w.tenantId, bytes);
      expect(await tenantLogoForPdf(w.tenantId)).toBeNull();
      const started = Date.now();
      const pdf = await renderRentPdf(data, "invoice", "en", scope.tenant);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(pdf.toString("latin1")).not.toContain("/Subtype /Image");
    }
  });

  it("a valid but oversized legacy logo (or a JPEG one) is embedded scaled down to at most 512 px", async () => {
    const big = await sharp({ create: { width: 3_000, height: 1_000, channels: 3, background: "#0d9488" } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 800, height: 400, channels: 3, background: "#b91c1c" } })
      .jpeg()
      .toBuffer();
    for (const [bytes, mime, width] of [
      [big, "image/png", 512],
      [jpeg, "image/jpeg", 512],
    ] as const) {
      const { w, scope, data } = await workspaceWithInvoice();
      await legacyLogo(w.tenantId, bytes, mime);
      const logo = await tenantLogoForPdf(w.tenantId);
      expect(logo && (await sharp(logo).metadata())).toMatchObject({ format: "png", width });
      const pdf = await renderRentPdf(data, "invoice", "en", scope.tenant);
      expect(pdf.toString("latin1")).toContain("/Subtype /Image");
      expect(pdf.toString("latin1")).toContain(`/Width ${width}`);
    }
  });
});
