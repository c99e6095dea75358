import { jsonError, route } from "@/server/api/route-kit";
import { contentDisposition } from "@/server/files/headers";
import { readPublicFile } from "@/server/files/public";

// GET <slug>.<root>/files/public/<id> → a public file (property photo, logo) of the host's
// workspace, to anyone: a file's bytes never change under its id, so it is cacheable forever.
// Private files and other workspaces' files are 404 here.
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string; id: string }>(
  async ({ scope, locale }, { id }) => {
    const file = scope.kind === "tenant" ? await readPublicFile(scope.tenant.id, id) : null;
    if (!file) return jsonError(404, locale, "errors.notFound");
    return new Response(new Uint8Array(file.bytes), {
      status: 200,
      headers: {
        "Content-Type": file.mimeType,
        "Content-Length": String(file.bytes.length),
        "Content-Disposition": contentDisposition("inline", file.originalName),
        "Cache-Control": "public, max-age=31536000, immutable",
        ETag: `"${file.checksumSha256}"`,
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { host: "tenant" },
);
