// Renters against the real database through the tRPC router: phones typed any Cambodian way are
// stored in E.164 and found again however they are typed, names in either script, duplicates,
// archive rules, the private ID document and its link, permissions and audit rows.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createContract, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { privateFileUrl } from "@/lib/files/urls";
import { expectTRPCError, hostOf, signedIn, type Caller } from "./support/world";

let a: CreatedTenant;
let b: CreatedTenant;
let owner: Caller;
let viewer: Caller;
let bOwner: Caller;

/** A fresh, unused Cambodian mobile number in three spellings. */
function newPhone() {
  const n = String(Math.floor(Math.random() * 1e6)).padStart(6, "0");
  const national = `016 ${n.slice(0, 3)} ${n.slice(3)}`;
  return { national, intl: `+855 16 ${n.slice(0, 3)} ${n.slice(3)}`, dashed: `855-16-${n.slice(0, 3)}-${n.slice(3)}`, e164: `+85516${n}` };
}

async function fileRow(tenantId: string, purpose: string) {
  const id = randomUUID();
  await new TenantDb(tenantId).run((tx) =>
    tx.file.create({
      data: {
        id,
        tenantId,
        visibility: purpose === "renter_id" ? "private" : "public",
        purpose,
        storageKey: `${tenantId}/${id}`,
        originalName: "id-card.pdf",
        mimeType: "application/pdf",
        sizeBytes: 1234,
        checksumSha256: "0".repeat(64),
      },
    }),
  );
  return id;
}

async function auditActions(tenantId: string, targetId: string) {
  return new TenantDb(tenantId).run(async (tx) =>
    (await tx.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: "asc" }, select: { action: true } })).map((r) => r.action),
  );
}

beforeAll(async () => {
  const aSlug = uniqueSlug("rn");
  a = await createTenant({ slug: aSlug });
  b = await createTenant({ slug: uniqueSlug("rnb") });
  const v = await addMember(a, { email: `viewer@${aSlug}.test`, role: "viewer" });
  [owner, viewer, bOwner] = await Promise.all([
    signedIn(a.owner.userId, hostOf(a.slug)),
    signedIn(v.userId, hostOf(a.slug)),
    signedIn(b.owner.userId, hostOf(b.slug)),
  ]);
});

describe("creating renters", () => {
  it("stores the phone in E.164 whichever way it was typed", async () => {
    for (const key of ["national", "intl", "dashed"] as const) {
      const p = newPhone();
      const created = await owner.renters.create({ nameLatin: `Phone ${key}`, phone: p[key] });
      const got = await owner.renters.get({ renterId: created.id });
      expect(got.phone).toBe(p.e164);
    }
  });

  it("normalises the emergency phone too and keeps both names", async () => {
    const p = newPhone();
    const e = newPhone();
    const { id } = await owner.renters.create({
      nameKm: "ចាន់ សុភា",
      nameLatin: "Chan Sophea",
      phone: p.national,
      emergencyName: "Mother",
      emergencyPhone: e.dashed,
      locale: "en",
    });
    const got = await owner.renters.get({ renterId: id });
    expect(got).toMatchObject({
      nameKm: "ចាន់ សុភា",
      nameLatin: "Chan Sophea",
      phone: p.e164,
      emergencyPhone: e.e164,
      locale: "en",
      idDocument: null,
      contracts: [],
    });
    expect(await auditActions(a.tenantId, id)).toEqual(["renter.created"]);
  });

  it("refuses a bad phone with a clear field error and writes nothing", async () => {
    const before = await owner.renters.list({ search: "Bad phone person" });
    const e = await expectTRPCError(owner.renters.create({ nameLatin: "Bad phone person", phone: "+66 81 234 5678" }), "BAD_REQUEST");
    expect(e.cause).toBeDefined();
    const issues = (e.cause as unknown as { issues: Array<{ path: string[]; message: string }> }).issues;
    expect(issues).toEqual([expect.objectContaining({ path: ["phone"], message: "renters.phoneErrors.notCambodian" })]);
    await expectTRPCError(owner.renters.create({ nameLatin: "Bad phone person", phone: "012 345" }), "BAD_REQUEST");
    await expectTRPCError(owner.renters.create({ phone: newPhone().national }), "BAD_REQUEST");
    expect((await owner.renters.list({ search: "Bad phone person" })).items).toEqual(before.items);
  });

  it("refuses a phone that already belongs to a current renter, however it is written", async () => {
    const p = newPhone();
    await owner.renters.create({ nameLatin: "First holder", phone: p.national });
    await expectTRPCError(owner.renters.create({ nameLatin: "Second holder", phone: p.dashed }), "CONFLICT", {
      key: "renters.errors.phoneTaken",
    });
    // another workspace may have the same number
    await bOwner.renters.create({ nameLatin: "Other workspace", phone: p.intl });
  });

  it("is for renters.manage: a viewer may read but not write", async () => {
    await viewer.renters.list({});
    await expectTRPCError(viewer.renters.create({ nameLatin: "Nope", phone: newPhone().national }), "FORBIDDEN");
  });
});

describe("searching renters", () => {
  const p = newPhone();
  let id: string;
  beforeAll(async () => {
    ({ id } = await owner.renters.create({
      nameKm: "សុខ វិចិត្រា",
      nameLatin: "Sok Vichetra",
      phone: p.national,
      email: "vichetra@example.com",
    }));
    await owner.renters.create({ nameKm: "ម៉ៅ ស្រីនាង", nameLatin: "Mao Sreyneang", phone: newPhone().national });
  });

  const ids = async (search: string, caller = owner, archived = false) =>
    (await caller.renters.list({ search, archived })).items.map((r) => r.id);

  it.each([
    ["a Latin name, any case", "sok vichetra"],
    ["part of a Latin name", "VICH"],
    ["the words in another order", "Vichetra Sok"],
    ["a Khmer name", "សុខ វិចិត្រា"],
    ["part of a Khmer name", "វិចិត្រា"],
    ["the e-mail", "vichetra@example"],
  ])("by %s", async (_what, q) => {
    expect(await ids(q)).toContain(id);
  });

  it("by phone in every common format, or part of it", async () => {
    const n = p.e164.slice(4); // national significant number
    for (const q of [p.national, p.intl, p.dashed, p.e164, `0${n.slice(0, 5)}`, `${n.slice(2, 5)} ${n.slice(5)}`]) {
      expect(await ids(q), q).toContain(id);
    }
  });

  it("does not match other renters by accident", async () => {
    expect(await ids("Sreyneang")).not.toContain(id);
    expect(await ids("ស្រីនាង")).not.toContain(id);
  });

  it("never finds another workspace's renters", async () => {
    expect(await ids("Vichetra", bOwner)).toEqual([]);
    expect(await ids(p.national, bOwner)).toEqual([]);
    await expectTRPCError(bOwner.renters.get({ renterId: id }), "NOT_FOUND");
  });

  it("pages with a cursor and sorts on the server", async () => {
    const first = await owner.renters.list({ limit: 2, sort: { id: "nameLatin", desc: false } });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await owner.renters.list({ limit: 2, sort: { id: "nameLatin", desc: false }, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).not.toContain(first.items[0]!.id);
    const asc = (await owner.renters.list({ limit: 100, sort: { id: "nameLatin", desc: false } })).items.map((r) => r.id);
    const desc = (await owner.renters.list({ limit: 100, sort: { id: "nameLatin", desc: true } })).items.map((r) => r.id);
    expect(asc.length).toBeGreaterThan(3);
    expect(desc).toEqual([...asc].reverse());
    const byNewest = (await owner.renters.list({ limit: 100, sort: { id: "createdAt", desc: true } })).items.map((r) => r.id);
    expect(byNewest).not.toEqual(asc);
  });
});

describe("editing, archiving and restoring", () => {
  it("updates a renter and audits before and after", async () => {
    const p = newPhone();
    const q = newPhone();
    const { id } = await owner.renters.create({ nameLatin: "Keo Dara", phone: p.national });
    await owner.renters.update({ renterId: id, nameLatin: "Keo Dara", nameKm: "កែវ ដារ៉ា", phone: q.intl, telegram: "@keodara" });
    expect(await owner.renters.get({ renterId: id })).toMatchObject({ nameKm: "កែវ ដារ៉ា", phone: q.e164, telegram: "@keodara" });
    expect(await auditActions(a.tenantId, id)).toEqual(["renter.created", "renter.updated"]);
  });

  it("refuses to archive a renter with a draft or active contract, archives one without", async () => {
    const { id } = await owner.renters.create({ nameLatin: "Under contract", phone: newPhone().national });
    const contract = await createContract({ tenantId: a.tenantId, renterId: id, status: "active" });
    await expectTRPCError(owner.renters.archive({ renterId: id }), "PRECONDITION_FAILED", { key: "renters.errors.hasOpenContracts" });
    await new TenantDb(a.tenantId).run((tx) =>
      tx.contract.update({ where: { id: contract.id }, data: { status: "ended", activeUnitId: null, endedAt: new Date() } }),
    );
    const got = await owner.renters.get({ renterId: id });
    expect(got.contracts).toEqual([expect.objectContaining({ id: contract.id, status: "ended" })]);
    await owner.renters.archive({ renterId: id });
    expect((await owner.renters.list({ search: "Under contract" })).items).toEqual([]);
    expect((await owner.renters.list({ search: "Under contract", archived: true })).items.map((r) => r.id)).toEqual([id]);
    await expectTRPCError(owner.renters.update({ renterId: id, nameLatin: "x", phone: newPhone().national }), "PRECONDITION_FAILED");
    await owner.renters.restore({ renterId: id });
    expect((await owner.renters.list({ search: "Under contract" })).items.map((r) => r.id)).toEqual([id]);
    expect(await auditActions(a.tenantId, id)).toEqual(["renter.created", "renter.archived", "renter.restored"]);
  });

  it("frees the phone of an archived renter, and will not restore into a clash", async () => {
    const p = newPhone();
    const { id: old } = await owner.renters.create({ nameLatin: "Moved out", phone: p.national });
    await owner.renters.archive({ renterId: old });
    await owner.renters.create({ nameLatin: "New holder", phone: p.national });
    await expectTRPCError(owner.renters.restore({ renterId: old }), "CONFLICT", { key: "renters.errors.phoneTaken" });
  });
});

describe("the ID document", () => {
  it("attaches a renter_id file, links it privately, hides the link from roles without files.private", async () => {
    const { id } = await owner.renters.create({ nameLatin: "With ID", phone: newPhone().national });
    const fileId = await fileRow(a.tenantId, "renter_id");
    await owner.renters.setIdDocument({ renterId: id, fileId });
    const got = await owner.renters.get({ renterId: id });
    expect(got.idDocument).toMatchObject({ id: fileId, originalName: "id-card.pdf", url: privateFileUrl(fileId) });
    const seenByViewer = await viewer.renters.get({ renterId: id });
    expect(seenByViewer.idDocument).toMatchObject({ id: fileId, url: null });
    expect(await auditActions(a.tenantId, id)).toEqual(["renter.created", "renter.id_document_set"]);
  });

  it("refuses a file of another purpose or another workspace", async () => {
    const { id } = await owner.renters.create({ nameLatin: "Wrong file", phone: newPhone().national });
    const photo = await fileRow(a.tenantId, "property_photo");
    await expectTRPCError(owner.renters.setIdDocument({ renterId: id, fileId: photo }), "BAD_REQUEST", {
      key: "files.errors.wrongPurpose",
    });
    const foreign = await fileRow(b.tenantId, "renter_id");
    await expectTRPCError(owner.renters.setIdDocument({ renterId: id, fileId: foreign }), "NOT_FOUND");
    expect((await owner.renters.get({ renterId: id })).idDocument).toBeNull();
  });

  it("replacing or removing it deletes the old file", async () => {
    const { id } = await owner.renters.create({ nameLatin: "Replaces ID", phone: newPhone().national });
    const first = await fileRow(a.tenantId, "renter_id");
    const second = await fileRow(a.tenantId, "renter_id");
    await owner.renters.setIdDocument({ renterId: id, fileId: first });
    await owner.renters.setIdDocument({ renterId: id, fileId: second });
    const exists = (fid: string) => new TenantDb(a.tenantId).run((tx) => tx.file.count({ where: { id: fid } }));
    expect(await exists(first)).toBe(0);
    expect((await owner.renters.get({ renterId: id })).idDocument?.id).toBe(second);
    await owner.renters.setIdDocument({ renterId: id, fileId: null });
    expect(await exists(second)).toBe(0);
    expect((await owner.renters.get({ renterId: id })).idDocument).toBeNull();
  });
});
