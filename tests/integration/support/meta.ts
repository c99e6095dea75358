// Request metadata for tests. Kept apart from world.ts, which loads the whole router (and with
// it the module-level Inngest client): files that must configure the environment before
// that client exists import only this.
import { randomInt } from "node:crypto";
import type { RequestMeta } from "@/server/core/request-meta";

/** A client address of its own, so per-IP throttles of parallel tests never meet. */
export function uniqueIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function testMeta(overrides: Partial<RequestMeta> = {}): RequestMeta {
  return { ip: uniqueIp(), userAgent: "vitest", requestId: null, ...overrides };
}
