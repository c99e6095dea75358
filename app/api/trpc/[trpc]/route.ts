import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { currentClaims } from "@/server/auth/next-auth";
import { handleServerError } from "@/server/observability/report";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers, getClaims: currentClaims }),
    onError({ error, path, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        handleServerError(error.cause ?? error, {
          requestId: ctx?.meta.requestId,
          tenant: ctx?.scope?.kind === "tenant" ? ctx.scope.tenant.slug : null,
          path,
        });
      }
    },
  });
}

export { handler as GET, handler as POST };
