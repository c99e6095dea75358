import { jsonError, route } from "@/server/api/route-kit";
import { contentDisposition } from "@/server/files/headers";
import { FileService } from "@/server/files/file-service";

// GET <slug>.<root>/files/<id> → a file of this workspace (ID scans, signed contracts, or any
// other upload) for a member with files.private. 404 unknown workspace / not a member / unknown
// file, 401 no session, 403 without files.private. Never cached by anyone but the browser's
// private memory, never sniffed, always with a Content-Disposition. The bytes stream from the
// configured store (disk or S3 bucket) through this route, only after the checks: no presigned
// address that would skip them is ever handed out (docs/OPERATIONS.md, "File storage"). A store
// that cannot be reached is 503 (route-kit).
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = route<{ tenant: string; id: string }>(
  async ({ request, locale, tenant }, { id }) => {
    const ctx = await tenant({ permission: "files.private" });
    if (!UUID.test(id)) return jsonError(404, locale, "errors.notFound");
    const { file, body, size } = await new FileService(ctx).openPrivate(id);
    const download = new URL(request.url).searchParams.get("download") === "1";
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": file.mimeType,
        "Content-Length": String(size),
        "Content-Disposition": contentDisposition(download ? "attachment" : "inline", file.originalName),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { host: "tenant", locale: "user", opaqueNotFound: true },
);
