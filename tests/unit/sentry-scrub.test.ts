// PII scrubbing of Sentry events (lib/observability/sentry.ts), as a pure function.
import type { ErrorEvent } from "@sentry/nextjs";
import { describe, expect, it } from "vitest";
import { scrubEvent, sentryOptions } from "@/lib/observability/sentry";

describe("scrubEvent", () => {
  it("scrubs breadcrumbs (email addresses in messages, sensitive data keys) and contexts", () => {
    const e = scrubEvent({
      type: undefined,
      breadcrumbs: [{ message: "login failed for sok@example.test twice", data: { token: "t", url: "/x" } }],
      contexts: { session: { email: "sok@example.test", kind: "web" } },
    } as ErrorEvent);
    expect(e.breadcrumbs).toEqual([{ message: "login failed for [email] twice", data: { token: "[scrubbed]", url: "/x" } }]);
    expect(e.contexts).toEqual({ session: { email: "[scrubbed]", kind: "web" } });
  });

  it("keeps only the user id", () => {
    const e = scrubEvent({ type: undefined, user: { id: "u1", email: "a@b.c", ip_address: "1.2.3.4", username: "ann" } } as ErrorEvent);
    expect(e.user).toEqual({ id: "u1" });
    expect(scrubEvent({ type: undefined, user: { email: "a@b.c" } } as ErrorEvent).user).toBeUndefined();
  });

  it("drops cookies and bodies and scrubs sensitive headers at any depth", () => {
    const e = scrubEvent({
      type: undefined,
      request: {
        url: "http://acme.localhost/x",
        cookies: { session: "abc" },
        data: { password: "hunter2" },
        headers: { cookie: "session=abc", Authorization: "Bearer t", "x-user-email": "a@b.c", host: "acme.localhost" },
      },
      extra: { nested: { resetToken: "t", ok: 1, list: [{ apiSecret: "s" }] }, phoneNumber: "012" },
    } as ErrorEvent);
    expect(e.request).toEqual({
      url: "http://acme.localhost/x",
      headers: { cookie: "[scrubbed]", Authorization: "[scrubbed]", "x-user-email": "[scrubbed]", host: "acme.localhost" },
    });
    expect(e.extra).toEqual({
      nested: { resetToken: "[scrubbed]", ok: 1, list: [{ apiSecret: "[scrubbed]" }] },
      phoneNumber: "[scrubbed]",
    });
  });
});

describe("sentryOptions", () => {
  it("is disabled without a DSN and never sends default PII", () => {
    expect(sentryOptions(undefined)).toMatchObject({ enabled: false, sendDefaultPii: false, tracesSampleRate: 0 });
    expect(sentryOptions("https://k@o1.ingest.sentry.io/1", "staging")).toMatchObject({
      enabled: true,
      environment: "staging",
      beforeSend: scrubEvent,
    });
  });
});
