import { z } from "zod";
import { METER_KIND_VALUES, type MeterKind } from "@/lib/enums";

// Meter readings: one reading per unit, meter kind and month ("YYYY-MM"). Readings are whole
// units on the meter (kWh, m³) and never go down from one month to the next.

export const METER_KINDS = METER_KIND_VALUES;
export type { MeterKind };
export const MAX_READING = 100_000_000;

export const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "readings.errors.periodInvalid");

const reading = z
  .number({ message: "readings.errors.notANumber" })
  .int("readings.errors.notANumber")
  .min(0, "readings.errors.negative")
  .max(MAX_READING, "readings.errors.tooLarge");

export const upsertReadingSchema = z.object({
  unitId: z.uuid(),
  kind: z.enum(METER_KINDS),
  period: periodSchema,
  reading,
});

export const gridSchema = z.object({ propertyId: z.uuid(), period: periodSchema });

export const saveGridSchema = z.object({
  propertyId: z.uuid(),
  period: periodSchema,
  entries: z
    .array(z.object({ unitId: z.uuid(), kind: z.enum(METER_KINDS), reading }))
    .min(1, "readings.errors.nothingToSave")
    .max(2000),
});

export type SaveGridInput = z.input<typeof saveGridSchema>;

/** What a person types in a grid cell → a reading, null for an empty cell, NaN for anything else. */
export function parseReadingInput(raw: string): number | null {
  const cleaned = raw.replace(/[\s,_]/g, "");
  if (cleaned === "") return null;
  return /^\d{1,9}$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}
