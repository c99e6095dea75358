// Liveness (docs/OPERATIONS.md, "Health checks"): the process answers. No database, no file store:
// restart the process only when this fails; take it out of traffic when /api/health/ready fails.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }, { headers: { "Cache-Control": "no-store" } });
}
