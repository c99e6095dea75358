// Setup file of the `integration` project, which runs its files with one module graph per worker
// (`isolate: false`, docs/TESTING.md "Integration tests without isolation"). Vitest runs this file
// before every test file in the worker; its afterAll runs after the file's own afterAll hooks and
// puts back what a file may leave behind for the next file in the same worker:
// - process.env as it was before the file (and the validated env re-read from it),
// - real timers, env and global stubs, spies,
// - the app's database client, if the file pointed DATABASE_URL elsewhere meanwhile.
// The files that mock modules, use fake timers, make a database of their own or change
// process-wide singletons run in `integration-isolated` instead (vitest.config.ts).
import { afterAll, beforeAll, vi } from "vitest";
import { validateEnv } from "@/env";

let saved: Record<string, string | undefined> = {};

beforeAll(() => {
  saved = { ...process.env };
});

afterAll(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  const urlChanged = process.env.DATABASE_URL !== saved.DATABASE_URL;
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  for (const [key, value] of Object.entries(saved)) if (process.env[key] !== value) process.env[key] = value;
  validateEnv();
  if (urlChanged) {
    const db = globalThis as unknown as { phteahDb?: { $disconnect(): Promise<void> }; phteahPool?: unknown };
    await db.phteahDb?.$disconnect();
    delete db.phteahDb;
    delete db.phteahPool;
  }
});
