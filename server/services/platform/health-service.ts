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
