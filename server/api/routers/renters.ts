import { z } from "zod";
import { createRenterSchema, listRentersSchema, renterIdSchema, setIdDocumentSchema, updateRenterSchema } from "@/lib/schemas/renters";
import { RenterService } from "@/server/renters/renter-service";
import { RenterErasureService } from "@/server/renters/erasure";
import { dataLifecyclePolicy } from "@/server/workspaces/deletion-policy";
import { eraseRenterSchema } from "@/lib/schemas/data-lifecycle";
import { createTRPCRouter, withPermission } from "../trpc";

const view = withPermission("renters.view");
const manage = withPermission("renters.manage");

export const rentersRouter = createTRPCRouter({
  list: view.input(listRentersSchema).query(({ ctx, input }) => new RenterService(ctx.tenant).list(input)),
  get: view.input(renterIdSchema).query(({ ctx, input }) => new RenterService(ctx.tenant).get(input.renterId)),
  options: view
    .input(z.object({ search: z.string().trim().max(100).optional() }).default({}))
    .query(({ ctx, input }) => new RenterService(ctx.tenant).options(input.search)),
  create: manage.input(createRenterSchema).mutation(({ ctx, input }) => new RenterService(ctx.tenant).create(input)),
  update: manage.input(updateRenterSchema).mutation(({ ctx, input }) => new RenterService(ctx.tenant).update(input)),
  setIdDocument: manage.input(setIdDocumentSchema).mutation(({ ctx, input }) => new RenterService(ctx.tenant).setIdDocument(input)),
  archive: manage.input(renterIdSchema).mutation(({ ctx, input }) => new RenterService(ctx.tenant).archive(input.renterId)),
  restore: manage.input(renterIdSchema).mutation(({ ctx, input }) => new RenterService(ctx.tenant).restore(input.renterId)),
  // erasure of personal data after the financial retention period (server/renters/erasure.ts)
  erase: manage
    .input(eraseRenterSchema)
    .mutation(({ ctx, input }) => new RenterErasureService(ctx.tenant, dataLifecyclePolicy().RENTER_FINANCIAL_RETENTION_DAYS).erase(input)),
});
