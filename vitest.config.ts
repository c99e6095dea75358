import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

const INTEGRATION_FILES = ["tests/integration/**/*.test.ts", "server/**/*.test.ts"];
/**
 * Integration files that need a module graph of their own (project `integration-isolated`), each for
 * at least one of these reasons (docs/TESTING.md, "Integration tests without isolation"):
 * - vi.mock: the mock would replace the module for every later file of the worker, or come too late
 *   for modules an earlier file already imported;
 * - fake timers, or a database of its own (ownDatabaseForThisFile, pgbouncer's, backup-restore's
 *   and the readiness tests' other servers): process-wide state the file swaps;
 * - a process-wide singleton it starts or resizes: the context cache and its LISTEN connection, the
 *   scheduler, the Bakong callback worker, the pool's size (overload, pool-sizing);
 * - it sets environment variables a module reads once, when it is imported (the Inngest client),
 *   and then imports it: in a shared graph an earlier file imported it already.
 * A new file goes here only for such a reason; everything else shares the worker's graph.
 */
const ISOLATED_INTEGRATION_FILES = [
  // vi.mock
  "audit",
  "backup-restore",
  "consent-gate",
  "cross-renter",
  "csrf",
  "files-storage",
  "files",
  "hostile-images",
  "log-shipping",
  "observability",
  "overload",
  "plan-gate",
  "pool-sizing",
  "receipts",
  "renter-portal-pages",
  "renter-telegram-journey",
  "request-statements",
  "sentry-sink",
  "telegram-receipts",
  "tenant-resolver",
  "workspace-export",
  // fake timers
  "notification-outbox",
  "notification-pipeline",
  // a database of its own
  "input-fuzz",
  "list-plans-console",
  "list-plans-invoices-payments",
  "list-plans-workspace",
  "mail-and-health",
  "readiness",
  "scheduler-process",
  "staging",
  "pgbouncer",
  // reads its environment when it is imported (the Inngest client): imported after setting it
  "outbox-and-jobs",
  // process-wide singletons
  "context-cache",
  "bakong-callback-worker",
  "upgrade",
].map((name) => `tests/integration/${name}.test.ts`);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: `${root}tests/setup/server-only-stub.ts` },
      { find: /^@\//, replacement: root },
    ],
  },
  test: {
    pool: "forks",
    maxWorkers: 2,
    environment: "node",
    projects: [
      {
        // Pure logic, no database: quick. One module graph per worker (`isolate: false`): the
        // files are imported once per worker instead of once per file, which was most of this
        // project's time (68 → 31 s). Safe because no unit file mocks a module or leaves state
        // behind: the three that change process.env put it back (docs/TESTING.md, "Unit tests").
        extends: true,
        test: {
          name: "unit",
          isolate: false,
          include: ["tests/unit/**/*.test.ts", "lib/**/*.test.ts"],
        },
      },
      {
        // Real PostgreSQL (throwaway embedded cluster, started once per run by global-db.ts and
        // shared with `integration-isolated`). One module graph per worker (`isolate: false`): the app
        // is imported once per worker instead of once per file (docs/TESTING.md, "Integration tests
        // without isolation"); shared-graph-reset.ts puts process.env, timers, stubs and the
        // database client back after each file. The files that cannot share a graph are in
        // ISOLATED_INTEGRATION_FILES below.
        extends: true,
        test: {
          name: "integration",
          isolate: false,
          include: INTEGRATION_FILES,
          exclude: ISOLATED_INTEGRATION_FILES,
          setupFiles: ["tests/setup/shared-graph-reset.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The same database, a fresh module graph per file: the files that mock modules, use fake
        // timers, give themselves a database of their own (the list query-plan tests list-plans-*,
        // docs/TESTING.md "Query-plan tests"; `npm run test:plans` runs only those) or change
        // process-wide singletons (the context cache, the scheduler, the pool's size).
        extends: true,
        test: {
          name: "integration-isolated",
          isolate: true,
          include: ISOLATED_INTEGRATION_FILES,
          globalSetup: ["tests/setup/global-db.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Two production servers (the build in .next/) on one database: `npm run test:cluster`
        // (docs/TESTING.md, "The two-instance test"); not part of test:integration
        extends: true,
        test: {
          name: "cluster",
          include: ["tests/cluster/**/*.test.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
