// @ts-check
// Who is the client? The address of the TCP peer, unless that peer is one of our own reverse
// proxies (TRUSTED_PROXIES), in which case the right-most X-Forwarded-For entry that is not one
// of ours. A header the client wrote itself is never believed.
//
// Plain JavaScript so that the production server (server.mjs, run by plain `node`) and the app
// (server/core/http.ts, bundled by Next) share one implementation; types in client-address.d.mts.
import { BlockList, isIP } from "node:net";

/** Set by server.mjs on every request (any copy the client sent is removed first). */
export const CLIENT_IP_HEADER = "x-phteah-client-ip";

/** Headers only a proxy may set: removed from requests whose peer is not a trusted proxy. */
export const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

/** Marks the process as served by server.mjs: only then is CLIENT_IP_HEADER believed. */
const SERVED_BY_CLIENT_ADDRESS_SERVER = Symbol.for("phteah.clientAddressServer");

export function markClientAddressServer() {
  /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[SERVED_BY_CLIENT_ADDRESS_SERVER] = true;
}

/** @returns {boolean} */
export function isClientAddressServer() {
  return /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[SERVED_BY_CLIENT_ADDRESS_SERVER] === true;
}

const KEYWORDS = {
  loopback: [
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
  ],
  private: [
    ["10.0.0.0", 8, "ipv4"],
    ["172.16.0.0", 12, "ipv4"],
    ["192.168.0.0", 16, "ipv4"],
    ["fc00::", 7, "ipv6"],
  ],
};

/**
 * A bare IPv4 or IPv6 address, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as IPv4; null when it is not one.
 * @param {string | null | undefined} value
 * @returns {string | null}
 */
export function normalizeIp(value) {
  if (!value) return null;
  let ip = value.trim();
  if (ip.startsWith("[") && ip.includes("]")) ip = ip.slice(1, ip.indexOf("]"));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  if (ip.length > 64 || isIP(ip) === 0) return null;
  return ip.toLowerCase();
}

/**
 * @typedef {{ check(ip: string): boolean; readonly entries: readonly string[] }} TrustedProxies
 */

/**
 * TRUSTED_PROXIES: comma-separated addresses, CIDR ranges, or the words `loopback` and `private`.
 * Empty → no proxy is trusted. Throws with every bad entry named.
 * @param {string | null | undefined} value
 * @returns {TrustedProxies}
 */
export function parseTrustedProxies(value) {
  const list = new BlockList();
  /** @type {string[]} */
  const entries = [];
  /** @type {string[]} */
  const bad = [];
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "loopback" || entry === "private") {
      for (const [net, prefix, type] of KEYWORDS[entry]) list.addSubnet(String(net), Number(prefix), /** @type {"ipv4" | "ipv6"} */ (type));
      entries.push(entry);
      continue;
    }
    const [address, prefixText, ...rest] = entry.split("/");
    const ip = normalizeIp(address);
    const type = ip ? (isIP(ip) === 4 ? "ipv4" : "ipv6") : null;
    const max = type === "ipv4" ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!ip || !type || rest.length > 0 || !(prefix >= 0 && prefix <= max)) {
      bad.push(raw.trim());
      continue;
    }
    list.addSubnet(ip, prefix, type);
    entries.push(`${ip}/${prefix}`);
  }
  if (bad.length > 0) {
    throw new Error(
      `TRUSTED_PROXIES: not an IP address or CIDR range: ${bad.map((b) => JSON.stringify(b)).join(", ")} (use e.g. 10.0.0.0/8, 127.0.0.1, loopback, private)`,
    );
  }
  return {
    entries,
    check(ip) {
      const normal = normalizeIp(ip);
      if (!normal) return false;
      return list.check(normal, isIP(normal) === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * The client address of one request. `peer` is the socket's remote address. When it is a trusted
 * proxy, X-Forwarded-For is walked from the right past every trusted proxy; the first address
 * that is not ours is the client (if every hop is ours, the left-most one).
 * @param {{ peer: string | null | undefined; forwardedFor?: string | null; trusted: TrustedProxies }} input
 * @returns {string | null}
 */
export function resolveClientIp({ peer, forwardedFor, trusted }) {
  let ip = normalizeIp(peer);
  if (!ip || !trusted.check(ip)) return ip;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    // a malformed entry left of a trusted hop: stop at the last address a trusted proxy vouched for
    if (!hop) return ip;
    ip = hop;
    if (!trusted.check(hop)) return hop;
  }
  return ip;
}

/**
 * What server.mjs does to every request before Next sees it: forwarding headers survive only
 * from a trusted proxy, and CLIENT_IP_HEADER is replaced by the resolved address.
 * @param {import("node:http").IncomingHttpHeaders} headers mutated in place
 * @param {string | null | undefined} peer
 * @param {TrustedProxies} trusted
 * @returns {string | null} the client address
 */
export function applyClientAddress(headers, peer, trusted) {
  const raw = headers["x-forwarded-for"];
  const forwardedFor = Array.isArray(raw) ? raw.join(",") : raw;
  const ip = resolveClientIp({ peer, forwardedFor, trusted });
  if (!trusted.check(peer ?? "")) for (const name of FORWARDING_HEADERS) delete headers[name];
  delete headers[CLIENT_IP_HEADER];
  if (ip) headers[CLIENT_IP_HEADER] = ip;
  return ip;
}

/**
 * server.mjs's request listener: resolves the client address, then hands the request to `handle`
 * (Next's request handler).
 * @param {TrustedProxies} trusted
 * @param {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => unknown} handle
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void}
 */
export function clientAddressListener(trusted, handle) {
  return (req, res) => {
    applyClientAddress(req.headers, req.socket.remoteAddress, trusted);
    void handle(req, res);
  };
}
