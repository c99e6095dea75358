// npm run workspace:import -- <zip> --into <slug> [--create] [--check]
// Imports a workspace export (the owner's "Export my data" zip from /settings) into an EMPTY
// workspace of this installation: restore of one tenant on another instance, or after a deletion
// by mistake (docs/OPERATIONS.md, "Workspace export and import"). Run it on the server with the
// app's environment (the same DATABASE_URL and file storage settings as the running app).
// --create makes the workspace with that address when it does not exist; --check only verifies
// the zip against its manifest. Exit 0 only after every count and checksum verified; 1 refused or
// failed (nothing written), 2 usage.
import path from "node:path";
import { getDb } from "../../server/db/client";
import { ImportError, importWorkspace, verifyExport } from "../../server/workspaces/export/import.admin";
import { formatBytes, optionValue } from "./common";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const into = optionValue(args, "--into");
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--into");
  if (!file || (!into && !args.includes("--check"))) {
    console.error("Usage: npm run workspace:import -- <zip> --into <workspace address> [--create] | <zip> --check");
    return 2;
  }
  const zip = path.resolve(file);
  if (args.includes("--check")) {
    const m = await verifyExport(zip);
    console.log(
      `ok: ${m.workspace.slug} exported ${m.createdAt} by ${m.app.name} ${m.app.version} (migration ${m.migrationHead ?? "unknown"}): ` +
        `${m.totals.rows.toLocaleString("en")} rows in ${m.totals.entities} tables, ${m.totals.files} files (${formatBytes(m.totals.fileBytes)}), all checksums match.`,
    );
    return 0;
  }
  const t0 = Date.now();
  const r = await importWorkspace({ file: zip, into: into!, create: args.includes("--create"), log: (line) => console.log(line) });
  for (const [table, n] of Object.entries(r.perTable)) if (n > 0) console.log(`  ${table}: ${n.toLocaleString("en")}`);
  if (r.remappedIds) console.log(`${r.remappedIds} ids already existed on this installation and were given new ones.`);
  if (r.matchedUsers.length) console.log(`Members matched to existing accounts by e-mail: ${r.matchedUsers.join(", ")}`);
  if (r.createdUsers.length)
    console.log(
      `Accounts created without a password (they set one with "Forgot password" on the sign-in page): ${r.createdUsers.join(", ")}`,
    );
  console.log(
    `ok: ${r.rows.toLocaleString("en")} rows and ${r.files} files imported into ${into} and verified in ${((Date.now() - t0) / 1000).toFixed(1)} s.`,
  );
  return 0;
}

main()
  .then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`workspace import failed: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DEBUG && error instanceof Error && !(error instanceof ImportError)) console.error(error.stack);
      process.exitCode = 1;
    },
  )
  .finally(async () => {
    if (!process.argv.includes("--check")) await getDb().$disconnect();
  });
