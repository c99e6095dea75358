// The audit log: the workspace's own log (audit.list, AuditService) and the console's view
// across tenants (admin.audit.list, AdminAuditService), every filter, whole days in the
// tenant's time zone, keyset paging both ways, impersonation, isolation, permissions, the CSV
// (header, RFC 4180 quoting, formula-injection guard, keyset batches) and both export route
// handlers called with a Request. Fixture rows are written with explicit times; only the
// session plumbing of Next (next/headers, the next-auth cookie reader) is replaced, by the
// headers and claims of the request under test.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { AuditService } from "@/server/audit/audit-service";
import { AdminAuditService } from "@/server/audit/audit.admin";
import { adminAuditFiltersSchema, auditFiltersSchema, filtersFromSearchParams, filtersToSearchParams } from "@/lib/schemas/audit";
import type { AuditRow } from "@/server/audit/audit-query";
import { csvField } from "@/lib/csv";
import { createTranslator } from "@/lib/i18n";
import { actionLabel } from "@/lib/audit-details";
import type { SessionClaims } from "@/server/auth/auth.public";
import type { Prisma } from "@/server/db/generated/client";
import { APEX, PORT, callerFor, expectTRPCError, hostOf, ownerContext, sessionFor, testMeta, uniqueIp, type Caller } from "./support/world";

// The request the route handler is answering: next/headers and the next-auth cookie reader read it.
const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => {
    const jar = new Map(
      (current.headers.get("cookie") ?? "")
        .split(";")
        .map((part) => part.trim().split("="))
        .filter(([name]) => name)
        .map(([name, ...value]) => [name!, decodeURIComponent(value.join("="))]),
    );
    return { get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined) };
  },
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as tenantExport } from "@/app/(app)/t/[tenant]/(workspace)/audit/export/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as adminExport } from "@/app/(app)/admin/audit/export/route";

type Row = AuditRow;
type Fixture = Omit<Prisma.AuditLogUncheckedCreateInput, "tenantId" | "createdAt"> & { at: string };

const needle = `needle-${randomUUID().slice(0, 8)}`;

let a: CreatedTenant & { viewer: { userId: string; email: string }; accountant: { userId: string; email: string } };
let b: CreatedTenant;
let c: CreatedTenant;
let admin: { id: string; email: string };
let ownerA: Caller;
let ownerB: Caller;
let adminCaller: Caller;
const ids: Record<string, string> = {};
const aliceId = randomUUID();
const bobId = randomUUID();

async function insert(tenantId: string | null, key: string, f: Fixture): Promise<void> {
  const { at, ...rest } = f;
  const data = { ...rest, tenantId, createdAt: new Date(at) };
  const row = tenantId
    ? await new TenantDb(tenantId).run((tx) => tx.auditLog.create({ data: { ...data, tenantId }, select: { id: true } }))
    : await platformDb.run((tx) => tx.auditLog.create({ data, select: { id: true } }));
  ids[key] = row.id;
}

/** Stands in for the console's TOTP step (tested on its own): this session passed 2FA. */
async function verifyMfa(claims: SessionClaims): Promise<SessionClaims> {
  await getDb().userSession.update({ where: { id: claims.sid }, data: { mfaVerifiedAt: new Date() } });
  return claims;
}

const keys = (rows: { id: string }[]) => rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0] ?? r.id);

async function listAll(caller: Caller, input: Record<string, unknown>, limit = 100): Promise<Row[]> {
  const out: Row[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await caller.audit.list({ ...input, limit, cursor });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field !== "" || record.length) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}

/** A UTC instant as the workspace CSV writes it: Phnom Penh's clock (UTC+7, no daylight saving), to the second. */
function phnomPenhTime(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

async function collect(chunks: AsyncGenerator<string, void, undefined>): Promise<{ text: string; chunks: number }> {
  let text = "";
  let n = 0;
  for await (const chunk of chunks) {
    text += chunk;
    n++;
  }
  return { text, chunks: n };
}

const dayInTz = (tz: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

beforeAll(async () => {
  const slugA = uniqueSlug("auda");
  const slugB = uniqueSlug("audb");
  const slugC = uniqueSlug("audc");
  const [ta, tb, tc] = await Promise.all([createTenant({ slug: slugA }), createTenant({ slug: slugB }), createTenant({ slug: slugC })]);
  await getDb().tenant.update({ where: { id: tc.tenantId }, data: { timezone: "America/New_York" } });
  const [viewer, accountant, adminUser] = await Promise.all([
    addMember(ta, { email: `viewer@${slugA}.test`, role: "viewer" }),
    addMember(ta, { email: `accountant@${slugA}.test`, role: "accountant" }),
    createUser({ email: `auditor-${slugA}@phteah.test`, isPlatformAdmin: true }),
  ]);
  a = { ...ta, viewer, accountant };
  b = tb;
  c = tc;
  admin = { id: adminUser.id, email: adminUser.email };

  const A = a.tenantId;
  // Phnom Penh is UTC+7: 2026-03-01 runs from 2026-02-28T17:00Z to 2026-03-01T17:00Z
  await insert(A, "a1", {
    at: "2026-03-01T16:59:59.999Z",
    action: "membership.role_changed",
    actorUserId: aliceId,
    actorEmail: `alice@${slugA}.test`,
    targetType: "membership",
    targetId: "m-1",
    metadata: { before: { role: "viewer" }, after: { role: "manager" }, note: needle },
  });
  await insert(A, "a2", {
    at: "2026-03-01T17:00:00.000Z",
    action: "membership.status_changed",
    actorUserId: bobId,
    actorEmail: `bob@${slugA}.test`,
    targetType: "membership",
    targetId: "m-2",
    metadata: { before: { status: "active" }, after: { status: "deactivated" } },
  });
  await insert(A, "a3", {
    at: "2026-02-28T17:00:00.000Z",
    action: "invitation.created",
    actorUserId: aliceId,
    actorEmail: `alice@${slugA}.test`,
    targetType: "invitation",
    targetId: "inv-1",
    metadata: { email: "needle-in-metadata@example.test", discount: "100%" },
  });
  await insert(A, "a4", {
    at: "2026-02-28T16:59:59.999Z",
    action: "auth.login.succeeded",
    actorUserId: bobId,
    actorEmail: `bob@${slugA}.test`,
    targetType: "user",
    targetId: bobId,
  });
  await insert(A, "a5", {
    at: "2026-03-03T10:00:00.000Z",
    action: "membership.created",
    actorUserId: a.owner.userId,
    actorEmail: a.owner.email,
    impersonatorUserId: admin.id,
    targetType: "membership",
    targetId: "m-3",
  });
  await insert(A, "a6", {
    at: "2026-03-04T10:00:00.000Z",
    action: "csv.tricky",
    actorEmail: "+mallory@x.test",
    targetType: "=cmd|' /C calc'!A0",
    targetId: 'line1\nline2, "quoted"',
    ip: "-1",
    requestId: "@req",
    metadata: { text: 'a, "b"' },
  });
  await insert(A, "a7", {
    at: "2026-03-04T10:00:01.000Z",
    action: "csv.tricky",
    actorEmail: "plain@x.test",
    targetType: "\tTab",
    targetId: "\rCR",
  });
  // ties on createdAt: the id breaks them, in both directions
  const paging: [string, string][] = [
    ["p1", "2026-03-04T23:59:59.000Z"],
    ["p2", "2026-03-05T00:00:00.000Z"],
    ["p3", "2026-03-05T00:00:00.000Z"],
    ["p4", "2026-03-05T00:00:00.000Z"],
    ["p5", "2026-03-04T23:59:59.000Z"],
    ["p6", "2026-03-05T00:00:01.000Z"],
    ["p7", "2026-03-05T00:00:01.000Z"],
  ];
  for (const [key, at] of paging) await insert(A, key, { at, action: "paging.test", targetId: key });

  await insert(b.tenantId, "b1", {
    at: "2026-03-01T16:59:59.999Z",
    action: "membership.role_changed",
    actorEmail: `alice@${slugB}.test`,
    targetType: "membership",
    targetId: "m-1",
    metadata: { note: needle },
  });
  await insert(null, "platform1", {
    at: "2026-03-01T12:00:00.000Z",
    action: "admin.job.run",
    actorUserId: admin.id,
    actorEmail: admin.email,
    targetType: "job",
    targetId: "cleanup",
    metadata: { note: needle },
  });
  // New York is UTC-5 on 2026-03-01 (EST): the day runs from 05:00Z to 05:00Z next day
  await insert(c.tenantId, "c1", { at: "2026-03-02T04:59:59.999Z", action: "tz.test" });
  await insert(c.tenantId, "c2", { at: "2026-03-02T05:00:00.000Z", action: "tz.test" });
  await insert(c.tenantId, "c3", { at: "2026-03-01T05:00:00.000Z", action: "tz.test" });
  await insert(c.tenantId, "c4", { at: "2026-03-01T04:59:59.999Z", action: "tz.test" });

  const adminClaims = await verifyMfa(await sessionFor(admin.id, APEX));
  [ownerA, ownerB, adminCaller] = await Promise.all([
    callerFor(hostOf(a.slug), await sessionFor(a.owner.userId, hostOf(a.slug))),
    callerFor(hostOf(b.slug), await sessionFor(b.owner.userId, hostOf(b.slug))),
    callerFor(APEX, adminClaims),
  ]);
});

describe("audit.list filters", () => {
  it("lists the tenant's rows newest first with a readable shape", async () => {
    const rows = await listAll(ownerA, {});
    const fixtures = rows.filter((r) => r.action !== "paging.test" && r.action !== "audit.exported");
    expect(keys(fixtures)).toEqual(["a7", "a6", "a5", "a2", "a1", "a3", "a4"]);
    expect(rows.filter((r) => r.action === "paging.test")).toHaveLength(7);
    const a1 = rows.find((r) => r.id === ids.a1)!;
    expect(a1).toMatchObject({
      action: "membership.role_changed",
      actorEmail: `alice@${a.slug}.test`,
      actorDisplay: `alice@${a.slug}.test`,
      impersonator: null,
      targetType: "membership",
      targetId: "m-1",
      metadata: { before: { role: "viewer" }, after: { role: "manager" }, note: needle },
    });
    expect(a1.createdAt).toEqual(new Date("2026-03-01T16:59:59.999Z"));
  });

  it("filters by actor email (contains, any case) and by user id", async () => {
    expect(keys(await listAll(ownerA, { actor: "ALICE@" }))).toEqual(["a1", "a3"]);
    expect(keys(await listAll(ownerA, { actor: bobId }))).toEqual(["a2", "a4"]);
    // the impersonating admin's id finds what they did as the member
    expect(keys(await listAll(ownerA, { actor: admin.id }))).toEqual(["a5"]);
  });

  it("filters by exact action and by prefix", async () => {
    expect(keys(await listAll(ownerA, { action: "membership.role_changed" }))).toEqual(["a1"]);
    expect(keys(await listAll(ownerA, { action: "membership." }))).toEqual(["a5", "a2", "a1"]);
    expect(keys(await listAll(ownerA, { action: "membership.role*" }))).toEqual(["a1"]);
    // without the dot or star it is an exact name
    expect(await listAll(ownerA, { action: "membership" })).toEqual([]);
  });

  it("filters by target type and target id", async () => {
    expect(keys(await listAll(ownerA, { targetType: "invitation" }))).toEqual(["a3"]);
    expect(keys(await listAll(ownerA, { targetId: "m-2" }))).toEqual(["a2"]);
    expect(keys(await listAll(ownerA, { targetType: "membership", targetId: "m-1" }))).toEqual(["a1"]);
  });

  it("reads from/to as whole days in the tenant's time zone (Asia/Phnom_Penh)", async () => {
    expect(keys(await listAll(ownerA, { from: "2026-03-01", to: "2026-03-01" }))).toEqual(["a1", "a3"]);
    expect(keys(await listAll(ownerA, { to: "2026-02-28" }))).toEqual(["a4"]);
    expect(keys(await listAll(ownerA, { from: "2026-03-02", action: "membership." }))).toEqual(["a5", "a2"]);
    expect(keys(await listAll(ownerA, { from: "2026-02-28", to: "2026-02-28" }))).toEqual(["a4"]);
  });

  it("reads from/to in another tenant's time zone (America/New_York)", async () => {
    const ownerC = await callerFor(hostOf(c.slug), await sessionFor(c.owner.userId, hostOf(c.slug)));
    expect(keys(await listAll(ownerC, { from: "2026-03-01", to: "2026-03-01" }))).toEqual(["c1", "c3"]);
    expect(keys(await listAll(ownerC, { from: "2026-03-02" }))).toEqual(["c2"]);
    expect(keys(await listAll(ownerC, { to: "2026-02-28" }))).toEqual(["c4"]);
  });

  it("rejects malformed days and an inverted range", async () => {
    await expectTRPCError(ownerA.audit.list({ from: "2026-02-30" }), "BAD_REQUEST");
    await expectTRPCError(ownerA.audit.list({ from: "03/01/2026" }), "BAD_REQUEST");
    await expectTRPCError(ownerA.audit.list({ from: "2026-03-02", to: "2026-03-01" }), "BAD_REQUEST");
    await expectTRPCError(ownerA.audit.list({ limit: 101 }), "BAD_REQUEST");
    await expectTRPCError(ownerA.audit.list({ cursor: "not-a-cursor" }), "BAD_REQUEST");
  });

  it("searches free text in action, actor email, target type/id and metadata, case-insensitively", async () => {
    expect(keys(await listAll(ownerA, { q: needle.toUpperCase() }))).toEqual(["a1"]);
    expect(keys(await listAll(ownerA, { q: "NEEDLE-IN-METADATA" }))).toEqual(["a3"]);
    expect(keys(await listAll(ownerA, { q: "STATUS_CHANGED" }))).toEqual(["a2"]);
    expect(keys(await listAll(ownerA, { q: "Mallory" }))).toEqual(["a6"]);
    expect(keys(await listAll(ownerA, { q: "invitation" }))).toEqual(["a3"]);
    expect(keys(await listAll(ownerA, { q: "inv-1" }))).toEqual(["a3"]);
    // LIKE wildcards in the text are literal
    expect(keys(await listAll(ownerA, { q: "%" }))).toEqual(["a3"]);
    expect(keys(await listAll(ownerA, { q: "m_1" }))).toEqual([]);
  });

  it("pages with a keyset cursor in both directions, ties broken by id, nothing twice or missed", async () => {
    const desc = await listAll(ownerA, { action: "paging.test" }, 2);
    const asc = await listAll(ownerA, { action: "paging.test", sort: "asc" }, 3);
    expect(desc).toHaveLength(7);
    expect(new Set(desc.map((r) => r.id)).size).toBe(7);
    expect(asc.map((r) => r.id)).toEqual([...desc].reverse().map((r) => r.id));
    const order = (rows: Row[]) => rows.map((r) => `${r.createdAt.toISOString()} ${r.id}`);
    expect(order(desc)).toEqual([...order(desc)].sort().reverse());
    expect(order(asc)).toEqual([...order(asc)].sort());
    // the cursor is the last row of the page
    const first = await ownerA.audit.list({ action: "paging.test", limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBe(`${first.items[2]!.createdAt.toISOString()}_${first.items[2]!.id}`);
    const last = await ownerA.audit.list({ action: "paging.test", limit: 7 });
    expect(last.nextCursor).toBeNull();
  });

  it("shows 'admin as member' when a platform admin acted under impersonation", async () => {
    const [row] = await listAll(ownerA, { targetId: "m-3" });
    expect(row).toMatchObject({
      actorUserId: a.owner.userId,
      actorEmail: a.owner.email,
      impersonator: { userId: admin.id, email: admin.email },
      actorDisplay: `${admin.email} as ${a.owner.email}`,
    });
  });
});

describe("isolation and permissions", () => {
  it("never shows another tenant's rows or platform rows", async () => {
    const all = await listAll(ownerA, {});
    const mine = new Set(
      Object.entries(ids)
        .filter(([k]) => /^(a|p)\d/.test(k))
        .map(([, id]) => id),
    );
    for (const r of all) if (r.action !== "audit.exported") expect(mine.has(r.id), `row ${r.id}`).toBe(true);
    expect(all.map((r) => r.id)).not.toContain(ids.b1);
    expect(all.map((r) => r.id)).not.toContain(ids.platform1);
    expect(keys(await listAll(ownerA, { q: needle }))).toEqual(["a1"]);
    expect(keys(await listAll(ownerB, { q: needle }))).toEqual(["b1"]);
    expect(await listAll(ownerB, { actor: aliceId })).toEqual([]);
    // a cursor taken from A's rows does not page B into A
    const cursor = `${new Date("2026-03-05T00:00:00.000Z").toISOString()}_${ids.p3}`;
    expect(keys((await ownerB.audit.list({ cursor, limit: 100 })).items)).toEqual(["b1"]);
  });

  it("refuses a member without audit.view (FORBIDDEN) and lets one with it in", async () => {
    const viewer = await callerFor(hostOf(a.slug), await sessionFor(a.viewer.userId, hostOf(a.slug)));
    await expectTRPCError(viewer.audit.list({}), "FORBIDDEN", { key: "errors.missingPermission" });
    const accountant = await callerFor(hostOf(a.slug), await sessionFor(a.accountant.userId, hostOf(a.slug)));
    expect(keys(await listAll(accountant, { action: "membership.role_changed" }))).toEqual(["a1"]);
  });
});

describe("admin.audit.list", () => {
  it("lists across tenants and platform events, with the tenant of each row", async () => {
    const page = await adminCaller.admin.audit.list({ q: needle });
    expect(keys(page.items).sort()).toEqual(["a1", "b1", "platform1"]);
    const bySlug = Object.fromEntries(page.items.map((r) => [r.id, r.tenant?.slug ?? null]));
    expect(bySlug).toEqual({ [ids.a1!]: a.slug, [ids.b1!]: b.slug, [ids.platform1!]: null });
  });

  it("filters by tenant slug, by platform events only, and combines with the other filters", async () => {
    expect(keys((await adminCaller.admin.audit.list({ q: needle, tenant: b.slug })).items)).toEqual(["b1"]);
    expect(keys((await adminCaller.admin.audit.list({ q: needle, platformOnly: true })).items)).toEqual(["platform1"]);
    expect(keys((await adminCaller.admin.audit.list({ tenant: a.slug, action: "membership." })).items)).toEqual(["a5", "a2", "a1"]);
    // days in Phnom Penh time
    expect(keys((await adminCaller.admin.audit.list({ tenant: a.slug, from: "2026-03-01", to: "2026-03-01" })).items)).toEqual([
      "a1",
      "a3",
    ]);
    expect(keys((await adminCaller.admin.audit.list({ tenant: c.slug, from: "2026-03-02", to: "2026-03-02" })).items)).toEqual([
      "c2",
      "c1",
    ]);
    expect((await adminCaller.admin.audit.list({ tenant: uniqueSlug("none") })).items).toEqual([]);
    await expectTRPCError(adminCaller.admin.audit.list({ tenant: a.slug, platformOnly: true }), "BAD_REQUEST");
  });

  it("pages across tenants with the keyset cursor, both ways", async () => {
    const collectAll = async (sort: "asc" | "desc") => {
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await adminCaller.admin.audit.list({ action: "tz.test", sort, limit: 3, cursor });
        out.push(...keys(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    };
    expect(await collectAll("desc")).toEqual(["c2", "c1", "c3", "c4"]);
    expect(await collectAll("asc")).toEqual(["c4", "c3", "c1", "c2"]);
  });

  it("shows the impersonation in the console too", async () => {
    const [row] = (await adminCaller.admin.audit.list({ tenant: a.slug, targetId: "m-3" })).items;
    expect(row).toMatchObject({ actorDisplay: `${admin.email} as ${a.owner.email}`, tenant: { slug: a.slug } });
  });

  it("is refused to tenant owners", async () => {
    await expectTRPCError(ownerA.admin.audit.list({}), "NOT_FOUND");
  });
});

describe("CSV", () => {
  async function tenantService(t: CreatedTenant) {
    return new AuditService(await ownerContext(t));
  }

  it("quotes cells per RFC 4180 and guards against spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\rx")).toBe('"\'\rx"');
    expect(csvField("=a,b")).toBe('"\'=a,b"');
    expect(csvField("a=b")).toBe("a=b");
  });

  // the workspace's file is in words (issue 17): headers in the reader's language, times in the
  // workspace's clock (Phnom Penh, UTC+7), labels, the change as text; no ids, no JSON, no user agent
  const HEADER_EN = [
    "Time (Phnom Penh time)",
    "Who",
    "Support staff acting for them",
    "What happened",
    "Record",
    "Reference",
    "IP address",
    "Device",
    "Changes",
  ];

  it("streams a header and one record per row, with quoting and the formula guard", async () => {
    const service = await tenantService(a);
    const { text } = await collect(service.streamCsv(auditFiltersSchema.parse({ action: "csv.tricky", sort: "asc" })));
    expect(text.startsWith(`\uFEFF${HEADER_EN.map((h) => csvField(h)).join(",")}\r\n`)).toBe(true);
    // the raw text: quoted newline, doubled quotes, apostrophe before formula starts
    expect(text).toContain(`2026-03-04 17:00:00,'+mallory@x.test,,csv.tricky,`);
    expect(text).toContain(`,"line1\nline2, ""quoted""",'-1,,"Text: a, ""b"""\r\n`);
    const records = parseCsv(text.slice(1));
    expect(records).toEqual([
      HEADER_EN,
      [
        "2026-03-04 17:00:00",
        "'+mallory@x.test",
        "",
        "csv.tricky",
        "'=cmd|' /c calc'!a0",
        'line1\nline2, "quoted"',
        "'-1",
        "",
        'Text: a, "b"',
      ],
      ["2026-03-04 17:00:01", "plain@x.test", "", "csv.tricky", "Tab", "'\rCR", "", "", ""],
    ]);
  });

  it("names the support staff in its own column and the change in words", async () => {
    const service = await tenantService(a);
    const records = parseCsv((await collect(service.streamCsv(auditFiltersSchema.parse({ targetId: "m-3" })))).text.slice(1));
    expect(records[1]).toEqual(["2026-03-03 17:00:00", a.owner.email, admin.email, "Member added", "Member", "m-3", "", "", ""]);
    const withMeta = parseCsv((await collect(service.streamCsv(auditFiltersSchema.parse({ targetId: "m-1" })))).text.slice(1));
    expect(withMeta[1]![3]).toBe("Member role changed");
    expect(withMeta[1]![8]).toBe(`Role: viewer → manager; Note: ${needle}`);
  });

  it("has no record ids, JSON or user-agent strings: the record's kind, the device in words, a former member by name", async () => {
    const t = await createTenant({ slug: uniqueSlug("auditwords") });
    const contractId = randomUUID();
    const fileId = randomUUID();
    const goneUser = randomUUID();
    const android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    await insert(t.tenantId, "w1", {
      at: "2026-05-01T01:02:03.000Z",
      action: "contract.updated",
      actorUserId: goneUser,
      targetType: "Contract",
      targetId: contractId,
      ip: "203.0.113.9",
      userAgent: android,
      requestId: randomUUID(),
      metadata: {
        before: { rentAmount: 20000, unitId: randomUUID() },
        after: { rentAmount: 25000, unitId: randomUUID() },
        signedFileId: fileId,
      },
    });
    await insert(t.tenantId, "w2", {
      at: "2026-05-01T01:02:04.000Z",
      action: "workspace.settings_updated",
      actorUserId: t.owner.userId,
      actorEmail: t.owner.email,
      targetType: "Tenant",
      targetId: t.tenantId,
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      metadata: {
        before: { bakongAccountId: null, rentReminderDays: [-3, 1, 7] },
        after: { bakongAccountId: "me@aclb", rentReminderDays: [-1, 3] },
      },
    });
    const service = new AuditService(await ownerContext(t));
    const { text } = await collect(service.streamCsv(auditFiltersSchema.parse({ from: "2026-05-01", to: "2026-05-01", sort: "asc" })));
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(text).not.toMatch(/[{}]|Mozilla|AppleWebKit|contract\.updated|workspace\.settings_updated/);
    const records = parseCsv(text.slice(1));
    expect(records.slice(1)).toEqual([
      [
        "2026-05-01 08:02:03",
        "A former member",
        "",
        "Contract draft edited",
        "Contract",
        "",
        "203.0.113.9",
        "Chrome on Android",
        "Rent: 20000 → 25000",
      ],
      [
        "2026-05-01 08:02:04",
        t.owner.email,
        "",
        "Workspace settings updated",
        "Workspace",
        "",
        "",
        "Safari on iPhone",
        "Bakong account: none → me@aclb; Rent reminder days: -3, 1, 7 → -1, 3",
      ],
    ]);
    // in Khmer: the headers and the labels too
    const km = parseCsv(
      (
        await collect(service.streamCsv(auditFiltersSchema.parse({ from: "2026-05-01", to: "2026-05-01", sort: "asc" }), { locale: "km" }))
      ).text.slice(1),
    );
    expect(km[0]![0]).toBe("ម៉ោង (ម៉ោងភ្នំពេញ)");
    expect(km[1]![1]).toBe("អតីតសមាជិក");
    expect(km[1]![4]).toBe("កិច្ចសន្យា");
    expect(km[1]![7]).toBe("Chrome លើ Android");
  });

  it("reads keyset batches (here of 3) until the rows run out, in the requested order", async () => {
    const service = await tenantService(a);
    const expected = (await listAll(ownerA, { action: "paging.test", sort: "asc" })).map(
      (r) => phnomPenhTime(r.createdAt) + " " + r.targetId,
    );
    const { text, chunks } = await collect(
      service.streamCsv(auditFiltersSchema.parse({ action: "paging.test", sort: "asc" }), { batchSize: 3 }),
    );
    expect(chunks).toBe(1 + 3); // header, 3 + 3 + 1 rows
    const records = parseCsv(text.slice(1)).slice(1);
    expect(records.map((r) => `${r[0]} ${r[5]}`)).toEqual(expected);
    // an exact multiple of the batch size ends with an empty read, not a repeated batch
    const seven = await collect(service.streamCsv(auditFiltersSchema.parse({ action: "paging.test" }), { batchSize: 7 }));
    expect(parseCsv(seven.text.slice(1))).toHaveLength(1 + 7);
  });

  it("stops at the moment the export started", async () => {
    const service = await tenantService(a);
    const { text } = await collect(
      service.streamCsv(auditFiltersSchema.parse({ action: "paging.test" }), { asOf: new Date("2026-03-05T00:00:00.000Z") }),
    );
    expect(parseCsv(text.slice(1))).toHaveLength(1 + 5);
  });

  it("adds a tenant column in the console's export", async () => {
    const service = new AdminAuditService(testMeta());
    const { text } = await collect(service.streamCsv(adminAuditFiltersSchema.parse({ q: needle, sort: "asc" })));
    const records = parseCsv(text.slice(1));
    expect(records[0]).toEqual([
      "time",
      "tenant",
      "actor",
      "impersonator",
      "action",
      "target_type",
      "target_id",
      "ip",
      "request_id",
      "metadata",
    ]);
    expect(records.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      ["2026-03-01T12:00:00.000Z", "", "admin.job.run"],
      ["2026-03-01T16:59:59.999Z", expect.any(String), "membership.role_changed"],
      ["2026-03-01T16:59:59.999Z", expect.any(String), "membership.role_changed"],
    ]);
    expect(
      records
        .slice(2)
        .map((r) => r[1])
        .sort(),
    ).toEqual([a.slug, b.slug].sort());
  });
});

describe("export route handlers", () => {
  function request(host: string, path: string, claims: Partial<SessionClaims> | null): Request {
    current.headers = new Headers({
      host: `${host}:${PORT}`,
      "x-forwarded-for": uniqueIp(),
      "user-agent": "vitest",
      "accept-language": "en",
    });
    current.claims = claims;
    return new Request(`http://${host}:${PORT}${path}`, { headers: current.headers });
  }
  const params = (tenant: string) => ({ params: Promise.resolve({ tenant }) });

  it("tenant export: 401 without a session, 404 for a stranger or another host, 403 without audit.view, 400 for bad filters", async () => {
    const path = "/audit/export";
    expect((await tenantExport(request(hostOf(a.slug), path, null), params(a.slug))).status).toBe(401);
    const stranger = await sessionFor(b.owner.userId, hostOf(a.slug));
    expect((await tenantExport(request(hostOf(a.slug), path, stranger), params(a.slug))).status).toBe(404);
    const ownerOnB = await sessionFor(a.owner.userId, hostOf(b.slug));
    expect((await tenantExport(request(hostOf(b.slug), path, ownerOnB), params(b.slug))).status).toBe(404);
    const ownerOnA = await sessionFor(a.owner.userId, hostOf(a.slug));
    // A's cookie replayed on B's host: the session is bound to A's host
    expect((await tenantExport(request(hostOf(b.slug), path, ownerOnA), params(b.slug))).status).toBe(401);
    expect((await tenantExport(request(hostOf(uniqueSlug("gone")), path, ownerOnA), params(a.slug))).status).toBe(404);
    expect((await tenantExport(request(APEX, path, ownerOnA), params(a.slug))).status).toBe(404);
    // the path's tenant must be the host's
    expect((await tenantExport(request(hostOf(a.slug), path, ownerOnA), params(b.slug))).status).toBe(404);
    const viewer = await sessionFor(a.viewer.userId, hostOf(a.slug));
    const forbidden = await tenantExport(request(hostOf(a.slug), path, viewer), params(a.slug));
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { message: expect.stringContaining("audit.view") } });
    const bad = await tenantExport(request(hostOf(a.slug), `${path}?from=2026-02-30`, ownerOnA), params(a.slug));
    expect(bad.status).toBe(400);
  });

  it("tenant export: streams the CSV of exactly the rows the list shows, and audits the export", async () => {
    const filters = { action: "membership.", to: "2026-03-03" };
    const claims = await sessionFor(a.owner.userId, hostOf(a.slug));
    const res = await tenantExport(request(hostOf(a.slug), `/audit/export?${filtersToSearchParams(filters)}`, claims), params(a.slug));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="audit-${a.slug}-${dayInTz("Asia/Phnom_Penh")}.csv"`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toBeInstanceOf(ReadableStream);
    const text = await res.text();
    const records = parseCsv(text.replace(/^\uFEFF/, ""));
    const expected = await listAll(ownerA, filters);
    expect(expected.length).toBe(3);
    expect(records).toHaveLength(1 + expected.length);
    expect(records.slice(1).map((r) => [r[0], r[3], r[5]])).toEqual(
      expected.map((r) => [phnomPenhTime(r.createdAt), actionLabel(createTranslator("en"), r.action), r.targetId]),
    );

    const [logged] = await listAll(ownerA, { action: "audit.exported", actor: a.owner.userId });
    expect(logged).toMatchObject({ actorEmail: a.owner.email, targetType: "audit_log" });
    expect(logged!.metadata).toMatchObject({ filters: { action: "membership.", to: "2026-03-03", sort: "desc" } });
  });

  it("a member with audit.view (not an owner) may export too", async () => {
    const claims = await sessionFor(a.accountant.userId, hostOf(a.slug));
    const res = await tenantExport(request(hostOf(a.slug), "/audit/export?action=paging.test&sort=asc", claims), params(a.slug));
    expect(res.status).toBe(200);
    expect(parseCsv((await res.text()).slice(1))).toHaveLength(1 + 7);
  });

  it("admin export: 404 off the apex or for non-admins, 401 without a session, 403 before 2FA", async () => {
    const path = "/admin/audit/export";
    expect((await adminExport(request(APEX, path, null))).status).toBe(401);
    const ownerOnApex = await sessionFor(a.owner.userId, APEX);
    expect((await adminExport(request(APEX, path, ownerOnApex))).status).toBe(404);
    const noMfa = await sessionFor(admin.id, APEX);
    expect((await adminExport(request(APEX, path, noMfa))).status).toBe(403);
    const onTenant = await verifyMfa(await sessionFor(admin.id, hostOf(a.slug)));
    expect((await adminExport(request(hostOf(a.slug), path, onTenant))).status).toBe(404);
    const verified = await verifyMfa(await sessionFor(admin.id, APEX));
    expect((await adminExport(request(APEX, `${path}?tenant=${a.slug}&platformOnly=1`, verified))).status).toBe(400);
  });

  it("admin export: a tenant's rows with a tenant column, named after the tenant, audited as a platform event", async () => {
    const claims = await verifyMfa(await sessionFor(admin.id, APEX));
    const filters = { tenant: a.slug, action: "membership." };
    const res = await adminExport(request(APEX, `/admin/audit/export?${filtersToSearchParams(filters)}`, claims));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="audit-${a.slug}-${dayInTz("Asia/Phnom_Penh")}.csv"`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const records = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    const expected = (await adminCaller.admin.audit.list({ ...filters, limit: 100 })).items;
    expect(records).toHaveLength(1 + expected.length);
    expect(records.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual(expected.map((r) => [r.createdAt.toISOString(), a.slug, r.action]));

    const logged = (await adminCaller.admin.audit.list({ platformOnly: true, action: "admin.audit.exported", actor: admin.id })).items;
    expect(logged[0]).toMatchObject({ actorEmail: admin.email, targetId: a.slug, tenant: null });
    expect(logged[0]!.metadata).toMatchObject({ filters: { tenant: a.slug, action: "membership." } });
    // a platform export is not in the tenant's own log
    expect(await listAll(ownerA, { action: "admin.audit.exported" })).toEqual([]);
  });

  it("reads the same filters from the query string as the table sends", () => {
    const qs = filtersToSearchParams({
      actor: " a@b.c ",
      action: "membership.",
      from: "2026-03-01",
      sort: "asc",
      platformOnly: true,
      q: "",
    });
    expect(qs.toString()).toBe("actor=a%40b.c&action=membership.&from=2026-03-01&sort=asc&platformOnly=1");
    expect(filtersFromSearchParams(qs)).toEqual({
      actor: "a@b.c",
      action: "membership.",
      from: "2026-03-01",
      sort: "asc",
      platformOnly: true,
    });
  });
});
