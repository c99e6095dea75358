import { readinessResponse } from "@/server/ops/health.public";

// Readiness (docs/OPERATIONS.md, "Health checks"): 200 when the database answers, the migrations are
// at this build's head, the outbox is drained, every scheduled job succeeded within twice its
// interval, the file store takes a write and (with BACKUP_DIR) the newest backup is recent; else 503
// naming the failing components. Details for platform admins or the HEALTH_DETAILS_TOKEN header.
export const dynamic = "force-dynamic";

export async function GET(request?: Request) {
  return readinessResponse(request);
}
