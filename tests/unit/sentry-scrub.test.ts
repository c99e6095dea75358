// PII scrubbing of Sentry events (lib/observability/sentry.ts), as a pure function.
import type { ErrorEvent } from "@sentry/nextjs";
import { describe, expect, it } from "vitest";
import { scrubBreadcrumb, scrubEvent, sentryOptions } from "@/lib/observability/sentry";
import { scrubUrl } from "@/lib/observability/scrub";

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

describe("tokens in URLs, query strings and breadcrumbs (server and browser)", () => {
  const MD5 = "0123456789abcdef0123456789abcdef";
  const PAY = "Zx9_k2Lq8PvR4tYw7aBc";
  it("scrubs reset, invite, handoff, enrolment and pay links and KHQR md5 values from URLs", () => {
    expect(scrubUrl("https://acme.phteah.com/reset-password?token=abc.DEF-123&lang=km")).toBe(
      "https://acme.phteah.com/reset-password?token=[scrubbed]&lang=km",
    );
    expect(scrubUrl("/invite?token=s3cr3t")).toBe("/invite?token=[scrubbed]");
    expect(scrubUrl("https://acme.phteah.com/auth/handoff?next=%2F&token=t0k#x")).toBe(
      "https://acme.phteah.com/auth/handoff?next=%2F&token=[scrubbed]#x",
    );
    expect(scrubUrl("https://phteah.com/admin/mfa?enrol=QWxhZGRpbjpvcGVuIHNlc2FtZQ")).toBe("https://phteah.com/admin/mfa?enrol=[scrubbed]");
    expect(scrubUrl(`https://acme.phteah.com/pay/${PAY}?x=1`)).toBe("https://acme.phteah.com/pay/[scrubbed]?x=1");
    expect(scrubUrl(`/t/acme/pay/${PAY}`)).toBe("/t/acme/pay/[scrubbed]");
    expect(scrubUrl(`/api/payments/status?md5=${MD5}`)).toBe("/api/payments/status?md5=[scrubbed]");
    expect(scrubUrl(`checking payment ${MD5.toUpperCase()} now`)).toBe("checking payment [md5] now");
    expect(scrubUrl("Authorization: Bearer eyJhbGciOi.x.y")).toBe("Authorization: Bearer [scrubbed]");
    // nothing else changes
    expect(scrubUrl("/t/acme/pay/[token]")).toBe("/t/acme/pay/[token]");
    expect(scrubUrl("https://acme.phteah.com/renters?page=2&sort=name")).toBe("https://acme.phteah.com/renters?page=2&sort=name");
  });

  it("scrubs an event's URL, query string, transaction, exception text and breadcrumbs", () => {
    const e = scrubEvent({
      type: undefined,
      transaction: `/pay/${PAY}`,
      request: {
        url: `https://acme.phteah.com/pay/${PAY}?md5=${MD5}`,
        query_string: `md5=${MD5}&page=1`,
        headers: { referer: "https://acme.phteah.com/invite?token=1nv1t3" },
      },
      exception: { values: [{ type: "Error", value: `no invoice at /pay/${PAY}?md5=${MD5}` }] },
      breadcrumbs: [
        { category: "navigation", data: { from: "/reset-password?token=r3s3t", to: `/pay/${PAY}` } },
        { category: "fetch", data: { url: `/api/trpc/pay.status?input=%7B%22md5%22%3A%22${MD5}%22%7D`, method: "GET" } },
      ],
      tags: { path: "/auth/handoff?token=h4nd" },
    } as ErrorEvent);
    const text = JSON.stringify(e);
    for (const secret of [PAY, MD5, "r3s3t", "1nv1t3", "h4nd"]) expect(text).not.toContain(secret);
    expect(e.request).toEqual({
      url: "https://acme.phteah.com/pay/[scrubbed]?md5=[scrubbed]",
      query_string: "md5=[scrubbed]&page=1",
      headers: { referer: "https://acme.phteah.com/invite?token=[scrubbed]" },
    });
    expect(e.breadcrumbs![0]!.data).toEqual({ from: "/reset-password?token=[scrubbed]", to: "/pay/[scrubbed]" });
    expect(e.transaction).toBe("/pay/[scrubbed]");
  });

  it("scrubs breadcrumbs as they are recorded (beforeBreadcrumb) and query pairs", () => {
    expect(
      scrubBreadcrumb({ category: "navigation", data: { to: "/invite?token=abc" }, message: "went to /pay/Zx9_k2Lq8PvR4tYw7aBc" }),
    ).toEqual({
      category: "navigation",
      data: { to: "/invite?token=[scrubbed]" },
      message: "went to /pay/[scrubbed]",
    });
    expect(sentryOptions("https://k@o1.ingest.sentry.io/1").beforeBreadcrumb).toBe(scrubBreadcrumb);
    const e = scrubEvent({
      type: undefined,
      request: {
        query_string: [
          ["token", "abc"],
          ["page", "2"],
        ],
      },
    } as ErrorEvent);
    expect(e.request!.query_string).toEqual([
      ["token", "[scrubbed]"],
      ["page", "2"],
    ]);
  });
});
