import { gridSchema, saveGridSchema, upsertReadingSchema } from "@/lib/schemas/readings";
import { ReadingService } from "@/server/readings/reading-service";
import { createTRPCRouter, withPermission } from "../trpc";

// Meter readings are property operations: whoever may see the units sees them, whoever manages
// the units records them.
const view = withPermission("properties.view");
const manage = withPermission("properties.manage");

export const readingsRouter = createTRPCRouter({
  grid: view.input(gridSchema).query(({ ctx, input }) => new ReadingService(ctx.tenant).grid(input)),
  upsert: manage.input(upsertReadingSchema).mutation(({ ctx, input }) => new ReadingService(ctx.tenant).upsert(input)),
  saveGrid: manage.input(saveGridSchema).mutation(({ ctx, input }) => new ReadingService(ctx.tenant).saveGrid(input)),
});
