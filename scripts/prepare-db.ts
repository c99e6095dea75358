// Brings a database to the current schema: migrations (WASM schema engine), grants for the
// application role, permission catalog. Used by `npm run dev` and the e2e server.
import { applyMigrations } from "./db/engine";
import { ensurePlanCatalog, grantAppRole, syncPermissionCatalog } from "./db/grants";

export async function prepareDatabase(migrationUrl: string, appRole: string | null): Promise<string[]> {
  const applied = await applyMigrations(migrationUrl);
  if (appRole) await grantAppRole(migrationUrl, appRole);
  await syncPermissionCatalog(migrationUrl);
  await ensurePlanCatalog(migrationUrl);
  return applied;
}
