// npm run staging:load -- <archive> [--replace]
// Fills the STAGING database (DATABASE_MIGRATION_URL, else DATABASE_URL) and FILE_STORAGE_DIR from
// a production backup archive (`npm run backup`), then anonymises it (server/staging/anonymise.ts):
// names, phones, e-mails, Telegram handles, notes, bank accounts and every uploaded file replaced;
// money, dates, statuses and ids kept. Refuses to run unless APP_ENV=staging, so it cannot be
// pointed at production by mistake. STAGING_PASSWORD (optional, ≥ 12 characters) becomes every
// user's password; without it nobody signs in with a password until one is reset (the reset mail
// reaches only STAGING_MAIL_ALLOWLIST). BACKUP_ENCRYPTION_KEY opens a sealed archive.
import path from "node:path";
import { resolveTarget } from "../db/target";
import { applyMigrations, MIGRATIONS_DIR } from "../db/engine";
import { grantAppRole } from "../db/grants";
import { loadStaging } from "../../server/staging/load";
import { BackupError, encryptionKeyFrom } from "../../server/ops/backup/archive";
import { fileStorageDir, fileStore } from "../../server/files/storage";
import { hashPassword } from "../../server/auth/password";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) {
    console.error("Usage: APP_ENV=staging npm run staging:load -- <archive> [--replace]");
    return 2;
  }
  if (process.env.APP_ENV !== "staging") {
    console.error("Refusing to load: APP_ENV=staging must be set (this command replaces the target database with anonymised data).");
    return 2;
  }
  const password = process.env.STAGING_PASSWORD?.trim();
  if (password && password.length < 12) {
    console.error("STAGING_PASSWORD must be at least 12 characters.");
    return 2;
  }
  const target = await resolveTarget("persistent");
  try {
    console.log(`Loading ${path.resolve(file)} into ${target.label} and ${(await fileStore()).label} (anonymised)`);
    const r = await loadStaging({
      databaseUrl: target.migrationUrl,
      appRole: target.appRole,
      fileDir: fileStorageDir(),
      fileStore: await fileStore(),
      archive: path.resolve(file),
      passphrase: encryptionKeyFrom(),
      replace: args.includes("--replace"),
      migrationsDir: MIGRATIONS_DIR,
      applyMigrations: (url, dir) => applyMigrations(url, { migrationsDir: dir }),
      grantAppRole,
      log: (line) => console.log(line),
      passwordHash: password ? await hashPassword(password) : null,
    });
    const t = r.restore.manifest.totals;
    console.log(
      `ok: ${t.rows.toLocaleString("en")} rows and ${t.files} files restored and anonymised (${r.anonymised.filesReplaced} files replaced). ` +
        "Run `npm run db:migrate` to bring the schema to this release, then `npm start` with APP_ENV=staging.",
    );
    return 0;
  } finally {
    await target.embedded?.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`staging:load failed: ${error instanceof BackupError || error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
