// Staging (docs/OPERATIONS.md, "Staging"), on a database of its own: with APP_ENV=staging only
// addresses on STAGING_MAIL_ALLOWLIST get mail, every other message is captured and recorded as
// such in the message log; then the anonymiser runs on the seeded demo data (plus the kinds of
// personal data the seed does not make: sessions, audit details, invitations, sent messages,
// suppressed addresses, an ID scan) and no original personal value survives in any column of any
// table, nor in any stored file, while money, dates, statuses and relations are kept.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import { seed } from "@/prisma/seed";
import { TenantDb } from "@/server/db/tenant-db";
import { getDb } from "@/server/db/client";
import { queueMessage } from "@/server/notifications/queue";
import { MessageSender } from "@/server/notifications/sender";
import { sendMail, setMailTransportForTests, type MailMessage } from "@/server/notifications/mail";
import { anonymiseStaging } from "@/server/staging/anonymise";
import { isAllowedOnStaging, STAGING_CAPTURE_PROVIDER } from "@/server/staging/mail-allowlist";
import { deleteStoredFile, storageKeyFor, writeStoredFile } from "@/server/files/storage";
import { ownDatabaseForThisFile } from "./support/own-database";
import { createBackup } from "@/server/ops/backup/backup";
import { loadStaging } from "@/server/staging/load";
import { applyMigrations, MIGRATIONS_DIR, PROJECT_ROOT } from "@/scripts/db/engine";
import { grantAppRole } from "@/scripts/db/grants";
import { APP_ROLE } from "@/scripts/db/embedded";

ownDatabaseForThisFile("staging");

let fileDir: string;
const sentMail: MailMessage[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  fileDir = await mkdtemp(path.join(tmpdir(), "phteah-staging-files-"));
  process.env.FILE_STORAGE_DIR = fileDir;
  process.env.APP_ENV = "staging";
  process.env.STAGING_MAIL_ALLOWLIST = "qa@example.org, staging-team.example";
  validateEnv();
  setMailTransportForTests({
    name: "test-capture",
    async send(m) {
      sentMail.push(m);
      return { id: `test-${randomUUID()}` };
    },
  });
  await seed();
}, 120_000);

afterAll(async () => {
  setMailTransportForTests(undefined);
  for (const k of ["FILE_STORAGE_DIR", "APP_ENV", "STAGING_MAIL_ALLOWLIST"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  validateEnv();
  await rm(fileDir, { recursive: true, force: true });
});

async function owner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function acme(): Promise<{ tenantId: string; ownerId: string }> {
  const t = await getDb().tenant.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } });
  const u = await getDb().user.findUniqueOrThrow({ where: { email: "owner@acme.test" }, select: { id: true } });
  return { tenantId: t.id, ownerId: u.id };
}

describe("staging mail allow-list", () => {
  it("matches whole addresses and domains (and their subdomains), nothing else", () => {
    const list = ["qa@example.org", "staging-team.example"];
    expect(isAllowedOnStaging("QA@Example.org", list)).toBe(true);
    expect(isAllowedOnStaging("ana@staging-team.example", list)).toBe(true);
    expect(isAllowedOnStaging("ana@eu.staging-team.example", list)).toBe(true);
    expect(isAllowedOnStaging("other@example.org", list)).toBe(false);
    expect(isAllowedOnStaging("ana@notstaging-team.example", list)).toBe(false);
    expect(isAllowedOnStaging("ana@staging-team.example.evil.com", list)).toBe(false);
    expect(isAllowedOnStaging("not-an-address", list)).toBe(false);
  });

  it("sends renter messages only to the allow-list and records every other one as captured", async () => {
    const { tenantId } = await acme();
    const db = new TenantDb(tenantId);
    const variables = {
      workspace: "Acme Apartments",
      renter: "Sok Dara",
      number: "R-1",
      amount: "$180.00",
      due: "5 Dec 2026",
      payLink: "http://acme.localhost:3000/pay/abc",
    };
    const queue = (to: string) =>
      db.run((tx) => queueMessage(tx, { tenantId, key: "rent.reminder", to, locale: "en", variables, dedupeKey: `staging:${to}` }));
    const captured = await queue("sok.dara@example.com");
    const allowed = await queue("ana@staging-team.example");
    const sender = new MessageSender();
    expect(await sender.send(captured.id, tenantId)).toBe("sent");
    expect(await sender.send(allowed.id, tenantId)).toBe("sent");

    expect(sentMail.map((m) => m.to)).toEqual(["ana@staging-team.example"]);
    const rows = await db.run((tx) =>
      tx.outboundMessage.findMany({
        where: { id: { in: [captured.id, allowed.id] } },
        select: { id: true, provider: true, providerId: true },
      }),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(captured.id)).toMatchObject({ provider: STAGING_CAPTURE_PROVIDER, providerId: expect.stringMatching(/^captured-/) });
    expect(byId.get(allowed.id)).toMatchObject({ provider: "test-capture" });

    // mail without a tenant (the apex password reset) goes the same way
    const direct = await sendMail({ to: "owner@acme.test", subject: "Reset", text: "x", html: "x", tags: { kind: "password_reset" } });
    expect(direct.provider).toBe(STAGING_CAPTURE_PROVIDER);
    await sendMail({ to: "qa@example.org", subject: "Reset", text: "x", html: "x" });
    expect(sentMail.map((m) => m.to)).toEqual(["ana@staging-team.example", "qa@example.org"]);
  });
});

/** Every row of every table of the app's schema, as JSON text (all columns, jsonb and arrays included). */
async function everyRow(c: pg.Client): Promise<Map<string, string[]>> {
  const { rows: tables } = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1`,
  );
  const out = new Map<string, string[]>();
  for (const { name } of tables) {
    const { rows } = await c.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM "${name}" t`);
    out.set(
      name,
      rows.map((r) => r.j),
    );
  }
  return out;
}

async function everyFile(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, full), await readFile(full));
  }
  return out;
}

describe("npm run staging:load", () => {
  it("restores a production backup into the staging database and file store, anonymised before anything reads it", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "phteah-staging-load-"));
    const loadedFiles = await mkdtemp(path.join(tmpdir(), "phteah-staging-loaded-"));
    const target = `staging_load_${randomUUID().slice(0, 8)}`;
    const urlOf = (db: string) => {
      const u = new URL(process.env.DATABASE_MIGRATION_URL!);
      u.pathname = `/${db}`;
      return u.toString();
    };
    await owner((c) => c.query(`CREATE DATABASE ${target}`));
    let orphan: string | null = null;
    try {
      const { tenantId } = await acme();
      orphan = storageKeyFor(tenantId, randomUUID());
      await writeStoredFile(orphan, Buffer.from("%PDF-1.4 scan of Chan Sophea +85517234567"));
      const archive = path.join(work, "production.tar.gz");
      await createBackup({
        databaseUrl: process.env.DATABASE_MIGRATION_URL!,
        fileDir,
        out: archive,
        passphrase: null,
        projectRoot: PROJECT_ROOT,
      });
      const r = await loadStaging({
        databaseUrl: urlOf(target),
        appRole: APP_ROLE,
        fileDir: loadedFiles,
        archive,
        passphrase: null,
        replace: false,
        migrationsDir: MIGRATIONS_DIR,
        applyMigrations: (url, dir) => applyMigrations(url, { migrationsDir: dir }),
        grantAppRole,
        passwordHash: null,
      });
      expect(r.anonymised.filesRemoved).toBe(1); // the scan above has no File row
      const c = new pg.Client({ connectionString: urlOf(target) });
      await c.connect();
      try {
        const rows = [...(await everyRow(c)).values()].flat().join("\n").toLowerCase();
        for (const v of ["Sok Dara", "សុខ ដារ៉ា", "+85512345678", "sok.dara@example.com", "@sokdara", "owner@acme.test", "Chan Sophea"])
          expect(rows).not.toContain(v.toLowerCase());
        const { rows: renters } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Renter"`);
        expect(renters[0]!.n).toBeGreaterThan(10);
      } finally {
        await c.end();
      }
      for (const [, bytes] of await everyFile(loadedFiles)) expect(bytes.includes(Buffer.from("Chan Sophea"))).toBe(false);
    } finally {
      if (orphan) await deleteStoredFile(orphan);
      await owner((c) => c.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`));
      await rm(work, { recursive: true, force: true });
      await rm(loadedFiles, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the staging anonymiser", () => {
  it("leaves no original personal value in any column of any table nor in any file, and keeps money, dates, statuses and relations", async () => {
    const { tenantId, ownerId } = await acme();
    const renter = await new TenantDb(tenantId).run((tx) =>
      tx.renter.findFirstOrThrow({ where: { nameLatin: "Sok Dara" }, select: { id: true } }),
    );
    // what the seed does not make: an ID scan, emergency contact and notes, a session, audit
    // details, an invitation, a suppressed address, a Bakong payer account
    const fileId = randomUUID();
    const scan = Buffer.from("%PDF-1.4\nNational ID card: Sok Dara, born 1990, +85512345678\n%%EOF\n");
    await writeStoredFile(storageKeyFor(tenantId, fileId), scan);
    await writeStoredFile(storageKeyFor(tenantId, randomUUID()), Buffer.from("an orphaned upload of Sok Dara"));
    await owner(async (c) => {
      await c.query(
        `INSERT INTO "File" (id, "tenantId", visibility, purpose, "storageKey", "originalName", "mimeType", "sizeBytes", "checksumSha256")
         VALUES ($1, $2, 'private', 'renter_id', $3, 'sok-dara-national-id.pdf', 'application/pdf', $4, $5)`,
        [fileId, tenantId, storageKeyFor(tenantId, fileId), scan.length, createHash("sha256").update(scan).digest("hex")],
      );
      await c.query(
        `UPDATE "Renter" SET "idDocumentFileId" = $2, "emergencyName" = 'Sok Chanthou', "emergencyPhone" = '+85599887766',
           notes = 'Works at the Chbar Ampov market, pays on the 3rd' WHERE id = $1`,
        [renter.id, fileId],
      );
      await c.query(
        `INSERT INTO "UserSession" (id, "userId", "tenantId", host, ip, "userAgent", "expiresAt")
         VALUES (gen_random_uuid(), $1, $2, 'acme.localhost', '203.0.113.77', 'Mozilla/5.0 (Sok Dara phone)', now() + interval '1 day')`,
        [ownerId, tenantId],
      );
      await c.query(
        `INSERT INTO "AuditLog" (id, "tenantId", "actorUserId", "actorEmail", action, ip, "userAgent", metadata)
         VALUES (gen_random_uuid(), $1, $2, 'owner@acme.test', 'renter.update', '203.0.113.77', 'Mozilla/5.0 (X11)',
                 '{"before": {"phone": "+85512345678"}, "after": {"email": "sok.dara@example.com"}}')`,
        [tenantId, ownerId],
      );
      const role = await c.query<{ id: string }>(`SELECT id FROM "Role" WHERE "tenantId" = $1 AND key = 'viewer'`, [tenantId]);
      await c.query(
        `INSERT INTO "Invitation" (id, "tenantId", email, "roleId", "tokenHash", "invitedByUserId", "expiresAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, 'new.manager@example.com', $2, $3, $4, now() + interval '7 days', now())`,
        [tenantId, role.rows[0]!.id, createHash("sha256").update(randomUUID()).digest("hex"), ownerId],
      );
      await c.query(
        `INSERT INTO "SuppressedAddress" (id, "tenantId", channel, address, reason) VALUES (gen_random_uuid(), $1, 'email', 'heng.vanna@example.com', 'bounce')`,
        [tenantId],
      );
      await c.query(`UPDATE "Payment" SET "fromAccountId" = 'sokdara@abaa' WHERE "tenantId" = $1 AND method = 'khqr'`, [tenantId]);
    });

    // the originals: every personal value the database holds now
    const originals = await owner(async (c) => {
      const q = async (sql: string) => (await c.query<{ v: string | null }>(sql)).rows.map((r) => r.v);
      return [
        ...(await q(`SELECT email AS v FROM "User" UNION SELECT name FROM "User"`)),
        ...(await q(`SELECT name AS v FROM "Tenant" UNION SELECT "bakongAccountId" FROM "Tenant"`)),
        ...(await q(
          `SELECT unnest(ARRAY["nameKm", "nameLatin", phone, email, telegram, "emergencyName", "emergencyPhone", notes]) AS v FROM "Renter"`,
        )),
        ...(await q(`SELECT unnest(ARRAY[name, address, notes]) AS v FROM "Property"`)),
        ...(await q(`SELECT notes AS v FROM "Contract"`)),
        ...(await q(
          `SELECT email AS v FROM "Invitation" UNION SELECT address FROM "SuppressedAddress" UNION SELECT "to" FROM "OutboundMessage"`,
        )),
        ...(await q(`SELECT "originalName" AS v FROM "File"`)),
        ...(await q(`SELECT unnest(ARRAY["fromAccountId", "receivingAccount", reference]) AS v FROM "Payment"`)),
        ...(await q(
          `SELECT unnest(ARRAY[ip, "userAgent"]) AS v FROM "UserSession" UNION SELECT unnest(ARRAY[ip, "userAgent"]) FROM "AuditLog"`,
        )),
      ];
    });
    const personal = [...new Set(originals.filter((v): v is string => typeof v === "string" && v.trim().length >= 5))];
    // the seed's renters, users and workspaces really are in there
    for (const v of ["Sok Dara", "សុខ ដារ៉ា", "+85512345678", "sok.dara@example.com", "@sokdara", "owner@acme.test", "Acme Apartments"])
      expect(personal).toContain(v);
    expect(personal.length).toBeGreaterThan(80);

    const facts = (c: pg.Client) =>
      c
        .query(
          `SELECT (SELECT json_agg(json_build_object('id', id, 'total', total, 'status', status, 'due', "dueDate", 'contract', "contractId") ORDER BY id) FROM "RentInvoice") AS invoices,
                  (SELECT json_agg(json_build_object('id', id, 'amount', amount, 'status', status, 'paidAt', "paidAt", 'invoice', "rentInvoiceId") ORDER BY id) FROM "Payment") AS payments,
                  (SELECT json_agg(json_build_object('id', id, 'unit', "unitId", 'renter', "renterId", 'start', "startDate", 'rent', "rentAmount", 'status', status) ORDER BY id) FROM "Contract") AS contracts,
                  (SELECT json_agg(json_build_object('id', id, 'email', email) ORDER BY id) FROM "User") AS users,
                  (SELECT count(*) FROM "Membership") AS memberships`,
        )
        .then((r) => r.rows[0] as Record<string, unknown>);
    const before = await owner(facts);

    const result = await anonymiseStaging({ databaseUrl: process.env.DATABASE_MIGRATION_URL!, fileDir, passwordHash: null });
    expect(result.filesReplaced).toBe(1);
    expect(result.filesRemoved).toBe(1);

    // every column of every table, every file: none holds an original value
    const rows = await owner(everyRow);
    const leaks: string[] = [];
    for (const [table, texts] of rows)
      for (const text of texts) {
        const lower = text.toLowerCase();
        for (const v of personal) if (lower.includes(v.toLowerCase())) leaks.push(`${table}: ${v}`);
      }
    const files = await everyFile(fileDir);
    expect(files.size).toBe(1);
    for (const [name, bytes] of files) for (const v of personal) if (bytes.includes(Buffer.from(v))) leaks.push(`file ${name}: ${v}`);
    expect([...new Set(leaks)]).toEqual([]);

    // money, dates, statuses, ids and relations are kept
    const after = await owner(facts);
    expect(after.invoices).toEqual(before.invoices);
    expect(after.payments).toEqual(before.payments);
    expect(after.contracts).toEqual(before.contracts);
    expect(after.memberships).toEqual(before.memberships);
    expect((after.users as { id: string }[]).map((u) => u.id)).toEqual((before.users as { id: string }[]).map((u) => u.id));

    await owner(async (c) => {
      // the same address becomes the same fake everywhere: a user, the audit rows naming them
      const user = await c.query<{ email: string }>(`SELECT email FROM "User" WHERE id = $1`, [ownerId]);
      expect(user.rows[0]!.email).toMatch(/^person-[0-9a-f]{10}@staging\.invalid$/);
      const audit = await c.query<{ e: string }>(`SELECT DISTINCT "actorEmail" AS e FROM "AuditLog" WHERE "actorUserId" = $1`, [ownerId]);
      expect(audit.rows.map((r) => r.e)).toEqual([user.rows[0]!.email]);
      // well-formed fakes: phones stay +855 numbers, the ID scan a PDF whose checksum matches its row
      const phones = await c.query<{ phone: string }>(`SELECT phone FROM "Renter"`);
      for (const { phone } of phones.rows) expect(phone).toMatch(/^\+85510\d{7}$/);
      const file = await c.query<{ checksumSha256: string; sizeBytes: number }>(
        `SELECT "checksumSha256", "sizeBytes" FROM "File" WHERE id = $1`,
        [fileId],
      );
      const bytes = files.get(storageKeyFor(tenantId, fileId))!;
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(file.rows[0]).toEqual({ checksumSha256: createHash("sha256").update(bytes).digest("hex"), sizeBytes: bytes.length });
      // no secret carried over
      const secrets = await c.query(
        `SELECT (SELECT count(*) FROM "UserSession")::int AS sessions, (SELECT count(*) FROM "AuthToken")::int AS tokens,
                (SELECT count(*) FROM "User" WHERE "passwordHash" IS NOT NULL OR "totpSecretEnc" IS NOT NULL)::int AS passwords`,
      );
      expect(secrets.rows[0]).toEqual({ sessions: 0, tokens: 0, passwords: 0 });
      // row-level security is forced again on every table that had it
      const unforced = await c.query(
        `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relrowsecurity AND NOT c.relforcerowsecurity`,
      );
      expect(unforced.rows).toEqual([]);
    });

    // the app still reads the anonymised workspace through row-level security
    const renters = await new TenantDb(tenantId).run((tx) => tx.renter.count());
    expect(renters).toBeGreaterThan(10);
  });
});
