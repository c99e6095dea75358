// Under overload the app answers 503 with Retry-After, never 500. The pool is shrunk to one
// connection (DATABASE_POOL_MAX=1, a short DATABASE_CONNECT_TIMEOUT_MS) and that connection is
// held by an open transaction, so every request has to wait for a connection and times out, as
// in a burst that outruns the pool.
import { vi, afterAll, beforeAll, describe, expect, it } from "vitest";

vi.hoisted(() => {
  process.env.DATABASE_POOL_MAX = "1";
  process.env.DATABASE_CONNECT_TIMEOUT_MS = "1500";
});

const current = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => claims }));

import { handleTrpcRequest } from "@/server/api/trpc-http";
import { getDb } from "@/server/db/client";
import { createTranslator } from "@/lib/i18n";
import { isDatabaseOverload } from "@/server/core/overload";
import { addMember, createTenant, uniqueSlug } from "@/server/testing/factories";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as forgotPassword } from "@/app/api/session/forgot-password/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as uploadRoute } from "@/app/api/files/route";
import type { SessionClaims } from "@/server/auth/auth.public";
import { hostOf, sessionFor, uniqueEmail, uniqueIp } from "./support/world";

const en = createTranslator("en");
let claims: SessionClaims;
let release: () => void = () => {};
let held: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  const slug = uniqueSlug("busy");
  const t = await createTenant({ slug });
  const user = await addMember(t, { email: uniqueEmail("busy", slug), name: "Busy", password: "busy-password-123", role: "owner" });
  claims = await sessionFor(user.userId, hostOf(slug));
});

afterAll(async () => {
  release();
  await held;
});

/** Takes the pool's only connection until release(). */
async function exhaustPool() {
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const gate = new Promise<void>((r) => (release = r));
  held = getDb().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      started();
      await gate;
    },
    { timeout: 60_000 },
  );
  await ready;
}

function trpc(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const host = `${claims.host}:3000`;
  const req = new Request(`http://${host}/api/trpc/${path}`, {
    ...init,
    headers: { host, "x-forwarded-for": uniqueIp(), "accept-language": "en", ...init.headers },
  });
  return handleTrpcRequest(req, async () => claims);
}

describe("database pool exhausted", () => {
  it("tRPC query, tRPC mutation, a session route and the upload route answer 503 + Retry-After, not 500; then recover", async () => {
    await exhaustPool();
    try {
      const query = await trpc("account.profile");
      expect(query.status).toBe(503);
      expect(Number(query.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await query.json()) as { error: { json: { message: string; data: { httpStatus: number } } } };
      expect(body.error.json.message).toBe(en("errors.overloaded"));

      const mutation = await trpc("account.signOutEverywhere", {
        method: "POST",
        headers: { "content-type": "application/json", origin: `http://${claims.host}:3000` },
        body: JSON.stringify({}),
      });
      expect(mutation.status).toBe(503);
      expect(mutation.headers.get("retry-after")).toBeTruthy();

      const host = `${hostOf("acme")}:3000`;
      const reset = await forgotPassword(
        new Request(`http://${host}/api/session/forgot-password`, {
          method: "POST",
          headers: { host, origin: `http://${host}`, "content-type": "application/json", "x-forwarded-for": uniqueIp() },
          body: JSON.stringify({ email: "someone@example.test" }),
        }),
      );
      expect(reset.status).toBe(503);
      expect(reset.headers.get("retry-after")).toBeTruthy();
      expect(((await reset.json()) as { error: { message: string } }).error.message).toBe(en("errors.overloaded"));

      const fileHost = `${claims.host}:3000`;
      current.headers = new Headers({
        host: fileHost,
        origin: `http://${fileHost}`,
        "accept-language": "en",
        "x-forwarded-for": uniqueIp(),
      });
      const form = new FormData();
      form.set("purpose", "property_photo");
      form.set("file", new Blob([new Uint8Array([1, 2, 3])]), "a.png");
      const uploaded = await uploadRoute(
        new Request(`http://${fileHost}/api/files`, { method: "POST", headers: current.headers, body: form }),
      );
      expect(uploaded.status).toBe(503);
      expect(uploaded.headers.get("retry-after")).toBeTruthy();
    } finally {
      release();
      await held;
    }
    // the pool is free again: the same query works
    expect((await trpc("account.profile")).status).toBe(200);
  });
});

describe("isDatabaseOverload", () => {
  it("recognises pool timeouts, refused connections and Prisma's codes, anywhere in the cause chain; nothing else", () => {
    expect(isDatabaseOverload(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseOverload(Object.assign(new Error("x"), { code: "P2028" }))).toBe(true);
    expect(isDatabaseOverload(Object.assign(new Error("x"), { code: "P2024" }))).toBe(true);
    expect(isDatabaseOverload(Object.assign(new Error("sorry, too many clients already"), { code: "53300" }))).toBe(true);
    expect(isDatabaseOverload(new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "P2037" }) }))).toBe(true);
    expect(isDatabaseOverload(Object.assign(new Error("x"), { code: "P2002" }))).toBe(false);
    expect(isDatabaseOverload(new Error("boom"))).toBe(false);
    expect(isDatabaseOverload(null)).toBe(false);
  });
});
