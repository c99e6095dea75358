import { importCsvSchema } from "@/lib/schemas/imports";
import { ImportService } from "@/server/imports/import-service";
import { createTRPCRouter, withPermission } from "../trpc";

// Previews are mutations only so the CSV travels in a POST body (a query would put it in the URL);
// they write nothing.
const renters = withPermission("renters.manage");
const units = withPermission("properties.manage");

export const importsRouter = createTRPCRouter({
  previewRenters: renters.input(importCsvSchema).mutation(({ ctx, input }) => new ImportService(ctx.tenant).previewRenters(input.csv)),
  commitRenters: renters.input(importCsvSchema).mutation(({ ctx, input }) => new ImportService(ctx.tenant).commitRenters(input.csv)),
  previewUnits: units.input(importCsvSchema).mutation(({ ctx, input }) => new ImportService(ctx.tenant).previewUnits(input.csv)),
  commitUnits: units.input(importCsvSchema).mutation(({ ctx, input }) => new ImportService(ctx.tenant).commitUnits(input.csv)),
});
