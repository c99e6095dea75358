import "server-only";
import { dataLifecycleSchema, type DataLifecyclePolicy } from "@/env";

/** Workspace deletion grace and renter erasure settings of the environment (env.ts dataLifecycleSchema, validated at start-up). */
export function dataLifecyclePolicy(env: Record<string, string | undefined> = process.env): DataLifecyclePolicy {
  return dataLifecycleSchema.parse(env);
}
