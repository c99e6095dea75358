import { notFound } from "next/navigation";
import { FLAG_KEY_PATTERN } from "@/lib/schemas/flags";
import { FlagDetail } from "@/components/admin/flags/flag-detail";
import { getServerCaller, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminFlagPage({ params }: { params: Promise<{ key: string }> }) {
  await requirePlatformAdmin();
  const { key } = await params;
  if (!FLAG_KEY_PATTERN.test(key)) notFound();
  // an unknown key is a 404 page, not an error box (same procedure and checks as the client's)
  const exists = await (await getServerCaller()).admin.flags.get({ key }).then(
    () => true,
    (e: unknown) => {
      if ((e as { code?: unknown }).code === "NOT_FOUND") return false;
      throw e;
    },
  );
  if (!exists) notFound();
  return <FlagDetail flagKey={key} />;
}
