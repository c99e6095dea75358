import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

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
        // Real PostgreSQL (throwaway embedded cluster, started once per run by global-db.ts).
        extends: true,
        test: {
          name: "integration",
          // the list query-plan tests (list-plans-*) are among them, each in a database of its own
          // (docs/TESTING.md, "Query-plan tests"); `npm run test:plans` runs only those
          include: ["tests/integration/**/*.test.ts", "server/**/*.test.ts"],
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
