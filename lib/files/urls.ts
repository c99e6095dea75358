// Where a stored file is served, relative to the tenant host (proxy.ts rewrites /files/** to
// app/(app)/t/<tenant>/files/**). Private files need a session with files.private; public ones are cacheable.

export function privateFileUrl(id: string): string {
  return `/files/${encodeURIComponent(id)}`;
}

export function publicFileUrl(id: string): string {
  return `/files/public/${encodeURIComponent(id)}`;
}

/** The URL a file of `visibility` is read from. */
export function fileUrl(file: { id: string; visibility: "public" | "private" }): string {
  return file.visibility === "public" ? publicFileUrl(file.id) : privateFileUrl(file.id);
}
