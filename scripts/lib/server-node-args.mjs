// @ts-check
// The Node flags the production server runs with (`npm start`; the e2e server, the bench and the
// two-instance test start server.mjs with the same ones). The old-space cap makes V8 collect
// before the process grows: without it V8 sizes the heap for the machine (about 4 GB here) and
// collects lazily, so a server that just answered thousands of requests kept ~800 MB resident
// (issue 13's RSS row) though its live heap stays far smaller. SERVER_HEAP_MB overrides it.
export const DEFAULT_SERVER_HEAP_MB = 384;

/** @param {Record<string, string | undefined>} env */
export function serverNodeArgs(env = process.env) {
  const raw = env.SERVER_HEAP_MB;
  const mb = raw === undefined || raw === "" ? DEFAULT_SERVER_HEAP_MB : Number(raw);
  if (!Number.isInteger(mb) || mb < 128 || mb > 65536)
    throw new Error(`SERVER_HEAP_MB must be a whole number of MB from 128 to 65536, not "${raw}"`);
  return [`--max-old-space-size=${mb}`];
}
