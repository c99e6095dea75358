// Registration points of a scheduled job (CONTRIBUTING.md): its entry in JOBS (server/ops/jobs.admin.ts,
// which /admin/jobs lists and runs), its Inngest function in inngest/functions/, and that function in
// the served list (inngest/index.ts). Nothing else ties the three together: a function that is not
// served never runs, and a cron whose id or schedule drifts from JOBS runs something /admin/jobs
// does not describe.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { functions } from "@/inngest/index";
import { JOBS } from "@/server/ops/jobs.admin";

type Fn = { id: (prefix?: string) => string; opts: { id: string; triggers?: Array<{ cron?: string; event?: unknown }> } };
const served = functions as unknown as Fn[];
const cronOf = (f: Fn) => f.opts.triggers?.find((t) => typeof t.cron === "string")?.cron;

describe("scheduled jobs", () => {
  it("serves every function defined in inngest/functions", async () => {
    const dir = path.join(process.cwd(), "inngest/functions");
    const defined: Fn[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
      defined.push(...Object.values(mod).filter((v): v is Fn => typeof v === "object" && v !== null && "opts" in v));
    }
    expect(defined.length).toBeGreaterThan(10);
    expect(defined.filter((f) => !served.includes(f)).map((f) => f.opts.id)).toEqual([]);
  });

  it("has one cron function per job, with the job's id and schedule", () => {
    const crons = Object.fromEntries(served.filter((f) => cronOf(f)).map((f) => [f.opts.id, cronOf(f)]));
    const jobs = Object.fromEntries(Object.entries(JOBS).map(([id, job]) => [id, job.schedule]));
    expect(crons).toEqual(jobs);
  });

  it("names each function's file after its id", () => {
    const files = readdirSync(path.join(process.cwd(), "inngest/functions")).map((f) => f.replace(/\.ts$/, ""));
    for (const f of served.filter((s) => cronOf(s))) expect(files, f.opts.id).toContain(f.opts.id);
  });
});
