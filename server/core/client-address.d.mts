import type { IncomingHttpHeaders } from "node:http";

export declare const CLIENT_IP_HEADER: "x-phteah-client-ip";
export declare const FORWARDING_HEADERS: readonly string[];
export declare function markClientAddressServer(): void;
export declare function isClientAddressServer(): boolean;
export declare function normalizeIp(value: string | null | undefined): string | null;
export interface TrustedProxies {
  check(ip: string): boolean;
  readonly entries: readonly string[];
}
export declare function parseTrustedProxies(value: string | null | undefined): TrustedProxies;
export declare function resolveClientIp(input: {
  peer: string | null | undefined;
  forwardedFor?: string | null;
  trusted: TrustedProxies;
}): string | null;
export declare function applyClientAddress(
  headers: IncomingHttpHeaders,
  peer: string | null | undefined,
  trusted: TrustedProxies,
): string | null;
export declare function clientAddressListener(
  trusted: TrustedProxies,
  handle: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => unknown,
): (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
