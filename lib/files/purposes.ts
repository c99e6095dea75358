// What each kind of upload may contain, who may upload it and who may read it. Shared by the
// upload route, FileService and <FileUpload> (the `accept` attribute), so the rules exist once.
import type { PermissionCode } from "@/lib/permissions";

export const FILE_PURPOSES = ["property_photo", "tenant_logo", "renter_id", "contract_scan"] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** What sniffing the first bytes can tell apart; nothing else is ever stored (no SVG, HTML, archives). */
export type FileKind = "image" | "pdf";

export const IMAGE_MIME_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export const PDF_MIME_TYPE = "application/pdf";
export type StoredMimeType = (typeof IMAGE_MIME_TYPES)[number] | typeof PDF_MIME_TYPE;

/** The largest single upload (the plan's storage limit applies on top); below the proxy's 10 MB request-body cap. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

export interface FilePurposeRule {
  /** public: served to anyone at /files/public/<id> (photos, logos); private: only via /files/<id> with files.private */
  visibility: "public" | "private";
  kinds: readonly FileKind[];
  /** needed to upload a file for this purpose */
  permission: PermissionCode;
  /** narrower image types (the logo goes into PDFs, whose renderer takes PNG and JPEG only) */
  imageTypes?: readonly (typeof IMAGE_MIME_TYPES)[number][];
}

export const FILE_PURPOSE_RULES: Record<FilePurpose, FilePurposeRule> = {
  property_photo: { visibility: "public", kinds: ["image"], permission: "properties.manage" },
  tenant_logo: { visibility: "public", kinds: ["image"], permission: "workspace.settings", imageTypes: ["image/png", "image/jpeg"] },
  renter_id: { visibility: "private", kinds: ["image", "pdf"], permission: "renters.manage" },
  contract_scan: { visibility: "private", kinds: ["image", "pdf"], permission: "contracts.manage" },
};

export function isFilePurpose(value: unknown): value is FilePurpose {
  return typeof value === "string" && (FILE_PURPOSES as readonly string[]).includes(value);
}

/** The `accept` attribute of a file input for `purpose` (a hint; the server sniffs anyway). */
export function acceptFor(purpose: FilePurpose): string {
  const rule = FILE_PURPOSE_RULES[purpose];
  return [
    ...(rule.kinds.includes("image") ? (rule.imageTypes ?? IMAGE_MIME_TYPES) : []),
    ...(rule.kinds.includes("pdf") ? [PDF_MIME_TYPE] : []),
  ].join(",");
}
