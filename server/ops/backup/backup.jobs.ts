import "server-only";
import { promises as fs } from "node:fs";
import path from "node:path";
import { backupScheduleSchema, type BackupSchedule } from "@/env";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { fileStorageDir, fileStore } from "@/server/files/storage";
import { createBackup } from "./backup";
import { encryptionKeyFrom } from "./archive";

const ARCHIVE = /^phteah-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)\.tar\.gz(\.enc)?$/;

export const backupDir = (s: BackupSchedule): string => path.resolve(s.BACKUP_DIR || ".data/backups");

/** The archive's file name for the instant `at` (sortable; the name is how rotation dates it). */
export function archiveName(at: Date, encrypted: boolean): string {
  return `phteah-${at.toISOString().slice(0, 19).replace(/:/g, "-")}Z.tar.gz${encrypted ? ".enc" : ""}`;
}

/**
 * Which archives rotation keeps: the newest `daily`, plus the first archive of each of the newest
 * `monthly` months. Names that are not ours are never touched. Pure: tested on names alone.
 */
export function archivesToKeep(names: readonly string[], daily: number, monthly: number): Set<string> {
  const ours = names.filter((n) => ARCHIVE.test(n)).sort(); // ISO instants sort by time
  const keep = new Set(ours.slice(-daily));
  const firstOfMonth = new Map<string, string>();
  for (const n of ours) {
    const month = ARCHIVE.exec(n)![1]!.slice(0, 7);
    if (!firstOfMonth.has(month)) firstOfMonth.set(month, n);
  }
  const months = [...firstOfMonth.values()];
  for (const n of monthly > 0 ? months.slice(-monthly) : []) keep.add(n);
  return keep;
}

export interface ScheduledBackupResult {
  file: string;
  bytes: number;
  ms: number;
  rows: number;
  tables: number;
  files: number;
  encrypted: boolean;
  kept: number;
  removed: string[];
}

/**
 * The daily backup (JOBS.backup): one archive of the database the app runs on (its role reads every
 * workspace with app.platform set, inside one snapshot) and of every uploaded file, into BACKUP_DIR,
 * then rotation. A failure is thrown: the job runner records it, logs it and sends it to Sentry.
 */
export async function runScheduledBackup(
  clock: Clock = systemClock,
  env: Record<string, string | undefined> = process.env,
): Promise<ScheduledBackupResult> {
  const settings = backupScheduleSchema.parse(env);
  const dir = backupDir(settings);
  const passphrase = encryptionKeyFrom(env as NodeJS.ProcessEnv);
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  await fs.mkdir(dir, { recursive: true });
  const out = path.join(dir, archiveName(clock(), passphrase !== null));
  const r = await createBackup({
    databaseUrl,
    // the app's own file store (process.env, as every instance reads it), whatever `env` says about the schedule
    fileDir: fileStorageDir(),
    fileStore: await fileStore(),
    out,
    passphrase,
    projectRoot: process.cwd(),
  });
  const names = await fs.readdir(dir);
  const keep = archivesToKeep(names, settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_MONTHLY);
  const removed: string[] = [];
  for (const n of names) {
    if (ARCHIVE.test(n) && !keep.has(n)) {
      await fs.rm(path.join(dir, n), { force: true });
      removed.push(n);
    }
  }
  return {
    file: path.basename(out),
    bytes: r.archiveBytes,
    ms: r.ms,
    rows: r.manifest.totals.rows,
    tables: r.manifest.totals.tables,
    files: r.manifest.totals.files,
    encrypted: passphrase !== null,
    kept: keep.size,
    removed,
  };
}
