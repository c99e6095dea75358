// npm run backup [-- --out FILE]
// Backs up the database named by DATABASE_MIGRATION_URL (else DATABASE_URL; with neither, the
// embedded development cluster, started when it is not running) and every file under
// FILE_STORAGE_DIR (default .data/files), or of the S3 bucket with FILE_STORAGE_DRIVER=s3, into one archive (server/ops/backup/archive.ts). With
// BACKUP_ENCRYPTION_KEY set the archive is sealed with AES-256-GCM. Exit 0 only when FILE is complete.
import path from "node:path";
import { resolveTarget } from "../db/target";
import { PROJECT_ROOT } from "../db/engine";
import { createBackup } from "../../server/ops/backup/backup";
import { BackupError, encryptionKeyFrom } from "../../server/ops/backup/archive";
import { fileStorageDir, fileStore } from "../../server/files/storage";
import { formatBytes, optionValue } from "./common";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const passphrase = encryptionKeyFrom();
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, "-")
    .replace(/-\d{3}Z$/, "Z");
  const out = path.resolve(
    optionValue(args, "--out") ?? path.join(PROJECT_ROOT, "backups", `phteah-${stamp}.tar.gz${passphrase ? ".enc" : ""}`),
  );
  const files = await fileStore();
  const target = await resolveTarget("persistent");
  try {
    console.log(`Backing up ${target.label} and ${files.label} → ${out}${passphrase ? " (encrypted)" : ""}`);
    const r = await createBackup({
      databaseUrl: target.migrationUrl,
      fileDir: fileStorageDir(),
      fileStore: files,
      out,
      passphrase,
      projectRoot: PROJECT_ROOT,
      log: (line) => console.log(line),
    });
    const t = r.manifest.totals;
    console.log(
      `ok: ${t.rows.toLocaleString("en")} rows in ${t.tables} tables (${formatBytes(t.tableBytes)}), ${t.files.toLocaleString("en")} files (${formatBytes(t.fileBytes)}), ` +
        `${r.manifest.migrations.length} migrations; archive ${formatBytes(r.archiveBytes)} in ${(r.ms / 1000).toFixed(1)} s`,
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
      `backup failed: ${error instanceof BackupError ? error.message : error instanceof Error ? error.message : String(error)}`,
    );
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  },
);
