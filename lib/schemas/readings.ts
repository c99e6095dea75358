import { z } from "zod";

// Meter readings: one reading per unit, meter kind and month ("YYYY-MM"). Readings are whole
// units on the meter (kWh, m³) and never go down from one month to the next.

export const METER_KINDS = ["electricity", "water"] as const;
export type MeterKind = (typeof METER_KINDS)[number];
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

/** "YYYY-MM" of a Date in a time zone. */
export function periodOf(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(date);
  const y = parts.find((p) => p.type === "year")!.value;
  const m = parts.find((p) => p.type === "month")!.value;
  return `${y}-${m}`;
}

/** The month before/after `period` ("2026-01" → -1 → "2025-12"). */
export function shiftPeriod(period: string, months: number): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** What a person types in a grid cell → a reading, null for an empty cell, NaN for anything else. */
export function parseReadingInput(raw: string): number | null {
  const cleaned = raw.replace(/[\s,_]/g, "");
  if (cleaned === "") return null;
  return /^\d{1,9}$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}
