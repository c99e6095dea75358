import { route } from "@/server/api/route-kit";
import { WorkspaceExportService } from "@/server/workspaces/export/export-service";

// GET acme.<root>/settings/export → the whole workspace as a zip (server/workspaces/export), streamed.
// 404 unknown workspace or not a member, 401 no session, 403 suspended, without workspace.settings
// or not an owner (the zip holds every private file and member e-mail). Audited (tenant.exported).
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string }>(
  async ({ tenant }) => {
    const ctx = await tenant({ permission: "workspace.settings" });
    const { filename, stream } = await new WorkspaceExportService(ctx).export();
    return new Response(stream, {
      status: 200,
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { host: "tenant", locale: "user" },
);
