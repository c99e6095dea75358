// `npm run staging:load -- <archive>`: a production backup restored into the staging database and
// file store, then anonymised (server/staging/anonymise.ts) before anything can read it. When the
// anonymiser fails, the restored copy is wiped: production personal data never stays on staging.
import pg from "pg";
import { restoreBackup, type RestoreOptions, type RestoreResult } from "@/server/ops/backup/restore";
import { localFileStore } from "@/server/files/storage-local";
import { anonymiseStaging, type AnonymiseResult } from "./anonymise";

export interface StagingLoadOptions extends RestoreOptions {
  /** argon2 hash every staging user's password is set to (STAGING_PASSWORD); null: none */
  passwordHash: string | null;
}

async function wipe(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  c.on("error", () => undefined);
  await c.connect();
  try {
    const { rows } = await c.query<{ s: string }>("SELECT current_schema() AS s");
    const schema = `"${rows[0]!.s.replaceAll('"', '""')}"`;
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function loadStaging(opts: StagingLoadOptions): Promise<{ restore: RestoreResult; anonymised: AnonymiseResult }> {
  const restore = await restoreBackup(opts);
  try {
    const anonymised = await anonymiseStaging({
      databaseUrl: opts.databaseUrl,
      fileDir: opts.fileDir,
      fileStore: opts.fileStore,
      passwordHash: opts.passwordHash,
      log: opts.log,
    });
    return { restore, anonymised };
  } catch (error) {
    await wipe(opts.databaseUrl).catch(() => undefined);
    await (opts.fileStore ?? localFileStore(opts.fileDir)).clear().catch(() => undefined);
    throw new Error(`anonymising failed, the restored copy was removed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
