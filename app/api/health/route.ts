import { readinessResponse } from "@/server/ops/health.public";

// The alias of /api/health/ready (docs/OPERATIONS.md, "Health checks"): what load balancers and
// monitors configured before the readiness split keep calling.
export const dynamic = "force-dynamic";

export async function GET(request?: Request) {
  return readinessResponse(request);
}
