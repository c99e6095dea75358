// Cross-site request forgery: another site's page must not be able to change anything with a
// member's cookie. tRPC mutations accept only JSON from this origin (a plain HTML form posts
// multipart/form-data or urlencoded without a preflight, and mutations that take no input need
// none); the session route handlers refuse another Origin. Each transport is tried against the
// real endpoint code, and the member's sessions are checked to be untouched.
import { describe, expect, it, vi } from "vitest";

const authCalls = vi.hoisted(() => ({ count: 0 }));
// next-auth itself cannot load under vitest: its handlers stand in (counting calls), and the
// session routes that use it read no session here (they are refused before)
vi.mock("@/server/auth/next-auth.public", () => ({
  currentClaims: async () => null,
  signIn: async () => undefined,
  signOut: async () => undefined,
}));
vi.mock("@/server/auth/next-auth-handlers", () => ({
  GET: async () => new Response(null),
  POST: async () => {
    authCalls.count++;
    return new Response(null, { status: 200 });
  },
}));
import { NextRequest } from "next/server";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { getDb } from "@/server/db/client";
import { createTranslator } from "@/lib/i18n";
import { addMember, createTenant, uniqueSlug } from "@/server/testing/factories";
import type { SessionClaims } from "@/server/auth/auth.public";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as login } from "@/app/api/session/login/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as logout } from "@/app/api/session/logout/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as acceptInvitation } from "@/app/api/session/accept-invitation/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as nextAuthPost } from "@/app/api/auth/[...nextauth]/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as forgotPassword } from "@/app/api/session/forgot-password/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as resetPassword } from "@/app/api/session/reset-password/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as signup } from "@/app/api/session/signup/route";
import { hostOf, sessionFor, uniqueEmail, uniqueIp } from "./support/world";

const en = createTranslator("en");

async function member() {
  const slug = uniqueSlug("csrf");
  const t = await createTenant({ slug });
  const user = await addMember(t, { email: uniqueEmail("victim", slug), name: "Victim", password: "victim-password-123", role: "owner" });
  const claims = await sessionFor(user.userId, hostOf(slug));
  const other = await sessionFor(user.userId, hostOf(slug)); // a second device: signOutEverywhere would revoke it
  return { slug, claims, other };
}

function post(claims: SessionClaims, path: string, init: { headers?: Record<string, string>; body?: BodyInit }): Promise<Response> {
  const req = new Request(`http://${claims.host}:3000/api/trpc/${path}`, {
    method: "POST",
    headers: { host: `${claims.host}:3000`, "x-forwarded-for": uniqueIp(), "accept-language": "en", ...init.headers },
    body: init.body ?? null,
  });
  return handleTrpcRequest(req, async () => claims);
}

async function stillSignedIn(...sessions: SessionClaims[]) {
  for (const s of sessions) {
    const row = await getDb().userSession.findUniqueOrThrow({ where: { id: s.sid } });
    expect(row.revokedAt, `session ${s.sid} was revoked`).toBeNull();
  }
}

describe("tRPC mutations refuse cross-site requests", () => {
  it("multipart/form-data from another origin (a plain HTML form): 403, nothing revoked", async () => {
    const { claims, other } = await member();
    const form = new FormData();
    form.set("x", "1");
    const res = await post(claims, "account.signOutEverywhere", { headers: { origin: "https://evil.example" }, body: form });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(en("errors.crossSite"));
    await stillSignedIn(claims, other);
  });

  it("multipart/form-data without Origin (an old browser, Sec-Fetch-Site absent): 415, nothing revoked", async () => {
    const { claims, other } = await member();
    const form = new FormData();
    form.set("x", "1");
    const res = await post(claims, "account.signOutEverywhere", { body: form });
    expect(res.status).toBe(415);
    await stillSignedIn(claims, other);
  });

  it("urlencoded and text/plain (the other form encodings): 415 even with a same-origin Origin", async () => {
    const { claims, other } = await member();
    const origin = `http://${claims.host}:3000`;
    for (const [type, body] of [
      ["application/x-www-form-urlencoded", "x=1"],
      ["text/plain", "{}"],
    ] as const) {
      const res = await post(claims, "account.signOutEverywhere", { headers: { origin, "content-type": type }, body });
      expect(res.status, type).toBe(415);
    }
    const multipart = await post(claims, "mfa.startEnrollment", { headers: { origin }, body: new FormData() });
    expect(multipart.status).toBe(415);
    await stillSignedIn(claims, other);
  });

  it("JSON from another origin or a sibling subdomain: 403", async () => {
    const { claims, other } = await member();
    const json = { "content-type": "application/json" };
    const body = JSON.stringify({});
    for (const headers of [
      { ...json, origin: "https://evil.example" },
      { ...json, origin: `http://${hostOf("globex")}:3000` },
      { ...json, "sec-fetch-site": "cross-site" },
      { ...json, "sec-fetch-site": "same-site" },
    ]) {
      const res = await post(claims, "account.signOutEverywhere", { headers, body });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    const cancel = await post(claims, "billing.cancelScheduledChange", { headers: { ...json, origin: "https://evil.example" }, body });
    expect(cancel.status).toBe(403);
    await stillSignedIn(claims, other);
  });

  it("same-origin JSON (the app's own client) still works", async () => {
    const { claims, other } = await member();
    const res = await post(claims, "account.signOutEverywhere", {
      headers: { "content-type": "application/json", origin: `http://${claims.host}:3000`, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(200);
    const row = await getDb().userSession.findUniqueOrThrow({ where: { id: other.sid } });
    expect(row.revokedAt).not.toBeNull();
  });

  it("queries (GET) are not affected", async () => {
    const { claims } = await member();
    const req = new Request(`http://${claims.host}:3000/api/trpc/account.profile`, {
      headers: { host: `${claims.host}:3000`, "sec-fetch-site": "same-origin" },
    });
    expect((await handleTrpcRequest(req, async () => claims)).status).toBe(200);
  });
});

describe("session route handlers refuse another origin", () => {
  it.each([
    ["login", login, { email: "x@example.test", password: "whatever-123" }],
    ["logout", logout, {}],
    ["accept-invitation", acceptInvitation, { token: "t".repeat(43), name: "X", password: "whatever-password-123" }],
    ["forgot-password", forgotPassword, { email: "x@example.test" }],
    ["reset-password", resetPassword, { token: "t".repeat(43), password: "whatever-password-123" }],
    ["signup", signup, { email: "x@example.test", password: "whatever-password-123", name: "X", workspaceName: "X", slug: "xcsrf" }],
  ])("POST /api/session/%s from another origin → 403", async (name, POST, body) => {
    const host = `${hostOf("acme")}:3000`;
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example", "content-type": "application/json" },
      { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
    ];
    for (const headers of attempts) {
      const isForm = headers["content-type"] !== "application/json";
      const res = await POST(
        new Request(`http://${host}/api/session/${name}`, {
          method: "POST",
          headers: { host, "x-forwarded-for": uniqueIp(), ...headers },
          body: isForm ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
        }),
      );
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
  });
});

describe("next-auth's own POST endpoints refuse another origin", () => {
  it("403 without reaching next-auth; same origin reaches it", async () => {
    const host = `${hostOf("acme")}:3000`;
    const send = (headers: Record<string, string>) =>
      nextAuthPost(
        new NextRequest(`http://${host}/api/auth/callback/handoff`, {
          method: "POST",
          headers: { host, "content-type": "application/x-www-form-urlencoded", ...headers },
          body: "ticket=x&csrfToken=y",
        }),
      );
    const before = authCalls.count;
    expect((await send({ origin: "https://evil.example" })).status).toBe(403);
    expect((await send({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(authCalls.count).toBe(before);
    expect((await send({ origin: `http://${host}` })).status).toBe(200);
    expect(authCalls.count).toBe(before + 1);
  });
});
