// Host → workspace rules (lib/tenancy.ts): what proxy.ts and the server trust to pick a tenant.
import { describe, expect, it } from "vitest";
import { RESERVED_SLUGS, apexOrigin, classifyHost, normaliseHost, slugSchema, tenantOrigin } from "@/lib/tenancy";

describe("normaliseHost", () => {
  it.each([
    ["acme.localhost:3000", "acme.localhost"],
    ["ACME.LocalHost:3000", "acme.localhost"],
    ["  acme.phteah.com  ", "acme.phteah.com"],
    ["acme.phteah.com", "acme.phteah.com"],
    ["localhost:80", "localhost"],
    ["[::1]:3000", "[::1]"],
    ["[::1]", "[::1]"],
    ["", ""],
  ])("%j → %j", (host, expected) => {
    expect(normaliseHost(host)).toBe(expected);
  });

  it("returns an empty string for a missing header", () => {
    expect(normaliseHost(null)).toBe("");
    expect(normaliseHost(undefined)).toBe("");
  });
});

describe("classifyHost", () => {
  it.each([
    ["localhost", "localhost"],
    ["localhost:3000", "localhost"],
    ["LOCALHOST:3000", "localhost"],
    ["phteah.com", "phteah.com"],
    ["phteah.com:443", "phteah.com"],
  ])("%j on root %j is the apex", (host, root) => {
    expect(classifyHost(host, root)).toEqual({ kind: "apex" });
  });

  it.each([
    ["acme.localhost", "localhost", "acme"],
    ["acme.localhost:3000", "localhost", "acme"],
    ["Acme.LOCALHOST:3000", "localhost", "acme"],
    ["acme-2.phteah.com", "phteah.com", "acme-2"],
    ["a1b.phteah.com:8443", "phteah.com", "a1b"],
    [`${"a".repeat(40)}.localhost`, "localhost", "a".repeat(40)],
  ])("%j on root %j is tenant %j", (host, root, slug) => {
    expect(classifyHost(host, root)).toEqual({ kind: "tenant", slug });
  });

  it.each([
    [null, "missing header"],
    ["", "empty header"],
    ["evil.com", "another domain"],
    ["acme.evil.com", "a subdomain of another domain"],
    ["acmelocalhost", "the root as a suffix without a dot"],
    ["acme.localhost.evil.com", "the root in the middle"],
    ["a.b.localhost", "a nested subdomain"],
    ["www.localhost", "reserved: www"],
    ["admin.localhost:3000", "reserved: admin"],
    ["api.localhost", "reserved: api"],
    ["ab.localhost", "a slug shorter than 3"],
    [`${"a".repeat(41)}.localhost`, "a slug longer than 40"],
    ["-acme.localhost", "a leading hyphen"],
    ["acme-.localhost", "a trailing hyphen"],
    ["ac_me.localhost", "an underscore"],
    ["acme.localhost.", "a trailing dot"],
    [".localhost", "an empty label"],
    ["[::1]:3000", "an IPv6 literal"],
    ["127.0.0.1:3000", "an IPv4 literal"],
  ])("%j is unknown (%s)", (host, _why) => {
    expect(classifyHost(host, "localhost")).toEqual({ kind: "unknown" });
  });

  it("treats every reserved slug as unknown, never as a tenant", () => {
    for (const slug of RESERVED_SLUGS) {
      expect(classifyHost(`${slug}.phteah.com`, "phteah.com"), slug).toEqual({ kind: "unknown" });
    }
  });
});

describe("slugSchema", () => {
  const issue = (s: string) => {
    const r = slugSchema.safeParse(s);
    return r.success ? null : r.error.issues.map((i) => i.message);
  };

  it.each(["acme", "acme-2", "a1b", "abc", "0rent", "a".repeat(40)])("accepts %j", (slug) => {
    expect(slugSchema.parse(slug)).toBe(slug);
  });

  it("trims surrounding whitespace", () => {
    expect(slugSchema.parse("  acme  ")).toBe("acme");
  });

  it.each([
    ["ab", "slug.tooShort"],
    ["a".repeat(41), "slug.tooLong"],
    ["Acme", "slug.invalid"],
    ["-acme", "slug.invalid"],
    ["acme-", "slug.invalid"],
    ["ac--me", "slug.invalid"],
    ["ac_me", "slug.invalid"],
    ["ac.me", "slug.invalid"],
    ["ac me", "slug.invalid"],
    ["acmé", "slug.invalid"],
    ["www", "slug.reserved"],
    ["admin", "slug.reserved"],
    ["api", "slug.reserved"],
    ["phteah", "slug.reserved"],
  ])("rejects %j with %s", (slug, message) => {
    expect(issue(slug)).toContain(message);
  });

  it("rejects every reserved slug that would otherwise be valid", () => {
    for (const slug of RESERVED_SLUGS) {
      if (slug.length < 3) continue;
      expect(issue(slug), slug).toEqual(["slug.reserved"]);
    }
  });

  it("accepts nothing classifyHost would refuse as a tenant", () => {
    for (const slug of ["acme", "acme-2", "a".repeat(40), "x9z"]) {
      expect(slugSchema.safeParse(slug).success).toBe(true);
      expect(classifyHost(`${slug}.localhost`, "localhost")).toEqual({ kind: "tenant", slug });
    }
  });
});

describe("origins", () => {
  it("omits default ports and keeps others", () => {
    expect(tenantOrigin("acme", "localhost", "http", 3000)).toBe("http://acme.localhost:3000");
    expect(tenantOrigin("acme", "phteah.com", "https", "443")).toBe("https://acme.phteah.com");
    expect(tenantOrigin("acme", "phteah.com", "http", "80")).toBe("http://acme.phteah.com");
    expect(tenantOrigin("acme", "phteah.com", "https", "")).toBe("https://acme.phteah.com");
    expect(apexOrigin("localhost", "http", "3000")).toBe("http://localhost:3000");
    expect(apexOrigin("phteah.com", "https", 443)).toBe("https://phteah.com");
    expect(apexOrigin("phteah.com", "https", 8443)).toBe("https://phteah.com:8443");
  });
});
