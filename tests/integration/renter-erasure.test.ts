// Renter erasure (issue 14): on request (renters.manage, the renter's phone typed) or by the
// retention job, once every contract has ended and the financial retention period has passed.
// Invoices and payments stay with an anonymised renter; no original value survives in the renter
// row, the messages addressed to them, their audit rows or their files. Controlled clock.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createContract,
  createRenter,
  createRentInvoice,
  createTenant,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { readStoredFile, storageKeyFor, writeStoredFile } from "@/server/files/storage";
import { RenterErasureService } from "@/server/renters/erasure";
import { RenterErasureJob } from "@/server/renters/erasure.jobs";
import { expectTRPCError, hostOf, ownerContext, signedIn, uniqueEmail } from "./support/world";

const NOW = new Date("2030-03-01T09:00:00Z");
const RETENTION_DAYS = 3650;
const clock = () => NOW;

let a: CreatedTenant;
let b: CreatedTenant;

interface Person {
  renterId: string;
  contractId: string | null;
  phone: string;
  originals: string[];
  fileKey: string | null;
}

/** A renter with every kind of personal data: names, phone, e-mail, Telegram, emergency contact, notes, an ID scan, a message, audit rows. */
async function person(t: CreatedTenant, tag: string, contract: { status: "active" | "ended"; endDate?: string } | null): Promise<Person> {
  const n = randomUUID().replace(/\D/g, "").padEnd(10, "0");
  const phone = `+85516${n.slice(0, 6)}`;
  const originals = [
    `Chan Sophea ${tag}${n.slice(0, 4)}`,
    `ចាន់ សុភា ${tag}`,
    `sophea.${tag}.${n.slice(0, 6)}@mail.test`,
    `@sophea_${tag}_${n.slice(0, 5)}`,
  ];
  const emergencyPhone = `+85517${n.slice(4, 10)}`;
  const r = await createRenter({
    tenantId: t.tenantId,
    nameLatin: originals[0],
    nameKm: originals[1],
    phone,
    email: originals[2],
    telegram: originals[3],
  });
  const fileId = randomUUID();
  const fileKey = storageKeyFor(t.tenantId, fileId);
  await writeStoredFile(fileKey, Buffer.from(`national ID of ${originals[0]}`));
  await new TenantDb(t.tenantId).run(async (tx) => {
    await tx.file.create({
      data: {
        id: fileId,
        tenantId: t.tenantId,
        visibility: "private",
        purpose: "renter_id",
        storageKey: fileKey,
        originalName: `${originals[0]}.jpg`,
        mimeType: "image/jpeg",
        sizeBytes: 20,
        checksumSha256: "0".repeat(64),
      },
    });
    await tx.renter.update({
      where: { id: r.id },
      data: {
        idDocumentFileId: fileId,
        emergencyName: `Mother of ${originals[0]}`,
        emergencyPhone,
        notes: `Works at ${originals[0]} shop`,
      },
    });
    await tx.outboundMessage.create({
      data: {
        tenantId: t.tenantId,
        key: "rent.reminder",
        locale: "km",
        to: originals[2]!,
        dedupeKey: `erasure-${r.id}`,
        variables: { renterName: originals[0] },
        subject: `Rent reminder for ${originals[0]}`,
        bodyText: `Dear ${originals[0]}`,
        status: "sent",
      },
    });
    await tx.auditLog.create({
      data: {
        tenantId: t.tenantId,
        action: "renter.created",
        targetType: "Renter",
        targetId: r.id,
        metadata: { after: { nameLatin: originals[0], phone } },
      },
    });
  });
  let contractId: string | null = null;
  if (contract) {
    const c = await createContract({
      tenantId: t.tenantId,
      renterId: r.id,
      status: contract.status,
      startDate: "2019-01-01",
      endDate: contract.endDate,
    });
    await createRentInvoice({ tenantId: t.tenantId, contractId: c.id, period: "2019-02" });
    contractId = c.id;
  }
  return { renterId: r.id, contractId, phone, originals: [...originals, phone, emergencyPhone], fileKey };
}

/** Everything stored about a renter that could hold their data, as one string. */
async function traces(t: CreatedTenant, p: Person): Promise<string> {
  return platformDb.run(async (tx) =>
    JSON.stringify({
      renter: await tx.renter.findUnique({ where: { id: p.renterId } }),
      messages: await tx.outboundMessage.findMany({ where: { tenantId: t.tenantId, dedupeKey: `erasure-${p.renterId}` } }),
      audit: await tx.auditLog.findMany({ where: { tenantId: t.tenantId, targetId: p.renterId } }),
      files: await tx.file.findMany({ where: { tenantId: t.tenantId, storageKey: p.fileKey ?? "" } }),
    }),
  );
}

async function expectErased(t: CreatedTenant, p: Person) {
  const text = await traces(t, p);
  for (const value of p.originals) expect(text, `"${value}" survived the erasure`).not.toContain(value);
  expect(await readStoredFile(p.fileKey!)).toBeNull();
  const renter = await platformDb.run((tx) => tx.renter.findUniqueOrThrow({ where: { id: p.renterId } }));
  expect(renter).toMatchObject({
    erasedAt: NOW,
    email: null,
    telegram: null,
    emergencyName: null,
    emergencyPhone: null,
    notes: "",
    idDocumentFileId: null,
  });
  expect(renter.nameLatin).toMatch(/^Erased renter #[0-9a-f]{8}$/);
  expect(renter.nameKm).toMatch(/^អ្នកជួលដែលបានលុប #[0-9a-f]{8}$/);
  // the financial records stay, on the anonymised renter
  if (p.contractId) {
    const invoices = await platformDb.run((tx) =>
      tx.rentInvoice.findMany({ where: { contractId: p.contractId! }, select: { id: true, contract: { select: { renterId: true } } } }),
    );
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.contract.renterId).toBe(p.renterId);
  }
}

beforeAll(async () => {
  const slug = uniqueSlug("erase");
  a = await createTenant({ slug, ownerEmail: uniqueEmail("owner", slug) });
  b = await createTenant({ slug: uniqueSlug("eraseb") });
});

describe("erasure on request", () => {
  it("erases a renter whose contracts ended before the retention period, keeping invoices with an anonymised renter", async () => {
    const p = await person(a, "req", { status: "ended", endDate: "2020-01-31" });
    const service = new RenterErasureService(await ownerContext(a), RETENTION_DAYS, clock);
    await expect(service.erase({ renterId: p.renterId, phone: "016 000 000" })).rejects.toMatchObject({
      key: "renterErasure.errors.phoneMismatch",
    });
    // the phone as staff type it: any Cambodian format
    const local = `0${p.phone.slice(4, 6)} ${p.phone.slice(6, 9)} ${p.phone.slice(9)}`;
    const out = await service.erase({ renterId: p.renterId, phone: local });
    expect(out.name).toMatch(/^Erased renter #/);
    await expectErased(a, p);
    const audit = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findMany({ where: { action: "renter.erased", targetId: p.renterId } }),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: a.owner.userId, metadata: { files: 1, trigger: "request" } });
    await expect(service.erase({ renterId: p.renterId, phone: local })).rejects.toMatchObject({
      key: "renterErasure.errors.alreadyErased",
    });
  });

  it("is refused while a contract is active and within the retention period, with the date it becomes possible", async () => {
    const service = new RenterErasureService(await ownerContext(a), RETENTION_DAYS, clock);
    const active = await person(a, "act", { status: "active" });
    await expect(service.erase({ renterId: active.renterId, phone: active.phone })).rejects.toMatchObject({
      code: "INVALID_STATE",
      key: "renterErasure.errors.openContract",
    });
    const recent = await person(a, "rec", { status: "ended", endDate: "2025-06-30" });
    await expect(service.erase({ renterId: recent.renterId, phone: recent.phone })).rejects.toMatchObject({
      key: "renterErasure.errors.withinRetention",
      params: { date: "2035-06-28" },
    });
    for (const p of [active, recent]) {
      const text = await traces(a, p);
      for (const value of p.originals.slice(0, 3)) expect(text).toContain(value);
      expect(await readStoredFile(p.fileKey!)).not.toBeNull();
    }
  });

  it("needs renters.manage, and B's staff cannot name A's renter", async () => {
    const p = await person(a, "perm", null);
    const viewer = await addMember(a, { email: uniqueEmail("viewer", a.slug), role: "viewer" });
    const v = await signedIn(viewer.userId, hostOf(a.slug));
    await expectTRPCError(v.renters.erase({ renterId: p.renterId, phone: p.phone }), "FORBIDDEN", { key: "errors.missingPermission" });
    const bOwner = await signedIn(b.owner.userId, hostOf(b.slug));
    await expectTRPCError(bOwner.renters.erase({ renterId: p.renterId, phone: p.phone }), "NOT_FOUND");
    // a manager may; a renter who never had a contract can be erased at once
    const manager = await addMember(a, { email: uniqueEmail("manager", a.slug), role: "manager" });
    const m = await signedIn(manager.userId, hostOf(a.slug));
    await expect(m.renters.erase({ renterId: p.renterId, phone: p.phone })).resolves.toMatchObject({ id: p.renterId });
    const renter = await platformDb.run((tx) => tx.renter.findUniqueOrThrow({ where: { id: p.renterId } }));
    expect(JSON.stringify(renter)).not.toContain(p.originals[0]);
  });
});

describe("erasure by the retention job", () => {
  it("erases only renters whose contracts all ended more than the retention period ago, once", async () => {
    const due = await person(a, "job", { status: "ended", endDate: "2019-12-31" });
    const active = await person(a, "jact", { status: "active" });
    const recent = await person(a, "jrec", { status: "ended", endDate: "2025-06-30" });
    const prospect = await person(a, "jpro", null);
    const other = await person(b, "jb", { status: "ended", endDate: "2019-12-31" });

    // a day before the period ends for `due`: nothing
    const dayBefore = new Date(Date.UTC(2029, 11, 27, 12)); // 2019-12-31 + 3650 days = 2029-12-28
    expect(await new RenterErasureJob(() => dayBefore, RETENTION_DAYS).run({ tenantIds: [a.tenantId] })).toEqual({ renters: 0 });

    const result = await new RenterErasureJob(clock, RETENTION_DAYS).run({ tenantIds: [a.tenantId] });
    expect(result.renters).toBeGreaterThanOrEqual(1);
    await expectErased(a, due);
    const audit = await platformDb.run((tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "renter.erased", targetId: due.renterId } }),
    );
    expect(audit).toMatchObject({ actorUserId: null, metadata: { trigger: "retention" } });
    // kept: an active contract, one within the period, a prospect (no contract), another workspace's renter
    for (const [t, p] of [
      [a, active],
      [a, recent],
      [a, prospect],
      [b, other],
    ] as const) {
      const text = await traces(t, p);
      expect(text).toContain(p.originals[0]);
      expect(await readStoredFile(p.fileKey!)).not.toBeNull();
    }
    expect(await new RenterErasureJob(clock, RETENTION_DAYS).run({ tenantIds: [a.tenantId] })).toEqual({ renters: 0 });
  });
});
