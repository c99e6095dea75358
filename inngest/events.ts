// Typed events (zod). Names follow <domain>/<noun>.<past-verb>; every payload carries tenantId
// (null for platform events).
import { eventType } from "inngest";
import { z } from "zod";

export const workspaceCreated = eventType("tenant/workspace.created", {
  schema: z.object({ tenantId: z.string().nullable(), slug: z.string(), ownerUserId: z.string() }),
});

export const outboxFlushRequested = eventType("system/outbox.flush-requested", {
  schema: z.object({ tenantId: z.null().optional() }),
});

export const APP_EVENTS = [workspaceCreated, outboxFlushRequested] as const;

export type AppEventName = (typeof APP_EVENTS)[number]["name"];
