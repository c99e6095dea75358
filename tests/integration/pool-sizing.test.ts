// The Prisma pool is sized per instance from the connection budget (server/db/pool.ts): here
// DATABASE_POOL_BUDGET=12 shared by APP_INSTANCES=2 gives floor(12 / 2) − 4 = 2 connections. A
// burst of concurrent requests while both are held gets 503 + Retry-After (translated), never
// 500; with one free connection the same burst is served.
import { vi, afterAll, beforeAll, describe, expect, it } from "vitest";

vi.hoisted(() => {
  delete process.env.DATABASE_POOL_MAX;
  process.env.DATABASE_POOL_BUDGET = "12";
  process.env.APP_INSTANCES = "2";
  process.env.DATABASE_CONNECT_TIMEOUT_MS = "2000";
});

vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => claims }));

import { handleTrpcRequest } from "@/server/api/trpc-http";
import { getDb } from "@/server/db/client";
import { poolSizing } from "@/server/db/pool";
import { createTranslator } from "@/lib/i18n";
import { addMember, createTenant, uniqueSlug } from "@/server/testing/factories";
import type { SessionClaims } from "@/server/auth/auth.public";
import { hostOf, sessionFor, uniqueEmail, uniqueIp } from "./support/world";

const en = createTranslator("en");
let claims: SessionClaims;
const holds: { release: () => void; done: Promise<unknown> }[] = [];

beforeAll(async () => {
  const slug = uniqueSlug("burst");
  const t = await createTenant({ slug });
  const user = await addMember(t, { email: uniqueEmail("burst", slug), name: "Burst", password: "burst-password-123", role: "owner" });
  claims = await sessionFor(user.userId, hostOf(slug));
});

afterAll(async () => {
  for (const h of holds) h.release();
  await Promise.allSettled(holds.map((h) => h.done));
});

/** Takes one pooled connection until release(). */
async function holdConnection() {
  let started!: () => void;
  let release!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const gate = new Promise<void>((r) => (release = r));
  const done = getDb().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      started();
      await gate;
    },
    { timeout: 60_000 },
  );
  const hold = { release, done };
  holds.push(hold);
  await ready;
  return hold;
}

function profile() {
  const host = `${claims.host}:3000`;
  const req = new Request(`http://${host}/api/trpc/account.profile`, {
    headers: { host, "x-forwarded-for": uniqueIp(), "accept-language": "en" },
  });
  return handleTrpcRequest(req, async () => claims);
}

describe("pool sized from the connection budget", () => {
  it("floor(budget / instances) − 4 per instance, at least 2; DATABASE_POOL_MAX wins; 10 by default", () => {
    expect(poolSizing({ DATABASE_POOL_BUDGET: 12, APP_INSTANCES: 2 })).toEqual({ max: 2, source: "DATABASE_POOL_BUDGET" });
    expect(poolSizing({ DATABASE_POOL_BUDGET: 100, APP_INSTANCES: 4 })).toEqual({ max: 21, source: "DATABASE_POOL_BUDGET" });
    expect(poolSizing({ DATABASE_POOL_BUDGET: 10, APP_INSTANCES: 5 })).toEqual({ max: 2, source: "DATABASE_POOL_BUDGET" });
    expect(poolSizing({ DATABASE_POOL_MAX: 7, DATABASE_POOL_BUDGET: 100 })).toEqual({ max: 7, source: "DATABASE_POOL_MAX" });
    expect(poolSizing({})).toEqual({ max: 10, source: "default" });
  });

  it("a concurrent burst on an exhausted pool gets 503 + Retry-After, never 500; with a connection free it is served", async () => {
    const first = await holdConnection();
    const second = await holdConnection(); // the pool's 2 connections are busy

    const burst = await Promise.all(Array.from({ length: 12 }, () => profile()));
    expect(burst.map((r) => r.status)).toEqual(Array(12).fill(503));
    for (const r of burst) {
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await r.json()) as { error: { json: { message: string } } };
      expect(body.error.json.message).toBe(en("errors.overloaded"));
    }

    // one connection free: the same burst queues on it and is served
    second.release();
    await second.done;
    const served = await Promise.all(Array.from({ length: 12 }, () => profile()));
    expect(served.map((r) => r.status)).toEqual(Array(12).fill(200));

    first.release();
    await first.done;
  });
});
