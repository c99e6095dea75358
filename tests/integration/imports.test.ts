// CSV import of renters and units against the real database: per-row problems in the preview,
// all-or-nothing commits that check every row again (nothing is written when one row fails, even
// when the data changed after the preview), the plan's unit limit, concurrent imports, templates,
// permissions and the audit row.
import { beforeAll, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createProperty, createTenant, createUnit, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { importTemplate, type ImportPreview } from "@/lib/schemas/imports";
import { expectTRPCError, hostOf, signedIn, type Caller } from "./support/world";

let a: CreatedTenant;
let owner: Caller;
let viewer: Caller;
let accountant: Caller;
let n = 0;

/** A fresh 6-digit tail for unique phone numbers in this run. */
function tail(): string {
  n += 1;
  return String((Date.now() % 900_000) + n * 7919)
    .slice(-6)
    .padStart(6, "0");
}

const count = (tenantId: string, what: "renter" | "unit") =>
  new TenantDb(tenantId).run((tx) => (what === "renter" ? tx.renter.count() : tx.unit.count()));

const issuesOf = (p: ImportPreview) => p.rows.map((r) => ({ line: r.line, issues: r.issues.map((i) => [i.column, i.key]) }));

beforeAll(async () => {
  const slug = uniqueSlug("imp");
  a = await createTenant({ slug });
  const [v, acc] = await Promise.all([
    addMember(a, { email: `viewer@${slug}.test`, role: "viewer" }),
    addMember(a, { email: `accountant@${slug}.test`, role: "accountant" }),
  ]);
  [owner, viewer, accountant] = await Promise.all([
    signedIn(a.owner.userId, hostOf(slug)),
    signedIn(v.userId, hostOf(slug)),
    signedIn(acc.userId, hostOf(slug)),
  ]);
});

describe("renters", () => {
  it("previews a clean file with BOM, CRLF, quoted fields and Khmer, then imports every row", async () => {
    const [t1, t2] = [tail(), tail()];
    const csv =
      "\uFEFFname_km,Name Latin,phone,email,notes,locale\r\n" +
      `សុខ ដារ៉ា,Sok Dara,012 ${t1.slice(0, 3)} ${t1.slice(3)},DARA@example.com,"Pays cash, ""always"" on time\r\nsecond line",km\r\n` +
      `,Chan Sophea,+855-16-${t2.slice(0, 3)}-${t2.slice(3)},,,en\r\n` +
      ",,,,,\r\n";
    const before = await count(a.tenantId, "renter");
    const preview = await owner.imports.previewRenters({ csv });
    expect(preview).toMatchObject({ kind: "renters", fileIssues: [], validCount: 2, invalidCount: 0 });
    expect(preview.rows[0]!.values).toMatchObject({ name_km: "សុខ ដារ៉ា", phone: `+85512${t1}`, email: "dara@example.com" });
    expect(preview.rows[1]!.line).toBe(4); // the quoted field spans lines 2–3
    expect(await count(a.tenantId, "renter")).toBe(before); // a preview writes nothing

    const result = await owner.imports.commitRenters({ csv });
    expect(result).toEqual({ status: "imported", kind: "renters", count: 2 });
    expect(await count(a.tenantId, "renter")).toBe(before + 2);
    const found = await owner.renters.list({ search: `012 ${t1}` });
    expect(found.items).toEqual([expect.objectContaining({ nameLatin: "Sok Dara", phone: `+85512${t1}` })]);
    const detail = await owner.renters.get({ renterId: found.items[0]!.id });
    expect(detail.notes).toBe('Pays cash, "always" on time\r\nsecond line');
    const audit = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findFirst({ where: { action: "renter.imported" }, orderBy: { createdAt: "desc" } }),
    );
    expect(audit?.metadata).toMatchObject({ after: { count: 2 } });
  });

  it("reports every problem with its line and column, and a commit imports nothing", async () => {
    const existing = tail();
    await owner.renters.create({ nameLatin: "Already here", phone: `010 ${existing}` });
    const dup = tail();
    const good = tail();
    const csv = [
      "name_latin,phone,email,telegram",
      `Good Row,097 ${good} 1,,`, // line 2: fine on its own
      `No Phone,,,`, // 3
      `Thai Number,+66 81 234 5678,,`, // 4
      `,011 ${tail()},,`, // 5: no name
      `Bad Mail,011 ${tail()},not-an-email,`, // 6
      `First Dup,012 ${dup},,`, // 7
      `Second Dup,+855 12 ${dup},,@x`, // 8: same phone as line 7, bad telegram
      `Existing,+85510${existing},,`, // 9: phone of a current renter
      `Too,015 ${tail()},,,extra`, // 10: one field too many
    ].join("\n");
    const before = await count(a.tenantId, "renter");
    const preview = await owner.imports.previewRenters({ csv });
    expect(preview.fileIssues).toEqual([]);
    expect(preview.validCount).toBe(2);
    expect(preview.invalidCount).toBe(7);
    expect(issuesOf(preview)).toEqual([
      { line: 2, issues: [] },
      { line: 3, issues: [["phone", "validation.required"]] },
      { line: 4, issues: [["phone", "renters.phoneErrors.notCambodian"]] },
      {
        line: 5,
        issues: [
          ["name_latin", "renters.errors.nameRequired"],
          ["name_km", "renters.errors.nameRequired"],
        ],
      },
      { line: 6, issues: [["email", "validation.email"]] },
      { line: 7, issues: [] },
      { line: 8, issues: [["telegram", "renters.errors.telegram"]] },
      { line: 9, issues: [["phone", "renters.errors.phoneTaken"]] },
      { line: 10, issues: [[null, "imports.errors.tooManyFields"]] },
    ]);
    const result = await owner.imports.commitRenters({ csv });
    expect(result.status).toBe("invalid");
    expect(await count(a.tenantId, "renter")).toBe(before);
  });

  it("flags the same phone twice in one file on the second line", async () => {
    const p = tail();
    const preview = await owner.imports.previewRenters({ csv: `name_latin,phone\nOne,012 ${p}\nTwo,+85512${p}\n` });
    expect(issuesOf(preview)).toEqual([
      { line: 2, issues: [] },
      { line: 3, issues: [["phone", "imports.errors.duplicatePhoneInFile"]] },
    ]);
    expect(preview.rows[1]!.issues[0]!.params).toEqual({ line: 2 });
  });

  it("checks again on commit: a renter added after the preview makes the whole import fail", async () => {
    const [p1, p2] = [tail(), tail()];
    const csv = `name_latin,phone\nLate One,012 ${p1}\nLate Two,012 ${p2}\n`;
    const preview = await owner.imports.previewRenters({ csv });
    expect(preview.invalidCount).toBe(0);
    await owner.renters.create({ nameLatin: "Got there first", phone: `+85512${p2}` });
    const before = await count(a.tenantId, "renter");
    const result = await owner.imports.commitRenters({ csv });
    expect(result.status).toBe("invalid");
    if (result.status !== "invalid") throw new Error("unreachable");
    expect(issuesOf(result.preview)).toEqual([
      { line: 2, issues: [] },
      { line: 3, issues: [["phone", "renters.errors.phoneTaken"]] },
    ]);
    expect(await count(a.tenantId, "renter")).toBe(before);
    expect((await owner.renters.list({ search: "Late One" })).items).toEqual([]);
  });

  it("two concurrent commits of the same file import it once", async () => {
    const csv = `name_latin,phone\nRace One,012 ${tail()}\nRace Two,012 ${tail()}\n`;
    const before = await count(a.tenantId, "renter");
    const results = await Promise.all([owner.imports.commitRenters({ csv }), owner.imports.commitRenters({ csv })]);
    expect(results.map((r) => r.status).sort()).toEqual(["imported", "invalid"]);
    expect(await count(a.tenantId, "renter")).toBe(before + 2);
  });

  it("reports header and file problems", async () => {
    const unknown = await owner.imports.previewRenters({ csv: "name,phone\nDara,012 345 678\n" });
    expect(unknown.fileIssues.map((i) => [i.line, i.key, i.params?.column])).toEqual([[1, "imports.errors.unknownColumn", "name"]]);
    const missing = await owner.imports.previewRenters({ csv: "name_latin,email\nDara,d@example.com\n" });
    expect(missing.fileIssues.map((i) => [i.key, i.params?.column])).toEqual([["imports.errors.missingColumn", "phone"]]);
    expect((await owner.imports.previewRenters({ csv: "" })).fileIssues.map((i) => i.key)).toEqual(["imports.errors.empty"]);
    expect((await owner.imports.previewRenters({ csv: "name_latin,phone\r\n" })).fileIssues.map((i) => i.key)).toEqual([
      "imports.errors.noRows",
    ]);
    const broken = await owner.imports.previewRenters({ csv: `name_latin,phone\n"Unclosed,012 ${tail()}\n` });
    expect(broken.fileIssues.map((i) => [i.line, i.key])).toEqual([[2, "imports.errors.unterminatedQuote"]]);
    expect((await owner.imports.commitRenters({ csv: "name,phone\nDara,012 345 678\n" })).status).toBe("invalid");
  });

  it("accepts rows pasted from a spreadsheet (tab-separated)", async () => {
    const p = tail();
    const preview = await owner.imports.previewRenters({ csv: `name_latin\tphone\tnotes\nPasted, Person\t012 ${p}\tA, B\n` });
    expect(preview.invalidCount).toBe(0);
    expect(preview.rows[0]!.values).toMatchObject({ name_latin: "Pasted, Person", phone: `+85512${p}`, notes: "A, B" });
  });

  it("imports the downloadable template as it is", async () => {
    const other = await createTenant({ slug: uniqueSlug("tpl") });
    const caller = await signedIn(other.owner.userId, hostOf(other.slug));
    expect(await caller.imports.commitRenters({ csv: importTemplate("renters") })).toEqual({
      status: "imported",
      kind: "renters",
      count: 2,
    });
    await createProperty({ tenantId: other.tenantId, name: "Riverside Apartments" });
    expect(await caller.imports.commitUnits({ csv: importTemplate("units") })).toEqual({ status: "imported", kind: "units", count: 3 });
  });
});

describe("units", () => {
  let propertyId: string;
  beforeAll(async () => {
    propertyId = (await createProperty({ tenantId: a.tenantId, name: "Golden Tower" })).id;
    await createUnit({ tenantId: a.tenantId, propertyId, code: "G-01" });
    const archived = await createProperty({ tenantId: a.tenantId, name: "Old Market" });
    await new TenantDb(a.tenantId).run((tx) => tx.property.update({ where: { id: archived.id }, data: { archivedAt: new Date() } }));
  });

  it("names the property by name (any case), parses money per currency and imports", async () => {
    const csv = [
      "property,code,floor,size_sqm,base_rent,currency,status",
      "golden tower,G-101,1,28,180.50,usd,vacant",
      "Golden Tower,G-102,,32.5,800000,KHR,maintenance",
      'GOLDEN TOWER,G-103,2,,"1,250",,',
    ].join("\r\n");
    const preview = await owner.imports.previewUnits({ csv });
    expect(preview).toMatchObject({ fileIssues: [], validCount: 3, invalidCount: 0 });
    expect(await owner.imports.commitUnits({ csv })).toEqual({ status: "imported", kind: "units", count: 3 });
    const units = await new TenantDb(a.tenantId).run((tx) =>
      tx.unit.findMany({
        where: { propertyId, code: { startsWith: "G-10" } },
        orderBy: { code: "asc" },
        select: { code: true, floor: true, sizeSqm: true, baseRent: true, currency: true, status: true },
      }),
    );
    expect(units).toEqual([
      { code: "G-101", floor: 1, sizeSqm: 28, baseRent: 18050, currency: "USD", status: "vacant" },
      { code: "G-102", floor: null, sizeSqm: 32.5, baseRent: 800000, currency: "KHR", status: "maintenance" },
      { code: "G-103", floor: 2, sizeSqm: null, baseRent: 125000, currency: "USD", status: "vacant" },
    ]);
  });

  it("reports unknown and archived properties, taken and repeated codes, bad numbers — and imports nothing", async () => {
    const csv = [
      "property,code,floor,base_rent,currency,status",
      "Golden Tower,G-201,3,150,USD,vacant", // 2: fine
      "Nowhere House,N-1,1,150,USD,vacant", // 3
      "Old Market,M-1,1,150,USD,vacant", // 4
      "Golden Tower,g-01,1,150,USD,vacant", // 5: G-01 exists
      "Golden Tower,G-201,3,150,USD,vacant", // 6: repeats line 2
      "Golden Tower,G-202,first,150.999,EUR,vacant", // 7
      "Golden Tower,G-203,1,150,USD,occupied", // 8: occupied comes from contracts only
      "Golden Tower,,1,,USD,vacant", // 9
    ].join("\n");
    const before = await count(a.tenantId, "unit");
    const preview = await owner.imports.previewUnits({ csv });
    expect(issuesOf(preview)).toEqual([
      { line: 2, issues: [] },
      { line: 3, issues: [["property", "imports.errors.propertyNotFound"]] },
      { line: 4, issues: [["property", "imports.errors.propertyArchived"]] },
      { line: 5, issues: [["code", "properties.errors.codeTaken"]] },
      { line: 6, issues: [["code", "imports.errors.duplicateCodeInFile"]] },
      {
        line: 7,
        issues: [
          ["currency", "imports.errors.currency"],
          ["floor", "imports.errors.notAWholeNumber"],
        ],
      },
      { line: 8, issues: [["status", "imports.errors.unitStatus"]] },
      {
        line: 9,
        issues: [
          ["base_rent", "validation.required"],
          ["code", "validation.required"],
        ],
      },
    ]);
    expect((await owner.imports.commitUnits({ csv })).status).toBe("invalid");
    expect(await count(a.tenantId, "unit")).toBe(before);
  });

  it("respects the plan's unit limit: over it, nothing is imported", async () => {
    const small = await createTenant({ slug: uniqueSlug("impfree"), subscription: { plan: "free" } });
    const caller = await signedIn(small.owner.userId, hostOf(small.slug));
    await createProperty({ tenantId: small.tenantId, name: "Tiny House" });
    const rows = (k: number, from = 1) => Array.from({ length: k }, (_, i) => `Tiny House,T-${from + i},,100,USD,vacant`);
    const tooMany = ["property,code,floor,base_rent,currency,status", ...rows(6)].join("\n");
    const preview = await caller.imports.previewUnits({ csv: tooMany });
    expect(preview.invalidCount).toBe(0);
    expect(preview.fileIssues.map((i) => [i.key, i.params?.limit, i.params?.max])).toEqual([["billing.errors.limitExceeded", "units", 5]]);
    expect((await caller.imports.commitUnits({ csv: tooMany })).status).toBe("invalid");
    expect(await count(small.tenantId, "unit")).toBe(0);
    const five = ["property,code,floor,base_rent,currency,status", ...rows(5)].join("\n");
    expect(await caller.imports.commitUnits({ csv: five })).toEqual({ status: "imported", kind: "units", count: 5 });
    const one = ["property,code,floor,base_rent,currency,status", ...rows(1, 6)].join("\n");
    expect((await caller.imports.commitUnits({ csv: one })).status).toBe("invalid");
    expect(await count(small.tenantId, "unit")).toBe(5);
  });
});

describe("permissions", () => {
  it("a viewer can import nothing; an accountant can import neither renters nor units", async () => {
    const csv = `name_latin,phone\nX,012 ${tail()}\n`;
    await expectTRPCError(viewer.imports.previewRenters({ csv }), "FORBIDDEN");
    await expectTRPCError(viewer.imports.commitRenters({ csv }), "FORBIDDEN");
    await expectTRPCError(accountant.imports.commitRenters({ csv }), "FORBIDDEN");
    await expectTRPCError(accountant.imports.previewUnits({ csv: "property,code,base_rent\nGolden Tower,Z-1,1\n" }), "FORBIDDEN");
  });

  it("refuses a file over the size limit before reading it", async () => {
    await expectTRPCError(owner.imports.previewRenters({ csv: "x".repeat(1_000_001) }), "BAD_REQUEST");
  });
});
