import "server-only";
import pg from "pg";
import { getPool } from "@/server/db/client";
import { onContextTableWrite } from "@/server/db/tenant-binding";
import { logger } from "./observability/logger";

/** What the cache reads of the facts it keeps (request-lookup.ts's ContextFacts, without importing it). */
export interface CachedFacts {
  tenant: { id: string } | null;
  session: { id: string; userId: string; lastSeenAt: Date } | null;
  membershipOf: string | null;
}

/** The ids a lookup asked for (request-lookup.ts's ContextQuery). */
export interface CacheQuery {
  slug?: string | null;
  tenantId?: string | null;
  sessionId?: string | null;
  userId?: string | null;
}

// The resolved request context (request-lookup.ts: tenant, session, membership, permissions,
// plan), cached per process and invalidated by the database itself, so that a signed-in request
// pays no statement for "who is asking" while its session, membership, role, plan and workspace
// stay as they were.
//
// - Invalidation: triggers on every table the context statement reads (migration
//   20261206184500_request_context_notify) send NOTIFY phteah_context with what changed:
//   `s:<session id>`, `u:<user id>`, `t:<tenant id>` or `*` (a plan). Each process LISTENs on one
//   connection of its own and drops the entries tagged with it. The notification is sent at
//   commit, so another instance drops its copy within the notification's delivery time (a few
//   milliseconds on one network); a request that started before the commit may still use the old
//   facts, as it would have without a cache.
// - This process's own writes to those tables (sign-out, a role change, …) also drop the entries
//   they may touch the moment the statement runs (tenant-binding.ts sees every statement of the
//   pool: a session, user or workspace row by the ids in the statement's parameters, anything else
//   drops every entry), so this process's next request reads afresh without waiting on its own
//   notification. (A session's
//   creation and its lastSeenAt refresh change no cached facts: touchSession keeps those.)
// - A lookup that raced with a notification is not stored (a generation counter), so an entry
//   read before a change can never outlive the change's notification.
// - The cache is on only while the LISTEN connection is up and hears a heartbeat NOTIFY sent
//   every HEARTBEAT_MS through the app's ordinary pool (another connection, as a change made by
//   another instance would be): behind PgBouncer in transaction mode (where a LISTEN does not stay
//   on one server connection) the heartbeat does not come back and the cache stays off. Set DATABASE_LISTEN_URL to a direct
//   URL there (docs/OPERATIONS.md). Any error turns it off and empties it until it is back.
// - Entries live at most TTL_MS (a safety net), at most MAX_ENTRIES (least recently used go),
//   and only lookups that found a session are cached (a forged cookie is never remembered), or,
//   asked with no session at all (a renter's pay page, a signed-out visitor), that found the
//   workspace (tagged with it; an unknown slug is never remembered).

export const CONTEXT_CHANNEL = "phteah_context";
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_DEADLINE_MS = 3_000;
const RECONNECT_MS = 2_000;

interface Entry {
  facts: CachedFacts;
  tags: string[];
  at: number;
}

export type ContextCacheState = "off" | "starting" | "on";

function keyOf(q: CacheQuery): string {
  return `${q.slug ?? ""}|${q.tenantId ?? ""}|${q.sessionId ?? ""}|${q.userId ?? ""}`;
}

function tagsOf(facts: CachedFacts): string[] {
  const tags: string[] = [];
  if (facts.tenant) tags.push(`t:${facts.tenant.id}`);
  if (facts.session) tags.push(`s:${facts.session.id}`, `u:${facts.session.userId}`);
  if (facts.membershipOf) tags.push(`u:${facts.membershipOf}`);
  return tags;
}

export class ContextCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private state: ContextCacheState = "off";
  private client: pg.Client | null = null;
  private stopped = true;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private pendingBeat: { nonce: string; timer: NodeJS.Timeout } | null = null;
  /** counters for tests and the health details */
  readonly stats = { hits: 0, misses: 0, invalidations: 0, lastPayload: "" };

  constructor(
    private readonly url: string,
    /** sends a notification on another connection than the LISTEN one (the heartbeat) */
    private readonly notify: (channel: string, payload: string) => Promise<unknown> = (channel, payload) =>
      getPool().query("SELECT pg_notify($1, $2)", [channel, payload]),
    private readonly now: () => number = Date.now,
  ) {}

  get status(): ContextCacheState {
    return this.state;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached facts of this query, or a fresh lookup (stored when it is safe to). */
  async lookup<F extends CachedFacts>(query: CacheQuery, load: () => Promise<F>): Promise<F> {
    if (this.state !== "on") return load();
    const key = keyOf(query);
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < TTL_MS) {
      // least recently used goes first: a hit moves to the end
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.stats.hits++;
      // stored by a lookup of the same query, with the same loader's type
      return hit.facts as F;
    }
    this.stats.misses++;
    const generation = this.generation;
    const facts = await load();
    // a notification (or a write of ours) since the lookup started: these facts may predate it
    const keep = facts.session !== null || (!query.sessionId && !query.userId && facts.tenant !== null);
    if (keep && generation === this.generation && this.state === "on") {
      this.entries.delete(key);
      this.entries.set(key, { facts, tags: tagsOf(facts), at: this.now() });
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    return facts;
  }

  /** A request wrote the session's lastSeenAt (session.ts): cached copies carry the new time. */
  touchSession(sessionId: string, lastSeenAt: Date): void {
    for (const entry of this.entries.values()) {
      if (entry.facts.session?.id === sessionId) entry.facts = { ...entry.facts, session: { ...entry.facts.session, lastSeenAt } };
    }
  }

  /**
   * This process wrote a context table: forget what it may have changed now (the notification says
   * the same, later). `tags` narrows it (tenant-binding.ts contextWriteTags); "*" forgets everything.
   */
  markLocalWrite(tags: string[] | "*" = "*"): void {
    this.generation++;
    if (tags === "*") {
      this.entries.clear();
      return;
    }
    const gone = new Set(tags);
    for (const [key, entry] of this.entries) if (entry.tags.some((t) => gone.has(t))) this.entries.delete(key);
  }

  /** Drops the entries a notification names (`*`: all). */
  invalidate(tag: string): void {
    this.generation++;
    this.stats.invalidations++;
    this.stats.lastPayload = tag;
    if (tag === "*") {
      this.entries.clear();
      return;
    }
    for (const [key, entry] of this.entries) if (entry.tags.includes(tag)) this.entries.delete(key);
  }

  private turnOff(): void {
    this.state = this.stopped ? "off" : "starting";
    this.generation++;
    this.entries.clear();
    if (this.pendingBeat) clearTimeout(this.pendingBeat.timer);
    this.pendingBeat = null;
  }

  /** Connects the LISTEN connection; the cache turns on once its first heartbeat comes back. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.state = "starting";
    void this.connect();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnect) clearTimeout(this.reconnect);
    this.heartbeat = this.reconnect = null;
    this.turnOff();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.connect();
    }, RECONNECT_MS);
    this.reconnect.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, application_name: "phteah-context-cache" });
    const lost = (error?: unknown) => {
      if (this.client !== client) return;
      if (error) logger.warn({ err: error }, "request context cache: LISTEN connection lost, cache off until it is back");
      this.client = null;
      this.turnOff();
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (msg) => {
      if (msg.channel !== CONTEXT_CHANNEL || !msg.payload) return;
      if (msg.payload.startsWith("beat:")) {
        if (this.pendingBeat?.nonce === msg.payload) {
          clearTimeout(this.pendingBeat.timer);
          this.pendingBeat = null;
          if (this.state === "starting" && !this.stopped) this.state = "on";
        }
        return;
      }
      this.invalidate(msg.payload);
    });
    try {
      await client.connect();
      // never keep a script's process alive for it
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      await client.query(`LISTEN ${CONTEXT_CHANNEL}`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      await this.beat();
    } catch (error) {
      logger.warn({ err: error }, "request context cache: cannot LISTEN, cache off");
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  /** Sends a NOTIFY through the pool; if the listener does not hear it in time, the cache is off until it does. */
  private async beat(): Promise<void> {
    const client = this.client;
    if (!client || this.pendingBeat) return;
    const nonce = `beat:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const timer = setTimeout(() => {
      if (this.pendingBeat?.nonce !== nonce) return;
      logger.warn("request context cache: its own notification did not come back, cache off");
      this.turnOff();
    }, HEARTBEAT_DEADLINE_MS);
    timer.unref();
    this.pendingBeat = { nonce, timer };
    try {
      await this.notify(CONTEXT_CHANNEL, nonce);
    } catch {
      // not sent (the database is unreachable): the deadline turns the cache off
    }
  }
}

const globalForCache = globalThis as unknown as { phteahContextCache?: ContextCache | null };

/** The process's cache, or null when none was started (scripts, tests, REQUEST_CONTEXT_CACHE=off). */
export function contextCache(): ContextCache | null {
  return globalForCache.phteahContextCache ?? null;
}

/** Starts the process's cache (instrumentation.ts at server start; the bench). */
export function startContextCache(url: string): ContextCache {
  globalForCache.phteahContextCache ??= new ContextCache(url);
  globalForCache.phteahContextCache.start();
  onContextTableWrite(markContextWrite);
  return globalForCache.phteahContextCache;
}

export async function stopContextCache(): Promise<void> {
  const cache = globalForCache.phteahContextCache;
  globalForCache.phteahContextCache = null;
  onContextTableWrite(null);
  await cache?.stop();
}

/** A statement of this process writes a context table (tenant-binding.ts's hook, with the tags it may touch). */
export function markContextWrite(tags: string[] | "*" = "*"): void {
  globalForCache.phteahContextCache?.markLocalWrite(tags);
}
