// Which database a CLI acts on: DATABASE_MIGRATION_URL ?? DATABASE_URL; with neither set, the
// persistent embedded cluster in .data/postgres (port EMBEDDED_PG_PORT, default 54329, started
// when it is not running) or, for "ephemeral", a throwaway embedded cluster.
import path from "node:path";
import { APP_ROLE, startEmbeddedPostgres, findFreePort, type EmbeddedPostgres } from "./embedded";
import { PROJECT_ROOT } from "./engine";

const DEV_DATA_DIR = path.join(PROJECT_ROOT, ".data/postgres");

export interface Target {
  migrationUrl: string;
  /** Role to grant table privileges to (null: the app connects as the migration user). */
  appRole: string | null;
  label: string;
  embedded?: EmbeddedPostgres;
}

export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

function embeddedPort(): number {
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`EMBEDDED_PG_PORT=${process.env.EMBEDDED_PG_PORT} is not a port`);
  return port;
}

export async function resolveTarget(mode: "persistent" | "ephemeral"): Promise<Target> {
  const migrationUrl = process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL;
  const appUrl = process.env.DATABASE_URL;
  if (migrationUrl) {
    const appUser = appUrl ? userOf(appUrl) : null;
    return {
      migrationUrl,
      appRole: appUser && appUser !== userOf(migrationUrl) ? appUser : null,
      label: redact(migrationUrl),
    };
  }
  const t0 = Date.now();
  const embedded =
    mode === "persistent"
      ? await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port: embeddedPort(), persistent: true })
      : await startEmbeddedPostgres({ dataDir: "", port: await findFreePort(), persistent: false });
  const where =
    mode === "persistent" ? `.data/postgres, port ${embedded.port}${embedded.reused ? ", already running" : ""}` : "throwaway cluster";
  console.log(`Embedded PostgreSQL (${where}) ready in ${Date.now() - t0} ms`);
  return { migrationUrl: embedded.migrationUrl, appRole: APP_ROLE, label: `embedded (${where})`, embedded };
}
