import { jsonError } from "@/server/api/route-kit";
import { contentDisposition } from "@/server/files/headers";
import { readPublicFile } from "@/server/files/public";
import { getLocale, getScope } from "@/server/core/page-context";

// GET <slug>.<root>/files/public/<id> → a public file (property photo, logo) of the host's
// workspace, to anyone: a file's bytes never change under its id, so it is cacheable forever.
// Private files and other workspaces' files are 404 here.
export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; id: string }> }): Promise<Response> {
  const { tenant, id } = await params;
  const scope = await getScope();
  if (scope?.kind !== "tenant" || scope.tenant.slug !== tenant) return jsonError(404, await getLocale(), "errors.notFound");
  const file = await readPublicFile(scope.tenant.id, id);
  if (!file) return jsonError(404, await getLocale(), "errors.notFound");
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
}
