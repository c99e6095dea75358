import { FILE_PURPOSE_RULES, MAX_UPLOAD_BYTES, isFilePurpose } from "@/lib/files/purposes";
import { HTTP_STATUS } from "@/server/api/errors";
import { workspaceRouteGuard } from "@/server/api/route-guards";
import { jsonError, overloaded } from "@/server/api/route-kit";
import { AppError } from "@/server/core/errors";
import { isSameOrigin } from "@/server/core/http";
import { isDatabaseOverload } from "@/server/core/overload";
import { getLocale, getScope } from "@/server/core/page-context";
import { FileService } from "@/server/files/file-service";

// POST <slug>.<root>/api/files (multipart: `file`, `purpose`) → 201 { id, originalName, mimeType,
// sizeBytes }. Same-origin only; 404 off a workspace host or not a member, 401 no session, 403
// without the purpose's permission (or suspended), 413 too large, 400 bad form / refused type,
// 403 LIMIT_EXCEEDED over the plan's storage. The type is sniffed from the bytes by FileService.
export const dynamic = "force-dynamic";

const MULTIPART_OVERHEAD = 64 * 1024;

export async function POST(request: Request): Promise<Response> {
  try {
    return await upload(request);
  } catch (e) {
    // the database is saturated: 503 + Retry-After, not 500
    if (isDatabaseOverload(e)) return overloaded(await getLocale().catch(() => "en" as const));
    throw e;
  }
}

async function upload(request: Request): Promise<Response> {
  const locale = await getLocale();
  if (!isSameOrigin(request)) return jsonError(403, locale, "errors.forbidden");
  const scope = await getScope();
  if (scope?.kind !== "tenant") return jsonError(404, locale, "errors.notFound");
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

  const guard = await workspaceRouteGuard(request, scope.tenant.slug, FILE_PURPOSE_RULES[purpose].permission);
  if (!guard.ok) return guard.response;
  if (file.size > MAX_UPLOAD_BYTES) {
    return jsonError(413, guard.locale, "files.errors.tooLarge", { params: { maxMb: MAX_UPLOAD_BYTES / (1024 * 1024) } });
  }

  try {
    const uploaded = await new FileService(guard.ctx).upload({
      purpose,
      originalName: "name" in file && typeof file.name === "string" ? file.name : "file",
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return Response.json(uploaded, { status: 201, headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (e instanceof AppError) return jsonError(HTTP_STATUS[e.code], guard.locale, e.key, { params: e.params });
    throw e;
  }
}
