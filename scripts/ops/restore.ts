// npm run restore -- FILE [--replace]
// Restores an archive of `npm run backup` into the database named by DATABASE_MIGRATION_URL (else
// DATABASE_URL; with neither, the embedded development cluster) and into FILE_STORAGE_DIR (or the
// S3 bucket with FILE_STORAGE_DRIVER=s3). Both
// must be empty unless --replace (which drops every object of the target schema and empties the
// directory). The application role of DATABASE_URL (embedded: phteah_app) is granted as
// `db:migrate` does. Exit 0 only after every row count and checksum of the manifest verified; a
// damaged or truncated archive exits non-zero and leaves the database without tables.
import path from "node:path";
import { resolveTarget } from "../db/target";
import { applyMigrations, MIGRATIONS_DIR } from "../db/engine";
import { grantAppRole } from "../db/grants";
import { restoreBackup } from "../../server/ops/backup/restore";
import { BackupError, encryptionKeyFrom } from "../../server/ops/backup/archive";
import { fileStorageDir, fileStore } from "../../server/files/storage";
import { formatBytes } from "./common";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) {
    console.error("Usage: npm run restore -- <archive> [--replace]");
    return 2;
  }
  const files = await fileStore();
  const target = await resolveTarget("persistent");
  try {
    console.log(`Restoring ${path.resolve(file)} into ${target.label} and ${files.label}`);
    const r = await restoreBackup({
      databaseUrl: target.migrationUrl,
      appRole: target.appRole,
      fileDir: fileStorageDir(),
      fileStore: files,
      archive: path.resolve(file),
      passphrase: encryptionKeyFrom(),
      replace: args.includes("--replace"),
      migrationsDir: MIGRATIONS_DIR,
      applyMigrations: (url, dir) => applyMigrations(url, { migrationsDir: dir }),
      grantAppRole,
      log: (line) => console.log(line),
    });
    const t = r.manifest.totals;
    console.log(
      `ok: ${t.rows.toLocaleString("en")} rows in ${t.tables} tables and ${t.files.toLocaleString("en")} files (${formatBytes(t.fileBytes)}) restored and verified in ${(r.ms / 1000).toFixed(1)} s. ` +
        `The archive was taken at migration ${r.manifest.migrations.at(-1)?.name ?? "(none)"}: run \`npm run db:migrate\` to bring it to this release.`,
    );
    return 0;
  } finally {
    await target.embedded?.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(
      `restore failed: ${error instanceof BackupError ? error.message : error instanceof Error ? error.message : String(error)}`,
    );
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  },
);
