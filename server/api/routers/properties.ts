import {
  addPhotoSchema,
  createPropertySchema,
  createUnitSchema,
  listPropertiesSchema,
  listUnitsSchema,
  photoIdSchema,
  propertyIdSchema,
  unitIdSchema,
  updatePropertySchema,
  updateUnitSchema,
} from "@/lib/schemas/properties";
import { PropertyService } from "@/server/properties/property-service";
import { UnitService } from "@/server/properties/unit-service";
import { createTRPCRouter, withPermission } from "../trpc";

const view = withPermission("properties.view");
const manage = withPermission("properties.manage");

export const propertiesRouter = createTRPCRouter({
  list: view.input(listPropertiesSchema).query(({ ctx, input }) => new PropertyService(ctx.tenant).list(input)),
  get: view.input(propertyIdSchema).query(({ ctx, input }) => new PropertyService(ctx.tenant).get(input.propertyId)),
  options: view.query(({ ctx }) => new PropertyService(ctx.tenant).options()),
  create: manage.input(createPropertySchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).create(input)),
  update: manage.input(updatePropertySchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).update(input)),
  archive: manage.input(propertyIdSchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).archive(input.propertyId)),
  restore: manage.input(propertyIdSchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).restore(input.propertyId)),
  addPhoto: manage.input(addPhotoSchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).addPhoto(input)),
  removePhoto: manage.input(photoIdSchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).removePhoto(input.photoId)),
  makeCover: manage.input(photoIdSchema).mutation(({ ctx, input }) => new PropertyService(ctx.tenant).makeCover(input.photoId)),
  units: view.input(listUnitsSchema).query(({ ctx, input }) => new UnitService(ctx.tenant).list(input)),
  unit: view.input(unitIdSchema).query(({ ctx, input }) => new UnitService(ctx.tenant).get(input.unitId)),
  createUnit: manage.input(createUnitSchema).mutation(({ ctx, input }) => new UnitService(ctx.tenant).create(input)),
  updateUnit: manage.input(updateUnitSchema).mutation(({ ctx, input }) => new UnitService(ctx.tenant).update(input)),
  archiveUnit: manage.input(unitIdSchema).mutation(({ ctx, input }) => new UnitService(ctx.tenant).archive(input.unitId)),
  restoreUnit: manage.input(unitIdSchema).mutation(({ ctx, input }) => new UnitService(ctx.tenant).restore(input.unitId)),
});
