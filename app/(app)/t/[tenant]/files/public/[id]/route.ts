import { jsonError, route } from "@/server/api/route-kit";
import { contentDisposition } from "@/server/files/headers";
import { findPublicFile } from "@/server/files/public";
import { openStoredFile } from "@/server/files/storage";

// GET <slug>.<root>/files/public/<id> → a public file (property photo, logo) of the host's
// workspace, to anyone: a file's bytes never change under its id, so it is cacheable forever (and
// a browser or CDN revalidating with If-None-Match gets 304 without the store being read).
// Private files and other workspaces' files are 404 here. The bytes stream from the configured
// store (disk or S3 bucket); a store that cannot be reached is 503 (route-kit).
export const dynamic = "force-dynamic";

const CACHE = "public, max-age=31536000, immutable";

export const GET = route<{ tenant: string; id: string }>(
  async ({ request, scope, locale }, { id }) => {
    const file = scope.kind === "tenant" ? await findPublicFile(scope.tenant.id, id) : null;
    if (!file) return jsonError(404, locale, "errors.notFound");
    const etag = `"${file.checksumSha256}"`;
    const ifNoneMatch = request.headers.get("if-none-match");
    if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
      return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": CACHE } });
    }
    const stored = await openStoredFile(file.storageKey);
    if (!stored) return jsonError(404, locale, "errors.notFound");
    return new Response(stored.body, {
      status: 200,
      headers: {
        "Content-Type": file.mimeType,
        "Content-Length": String(stored.size),
        "Content-Disposition": contentDisposition("inline", file.originalName),
        "Cache-Control": CACHE,
        ETag: etag,
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { host: "tenant" },
);
