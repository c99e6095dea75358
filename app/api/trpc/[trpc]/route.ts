import { handleTrpcRequest } from "@/server/api/trpc-http";
import { currentClaims } from "@/server/auth/next-auth.public";

// Queries (GET) and mutations (POST, JSON from this origin only: see refuseCrossSiteMutation).
function handler(req: Request) {
  return handleTrpcRequest(req, currentClaims);
}

export { handler as GET, handler as POST };
