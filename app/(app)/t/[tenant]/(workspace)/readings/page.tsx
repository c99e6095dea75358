import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { periodSchema } from "@/lib/schemas/readings";
import { monthIn } from "@/lib/dates";
import { ReadingsGrid } from "@/components/readings/readings-grid";
import { getServerCaller, getT, requireTenantMember } from "@/server/core/page-context";

// /readings?propertyId=<uuid>&period=YYYY-MM — the month grid of one building (this month by default)
export default async function ReadingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "properties.view")) notFound();
  const t = await getT();
  const sp = await searchParams;
  const first = (k: string) => (Array.isArray(sp[k]) ? sp[k][0] : sp[k]);
  const properties = await (await getServerCaller()).properties.options();
  const wanted = first("propertyId");
  const propertyId =
    wanted && z.uuid().safeParse(wanted).success && properties.some((p) => p.id === wanted) ? wanted : (properties[0]?.id ?? "");
  const period = periodSchema.safeParse(first("period")).success ? first("period")! : monthIn(new Date(), ctx.tenant.timezone);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("readings.title")}</h1>
        <p className="text-sm text-slate-600">{t("readings.intro")}</p>
      </div>
      <ReadingsGrid key={`${propertyId}:${period}`} properties={properties} initialPropertyId={propertyId} initialPeriod={period} />
    </div>
  );
}
