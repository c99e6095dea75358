import { FILE_PURPOSE_RULES, MAX_UPLOAD_BYTES, isFilePurpose } from "@/lib/files/purposes";
import { jsonError, route } from "@/server/api/route-kit";
import { FileService } from "@/server/files/file-service";

// POST <slug>.<root>/api/files (multipart: `file`, `purpose`) → 201 { id, originalName, mimeType,
// sizeBytes }. Same-origin only; 404 off a workspace host or not a member, 401 no session, 403
// without the purpose's permission (or suspended, or an unpaid read-only workspace), 413 too
// large, 400 bad form / refused type, 403 LIMIT_EXCEEDED over the plan's storage, 503 when the
// database is saturated. The type is sniffed from the bytes by FileService.
export const dynamic = "force-dynamic";

const MULTIPART_OVERHEAD = 64 * 1024;

export const POST = route(
  async ({ request, locale, tenant }) => {
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD) {
      return jsonError(413, locale, "files.errors.tooLarge", { params: { maxMb: MAX_UPLOAD_BYTES / (1024 * 1024) } });
    }

    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return jsonError(400, locale, "errors.validation");
    }
    const purpose = form.get("purpose");
    const file = form.get("file");
    if (!isFilePurpose(purpose)) return jsonError(400, locale, "files.errors.badPurpose");
    if (!(file instanceof Blob)) return jsonError(400, locale, "files.errors.empty");

    const ctx = await tenant({ permission: FILE_PURPOSE_RULES[purpose].permission, write: true });
    if (file.size > MAX_UPLOAD_BYTES) {
      return jsonError(413, locale, "files.errors.tooLarge", { params: { maxMb: MAX_UPLOAD_BYTES / (1024 * 1024) } });
    }
    const uploaded = await new FileService(ctx).upload({
      purpose,
      originalName: "name" in file && typeof file.name === "string" ? file.name : "file",
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return Response.json(uploaded, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "tenant", locale: "user" },
);
