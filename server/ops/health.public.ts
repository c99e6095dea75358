import "server-only";
import { getDb } from "@/server/db/client";

/** True when PostgreSQL answers within the timeout. */
export async function databaseIsUp(timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const probe = getDb().$queryRaw`SELECT 1`;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database health probe timed out")), timeoutMs);
    });
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Row-level security is the second wall only if the app's role cannot bypass it. A production
 * server connected as a superuser or a BYPASSRLS role refuses to start.
 */
export async function appRoleProblems(): Promise<string[]> {
  const [role] = await getDb().$queryRaw<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
    SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`;
  const problems: string[] = [];
  if (role?.rolsuper) problems.push(`DATABASE_URL connects as superuser "${role.rolname}"; use the application role`);
  if (role?.rolbypassrls) problems.push(`DATABASE_URL role "${role?.rolname}" has BYPASSRLS; row-level security would not apply`);
  return problems;
}
