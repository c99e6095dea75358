// Host → workspace resolution rules, shared by proxy.ts, the server and sign-up validation.
import { z } from "zod";

/** Subdomains we never hand to a tenant: infrastructure names and our own product areas. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "www",
  "admin",
  "api",
  "app",
  "mail",
  "smtp",
  "imap",
  "pop",
  "static",
  "assets",
  "cdn",
  "img",
  "images",
  "media",
  "files",
  "auth",
  "login",
  "signup",
  "account",
  "accounts",
  "billing",
  "pay",
  "payments",
  "help",
  "support",
  "docs",
  "status",
  "blog",
  "dev",
  "staging",
  "test",
  "demo",
  "dashboard",
  "console",
  "internal",
  "system",
  "root",
  "phteah",
  "webhooks",
  "inngest",
  "ns1",
  "ns2",
]);

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

export const slugSchema = z
  .string()
  .trim()
  .min(3, { message: "slug.tooShort" })
  .max(40, { message: "slug.tooLong" })
  .regex(SLUG_PATTERN, { message: "slug.invalid" })
  .refine((s) => !s.includes("--"), { message: "slug.invalid" })
  .refine((s) => !RESERVED_SLUGS.has(s), { message: "slug.reserved" });

export type HostKind = { kind: "apex" } | { kind: "tenant"; slug: string } | { kind: "unknown" };

/** Strips the port and lowercases; returns "" for a missing header. */
export function normaliseHost(host: string | null | undefined): string {
  if (!host) return "";
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon === -1 ? h : h.slice(0, colon);
}

export function classifyHost(host: string | null | undefined, rootDomain: string): HostKind {
  const h = normaliseHost(host);
  const root = rootDomain.toLowerCase();
  if (h === root) return { kind: "apex" };
  if (!h.endsWith(`.${root}`)) return { kind: "unknown" };
  const label = h.slice(0, -(root.length + 1));
  if (label.includes(".") || !SLUG_PATTERN.test(label) || RESERVED_SLUGS.has(label)) return { kind: "unknown" };
  return { kind: "tenant", slug: label };
}

export function tenantOrigin(slug: string, rootDomain: string, protocol: string, port?: string | number): string {
  const p = port && !isDefaultPort(protocol, port) ? `:${port}` : "";
  return `${protocol}://${slug}.${rootDomain}${p}`;
}

export function apexOrigin(rootDomain: string, protocol: string, port?: string | number): string {
  const p = port && !isDefaultPort(protocol, port) ? `:${port}` : "";
  return `${protocol}://${rootDomain}${p}`;
}

function isDefaultPort(protocol: string, port: string | number): boolean {
  const n = String(port);
  return (protocol === "http" && n === "80") || (protocol === "https" && n === "443");
}
