// The staging anonymiser (docs/OPERATIONS.md, "Staging"): run by `npm run staging:load` right
// after a production backup is restored into the staging database and file store. Personal data
// is replaced: names, phones, e-mail addresses, Telegram handles, bank accounts, free-text notes
// and reasons, addresses, IP addresses and browsers, message bodies, webhook bodies, audit
// details, and the bytes of every uploaded file (ID scans, signed contracts, photos, logos).
// Money, dates, statuses, ids and every relation are kept. Fake values are deterministic within
// one run (a keyed hash of the original, with a random key that is never stored), so the same
// e-mail address becomes the same fake address in every table (users, invitations, messages,
// suppression list, audit) while the original cannot be recovered from it. Secrets are not
// carried over: sessions, sign-in tokens, recovery codes and rate-limit hits are deleted, password
// hashes and 2FA secrets cleared (or every password set to STAGING_PASSWORD), pay tokens and
// invitation tokens replaced.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import sharp from "sharp";
import type { FileStore } from "../files/file-store";
import { localFileStore } from "../files/storage-local";

export interface AnonymiseOptions {
  /** the schema owner's URL (DATABASE_MIGRATION_URL of the staging database) */
  databaseUrl: string;
  /** the staging FILE_STORAGE_DIR (the local driver's directory) */
  fileDir: string;
  /** the staging file store (server/files/storage.ts fileStore(): disk or S3 bucket); default: the local directory fileDir */
  fileStore?: FileStore;
  /** argon2 hash every user's password is set to (a staging password); null: no one signs in with a password */
  passwordHash?: string | null;
  /** the keyed hash's key; random by default (tests may pass one to compare runs) */
  key?: string;
  log?: (line: string) => void;
}

export interface AnonymiseResult {
  rowsChanged: Record<string, number>;
  filesReplaced: number;
  filesRemoved: number;
}

/**
 * Every statement, in order. `pg_temp.anon(kind, value)` is the keyed hash (10 hex characters);
 * empty and null values stay as they are.
 */
const STATEMENTS: ReadonlyArray<[label: string, sql: string]> = [
  [
    "User",
    `UPDATE "User" SET email = pg_temp.email(email), name = 'User ' || pg_temp.anon('user', name),
      "passwordHash" = $1, "totpSecretEnc" = NULL, "totpEnabledAt" = NULL, "totpLastStep" = NULL`,
  ],
  ["RecoveryCode", `DELETE FROM "RecoveryCode"`],
  ["UserSession", `DELETE FROM "UserSession"`],
  ["AuthToken", `DELETE FROM "AuthToken"`],
  ["RateLimitHit", `DELETE FROM "RateLimitHit"`],
  // a workspace's own Telegram bot token: a staging copy never writes to real renters through it
  ["WorkspaceTelegramBot", `DELETE FROM "WorkspaceTelegramBot"`],
  [
    "Tenant",
    `UPDATE "Tenant" SET name = 'Workspace ' || pg_temp.anon('tenant', name),
      "bakongAccountId" = pg_temp.account("bakongAccountId"),
      "suspendedReason" = pg_temp.text('reason', "suspendedReason")`,
  ],
  ["Invitation", `UPDATE "Invitation" SET email = pg_temp.email(email), "tokenHash" = md5(random()::text || id::text) || md5(id::text)`],
  [
    "AuditLog",
    `UPDATE "AuditLog" SET "actorEmail" = pg_temp.email("actorEmail"), ip = NULL, "userAgent" = NULL,
      metadata = CASE WHEN metadata IS NULL THEN NULL ELSE '{"anonymised": true}'::jsonb END`,
  ],
  [
    "OutboxEvent",
    `UPDATE "OutboxEvent" SET "lastError" = NULL,
      "dedupeKey" = CASE WHEN "dedupeKey" IS NULL THEN NULL ELSE 'anon-' || md5(current_setting('phteah.anon_key') || "dedupeKey") END,
      payload = pg_temp.scrub_json(payload)`,
  ],
  ["WebhookEvent", `UPDATE "WebhookEvent" SET "rawBody" = '{}', headers = '{}'::jsonb, "lastError" = NULL`],
  [
    "File",
    `UPDATE "File" SET "originalName" = 'file-' || pg_temp.anon('file', "originalName") ||
      coalesce(substring("originalName" from '\\.[A-Za-z0-9]{1,5}$'), '')`,
  ],
  [
    "Payment",
    `UPDATE "Payment" SET "receivingAccount" = pg_temp.account("receivingAccount"),
      "fromAccountId" = pg_temp.account("fromAccountId"), "qrString" = NULL,
      reference = pg_temp.text('ref', reference), "failureReason" = pg_temp.text('reason', "failureReason"),
      "refundReason" = pg_temp.text('reason', "refundReason"), "flagReason" = pg_temp.text('reason', "flagReason")`,
  ],
  [
    "Property",
    `UPDATE "Property" SET name = 'Property ' || pg_temp.anon('property', name),
      address = pg_temp.text('address', address), notes = pg_temp.text('note', notes)`,
  ],
  [
    "Renter",
    `UPDATE "Renter" SET "nameKm" = CASE WHEN "nameKm" = '' THEN '' ELSE 'អ្នកជួល ' || pg_temp.anon('name', "nameKm") END,
      "nameLatin" = CASE WHEN "nameLatin" = '' THEN '' ELSE 'Renter ' || pg_temp.anon('name', "nameLatin") END,
      phone = pg_temp.phone(phone), email = pg_temp.email(email),
      telegram = CASE WHEN telegram IS NULL OR telegram = '' THEN telegram ELSE '@staging_' || pg_temp.anon('tg', telegram) END,
      "emergencyName" = CASE WHEN "emergencyName" IS NULL OR "emergencyName" = '' THEN "emergencyName" ELSE 'Contact ' || pg_temp.anon('name', "emergencyName") END,
      "emergencyPhone" = pg_temp.phone("emergencyPhone"), notes = pg_temp.text('note', notes)`,
  ],
  ["Contract", `UPDATE "Contract" SET notes = pg_temp.text('note', notes), "endReason" = pg_temp.text('reason', "endReason")`],
  [
    "RentInvoice",
    `UPDATE "RentInvoice" SET "voidReason" = pg_temp.text('reason', "voidReason"),
      "payToken" = CASE WHEN "payToken" IS NULL THEN NULL ELSE md5(random()::text || id::text) || md5(id::text) END`,
  ],
  [
    "RentCharge",
    `UPDATE "RentCharge" SET description = pg_temp.text('charge', description) WHERE kind NOT IN ('rent', 'electricity', 'water', 'late_fee')`,
  ],
  [
    "RentInvoiceLine",
    `UPDATE "RentInvoiceLine" SET description = pg_temp.text('charge', description) WHERE kind NOT IN ('rent', 'electricity', 'water', 'late_fee')`,
  ],
  [
    "OutboundMessage",
    // dedupe keys may name the recipient: a keyed hash keeps them unique
    `UPDATE "OutboundMessage" SET "to" = pg_temp.email("to"), variables = '{}'::jsonb,
      "dedupeKey" = 'anon-' || md5(current_setting('phteah.anon_key') || "dedupeKey"),
      subject = CASE WHEN subject IS NULL THEN NULL ELSE '[anonymised] ' || key END,
      "bodyText" = CASE WHEN "bodyText" IS NULL THEN NULL ELSE '[anonymised]' END, "lastError" = NULL`,
  ],
  ["SuppressedAddress", `UPDATE "SuppressedAddress" SET address = pg_temp.email(address)`],
  ["InvoiceRun", `UPDATE "InvoiceRun" SET errors = '[]'::jsonb WHERE errors <> '[]'::jsonb`],
];

/** The helper functions, in the session's own temporary schema (nothing is left in the database). */
const FUNCTIONS = [
  `CREATE FUNCTION pg_temp.anon(kind text, v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
     SELECT substr(md5(current_setting('phteah.anon_key') || ':' || kind || ':' || lower(btrim(v))), 1, 10) $$`,
  `CREATE FUNCTION pg_temp.email(v text) RETURNS text LANGUAGE sql AS $$
     SELECT CASE WHEN v IS NULL OR v = '' THEN v ELSE 'person-' || pg_temp.anon('email', v) || '@staging.invalid' END $$`,
  // +855 10 and seven digits from the hash: a well-formed Cambodian mobile number
  `CREATE FUNCTION pg_temp.phone(v text) RETURNS text LANGUAGE sql AS $$
     SELECT CASE WHEN v IS NULL OR v = '' THEN v
       ELSE '+85510' || lpad((('x' || substr(pg_temp.anon('phone', v), 1, 7))::bit(28)::int % 10000000)::text, 7, '0') END $$`,
  `CREATE FUNCTION pg_temp.account(v text) RETURNS text LANGUAGE sql AS $$
     SELECT CASE WHEN v IS NULL OR v = '' THEN v ELSE 'stg' || pg_temp.anon('account', v) || '@fake' END $$`,
  `CREATE FUNCTION pg_temp.text(kind text, v text) RETURNS text LANGUAGE sql AS $$
     SELECT CASE WHEN v IS NULL OR v = '' THEN v ELSE initcap(kind) || ' ' || pg_temp.anon(kind, v) END $$`,
  // an outbox event's payload: ids, numbers and booleans stay (the relay needs them), text values
  // that are not ids become the keyed hash
  `CREATE FUNCTION pg_temp.scrub_json(j jsonb) RETURNS jsonb LANGUAGE sql AS $$
     SELECT CASE jsonb_typeof(j)
       WHEN 'object' THEN coalesce((SELECT jsonb_object_agg(k, pg_temp.scrub_json(v)) FROM jsonb_each(j) AS e(k, v)), '{}'::jsonb)
       WHEN 'array' THEN coalesce((SELECT jsonb_agg(pg_temp.scrub_json(v)) FROM jsonb_array_elements(j) AS e(v)), '[]'::jsonb)
       WHEN 'string' THEN CASE
         WHEN j #>> '{}' ~ '^[0-9a-fA-F-]{36}$|^[0-9TZ:.+-]{10,35}$|^[a-z_.]{1,40}$' THEN j
         ELSE to_jsonb('anon-' || pg_temp.anon('json', j #>> '{}')) END
       ELSE j END $$`,
];

const IMAGE_TYPES: Record<string, "png" | "jpeg" | "webp" | "gif"> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/webp": "webp",
  "image/gif": "gif",
};

/** A minimal one-page PDF that says what it stands for. */
function placeholderPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    null,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const text = "BT /F1 14 Tf 20 50 Td (Staging placeholder) Tj ET";
  objects[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const placeholders = new Map<string, Buffer>();
/** Stand-in bytes of the same type: a grey image, a one-page PDF, or a line of text. */
async function placeholderFor(mimeType: string): Promise<Buffer> {
  const hit = placeholders.get(mimeType);
  if (hit) return hit;
  let bytes: Buffer;
  const image = IMAGE_TYPES[mimeType];
  if (image) {
    bytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 160, g: 160, b: 160 } } })
      .toFormat(image)
      .toBuffer();
  } else if (mimeType === "application/pdf") bytes = placeholderPdf();
  else bytes = Buffer.from("staging placeholder\n");
  placeholders.set(mimeType, bytes);
  return bytes;
}

/**
 * Anonymises the restored staging database and file store in place: one transaction for the
 * database (all or nothing), then every stored file replaced (or removed when no row refers to
 * it). Row-level security is lifted for the owner only inside the transaction.
 */
export async function anonymiseStaging(opts: AnonymiseOptions): Promise<AnonymiseResult> {
  const log = opts.log ?? (() => undefined);
  const key = opts.key ?? randomBytes(32).toString("hex");
  const c = new pg.Client({ connectionString: opts.databaseUrl });
  c.on("error", () => undefined);
  await c.connect();
  const rowsChanged: Record<string, number> = {};
  let files: { id: string; storageKey: string; mimeType: string }[] = [];
  try {
    await c.query("BEGIN");
    await c.query("SELECT set_config('phteah.anon_key', $1, true)", [key]);
    await c.query("SET LOCAL check_function_bodies = off"); // scrub_json calls itself
    for (const f of FUNCTIONS) await c.query(f);
    const { rows: forced } = await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relforcerowsecurity`,
    );
    for (const t of forced) await c.query(`ALTER TABLE "${t.name.replaceAll('"', '""')}" NO FORCE ROW LEVEL SECURITY`);
    for (const [label, sql] of STATEMENTS) {
      const r = await c.query(sql, sql.includes("$1") ? [opts.passwordHash ?? null] : []);
      rowsChanged[label] = r.rowCount ?? 0;
    }
    // the bytes change below: size and checksum follow
    files = (await c.query<{ id: string; storageKey: string; mimeType: string }>(`SELECT id, "storageKey", "mimeType" FROM "File"`)).rows;
    for (const f of files) {
      const bytes = await placeholderFor(f.mimeType);
      await c.query(`UPDATE "File" SET "sizeBytes" = $2, "checksumSha256" = $3 WHERE id = $1`, [
        f.id,
        bytes.length,
        createHash("sha256").update(bytes).digest("hex"),
      ]);
    }
    for (const t of forced) await c.query(`ALTER TABLE "${t.name.replaceAll('"', '""')}" FORCE ROW LEVEL SECURITY`);
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    await c.end().catch(() => undefined);
  }
  log(
    `database anonymised: ${Object.entries(rowsChanged)
      .map(([t, n]) => `${t} ${n}`)
      .join(", ")}`,
  );

  const known = new Map(files.map((f) => [f.storageKey, f.mimeType]));
  const store = opts.fileStore ?? localFileStore(opts.fileDir);
  let filesReplaced = 0;
  let filesRemoved = 0;
  const keys: string[] = [];
  for await (const o of store.list()) keys.push(o.key);
  for (const key of keys) {
    const mime = known.get(key);
    if (mime === undefined) {
      await store.delete(key);
      filesRemoved++;
    } else {
      await store.put(key, await placeholderFor(mime));
      filesReplaced++;
    }
  }
  log(`files: ${filesReplaced} replaced by placeholders, ${filesRemoved} without a row removed`);
  return { rowsChanged, filesReplaced, filesRemoved };
}
