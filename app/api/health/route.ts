import { databaseIsUp } from "@/server/ops/health.public";

export const dynamic = "force-dynamic";

export async function GET() {
  const up = await databaseIsUp();
  return Response.json(
    { status: up ? "ok" : "degraded", db: up ? "ok" : "unreachable" },
    { status: up ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
