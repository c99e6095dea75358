// A small, deterministic input generator over zod 4 schemas, for the input fuzz test: valid
// samples (found by trying candidates against each leaf schema, refinements included), boundary
// and hostile values (huge, unicode, NUL, RTL override, numbers at and past int4/2^53, NaN),
// wrong types, and ids of another workspace's rows. Everything is driven by a seeded PRNG, so a
// failing case prints a seed and path that reproduce it.
import type { z } from "zod";

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough to pick test cases reproducibly. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** A UUID v4 drawn from the PRNG (an id nobody has). */
export function fakeUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface GenContext {
  rng: Rng;
  /** a real id of the caller's own workspace for a field named `key` (propertyId, unitId, …) */
  ownId: (key: string) => string | undefined;
}

type Schema = z.core.$ZodType;
type Def = { type: string } & Record<string, unknown>;

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const bagOf = (s: Schema): Record<string, unknown> => (s as unknown as { _zod: { bag?: Record<string, unknown> } })._zod.bag ?? {};
const ok = (s: Schema, v: unknown): boolean => (s as unknown as z.ZodType).safeParse(v).success;

const KHMER = "សួស្តី ពិភពលោក";

/** Candidate strings for a leaf, by field name first, then by shape. */
function stringCandidates(key: string, ctx: GenContext): string[] {
  const k = key.toLowerCase();
  const n = Math.floor(ctx.rng() * 1e6)
    .toString()
    .padStart(6, "0");
  const own = ctx.ownId(key);
  const out: string[] = [];
  if (own) out.push(own);
  if (k.includes("email") || k === "address" || k === "to") out.push(`fuzz-${n}@example.test`);
  if (k.includes("phone")) out.push(`+85517${n}`);
  if (k.includes("period") || k === "month") out.push("2026-01");
  if (k.includes("date") || k.endsWith("on") || k === "from" || k === "to" || k.endsWith("at")) out.push("2026-01-15");
  if (k.includes("csv")) out.push(`name_latin,phone\nFuzz Person,+85517${n}\n`);
  if (k.includes("password")) out.push("fuzz-password-123456");
  if (k.includes("code")) out.push("123456", "abcd-efgh", "pro", "A-1");
  if (k.includes("locale")) out.push("en", "km");
  if (k.includes("token")) out.push("A".repeat(43));
  if (k.includes("slug")) out.push(`fuzz${n}`);
  if (k.includes("key")) out.push("rent.overdue", "fuzz.flag", "fuzz_flag", "fuzz-flag");
  if (k.includes("permission")) out.push("workspace.view");
  if (k.includes("tenant")) out.push("acme");
  out.push(
    "Sample text",
    "sample",
    "2026-01-15",
    "2026-01",
    `fuzz-${n}@example.test`,
    `+85517${n}`,
    "123456",
    "https://example.test/x",
    fakeUuid(ctx.rng),
    "a",
    "",
  );
  return out;
}

const NUMBER_CANDIDATES = [1, 10, 100, 2026, 0, 5, 0.5, -1, 1000, 100_000];

/**
 * A value that `schema` accepts, when one can be found (it usually can; when not, the closest
 * guess is returned: the calls then test the 4xx path).
 */
export function validSample(schema: Schema, key: string, ctx: GenContext, depth = 0): unknown {
  const def = defOf(schema);
  if (depth > 8) return undefined;
  switch (def.type) {
    case "optional":
    case "nonoptional":
    case "readonly":
    case "catch":
      return validSample(def.innerType as Schema, key, ctx, depth + 1);
    case "nullable":
      return validSample(def.innerType as Schema, key, ctx, depth + 1);
    case "default":
    case "prefault":
      return ctx.rng() < 0.3 ? undefined : validSample(def.innerType as Schema, key, ctx, depth + 1);
    case "pipe":
      return validSample(def.in as Schema, key, ctx, depth + 1);
    case "lazy":
      return validSample((def.getter as () => Schema)(), key, ctx, depth + 1);
    case "object": {
      const shape = def.shape as Record<string, Schema>;
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(shape)) {
        const optional = (s as unknown as { _zod: { optin?: string } })._zod.optin === "optional";
        if (optional && ctx.rng() < 0.35) continue;
        // a few tries (the choices are random); an optional field nothing fits is left out
        let v = validSample(s, k, ctx, depth + 1);
        for (let i = 0; i < 3 && !ok(s, v); i++) v = validSample(s, k, ctx, depth + 1);
        if (optional && !ok(s, v)) continue;
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case "array": {
      const bag = bagOf(schema);
      const min = typeof bag.minimum === "number" ? bag.minimum : 0;
      const len = Math.max(min, 1);
      const element = def.element as Schema;
      return Array.from({ length: len }, () => validSample(element, key, ctx, depth + 1));
    }
    case "tuple":
      return (def.items as Schema[]).map((s) => validSample(s, key, ctx, depth + 1));
    case "record":
      return {};
    case "union": {
      const options = def.options as Schema[];
      const start = Math.floor(ctx.rng() * options.length);
      for (let i = 0; i < options.length; i++) {
        const v = validSample(options[(start + i) % options.length]!, key, ctx, depth + 1);
        if (ok(options[(start + i) % options.length]!, v)) return v;
      }
      return validSample(options[start]!, key, ctx, depth + 1);
    }
    case "intersection":
      return {
        ...(validSample(def.left as Schema, key, ctx, depth + 1) as object),
        ...(validSample(def.right as Schema, key, ctx, depth + 1) as object),
      };
    case "enum": {
      const values = Object.values(def.entries as Record<string, string | number>);
      return pick(ctx.rng, values);
    }
    case "literal":
      return (def.values as unknown[])[0];
    case "boolean":
      return ctx.rng() < 0.5;
    case "number":
    case "int": {
      const bag = bagOf(schema);
      const candidates = [...NUMBER_CANDIDATES];
      if (typeof bag.minimum === "number") candidates.unshift(bag.minimum, bag.minimum + 1);
      return candidates.find((c) => ok(schema, c)) ?? 1;
    }
    case "bigint":
      return 1n;
    case "date":
      return new Date("2026-01-15T00:00:00Z");
    case "string": {
      const bag = bagOf(schema);
      const max = typeof bag.maximum === "number" ? bag.maximum : Infinity;
      const min = typeof bag.minimum === "number" ? bag.minimum : 0;
      const candidates = stringCandidates(key, ctx);
      const found = candidates.find((c) => ok(schema, c));
      if (found !== undefined) return found;
      const sized = "x".repeat(Math.min(Math.max(min, 1), max === Infinity ? 8 : max));
      return sized;
    }
    case "null":
      return null;
    case "undefined":
    case "void":
      return undefined;
    default:
      return "x";
  }
}

/** Where a value sits inside an input, and what kind of leaf it is. */
export interface Leaf {
  path: (string | number)[];
  kind: "string" | "number" | "boolean" | "other";
  /** the field name (last string segment) */
  key: string;
}

export function leavesOf(value: unknown, path: (string | number)[] = [], key = ""): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leavesOf(v, [...path, i], key));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const own = Object.entries(value as Record<string, unknown>);
    if (own.length === 0) return [{ path, kind: "other", key }];
    return own.flatMap(([k, v]) => leavesOf(v, [...path, k], k));
  }
  const kind =
    typeof value === "string" ? "string" : typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "other";
  return [{ path, kind, key }];
}

export function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: unknown = structuredClone(root);
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/** Strings a form would never send: limits, encodings PostgreSQL refuses, injections, odd unicode. */
export function hostileStrings(valid: string, rng: Rng): string[] {
  return [
    "",
    " ",
    "x".repeat(100_000),
    `${KHMER}`.repeat(2000),
    "\u0000",
    `${valid}\u0000`,
    `a\u0000b`,
    `${valid}${KHMER}`,
    "👩‍👩‍👧‍👦🏠💸",
    `\u202E${valid}`,
    "\u200B\u200C\u200D\uFEFF",
    "\uD800",
    "'; DROP TABLE tenant; --",
    "%_\\%",
    "<script>alert(1)</script>",
    "{{constructor.constructor('return process')()}}",
    "../../etc/passwd",
    "__proto__",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    fakeUuid(rng).toUpperCase(),
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0100-01-01",
    "9999-12",
    "0100-01",
    "275760-09-13",
    "-271821-04-20",
    "2026-13",
    "1e309",
    "-1",
    "NaN",
    valid.toUpperCase(),
    ` ${valid} `,
  ];
}

export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  -0,
  0.5,
  1e-9,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

/** Values of the wrong type, including what superjson can put on the wire (Date, BigInt, Map, Set, undefined). */
export function wrongTypes(): unknown[] {
  return [
    null,
    undefined,
    true,
    1,
    "1",
    [],
    [1, "a"],
    {},
    { $gt: "" },
    JSON.parse('{"__proto__":{"polluted":true}}'),
    new Date(Number.NaN),
    new Date(8.64e15),
    10n ** 30n,
    new Map([["a", 1]]),
    new Set([1]),
  ];
}
