// /api/inngest verifies Inngest's signature whenever NODE_ENV=production, even if INNGEST_DEV
// slipped into the environment (env.ts refuses that at start-up; this is the second lock).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { inngestOptions } from "@/inngest/client";

const SIGNING_KEY = "signkey-test-0123456789abcdef0123456789abcdef";

function handlerFor(nodeEnv: string) {
  const client = new Inngest(inngestOptions(nodeEnv));
  let ran = 0;
  const fn = client.createFunction({ id: "probe", triggers: [{ event: "probe/run" }] }, async () => {
    ran += 1;
    return "ran";
  });
  const { POST } = serve({ client, functions: [fn] });
  return { POST: POST as unknown as (req: Request, ctx: unknown) => Promise<Response>, ran: () => ran };
}

function unsignedCall(): Request {
  const body = JSON.stringify({
    event: { name: "probe/run", data: {} },
    events: [{ name: "probe/run", data: {} }],
    steps: {},
    ctx: { run_id: "r1", attempt: 0, stack: { stack: [] } },
  });
  return new Request("http://localhost:3000/api/inngest?fnId=phteah-probe&stepId=step", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

describe("/api/inngest signature checks", () => {
  beforeEach(() => {
    vi.stubEnv("INNGEST_DEV", "1");
    vi.stubEnv("INNGEST_SIGNING_KEY", SIGNING_KEY);
  });
  afterEach(() => vi.unstubAllEnvs());

  it("production runs the client in cloud mode whatever INNGEST_DEV says", () => {
    expect(new Inngest(inngestOptions("production")).mode).toBe("cloud");
    expect(new Inngest(inngestOptions("development")).mode).toBe("dev");
  });

  it("refuses an unsigned call in production even with INNGEST_DEV=1, running nothing", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const h = handlerFor("production");
    const res = await h.POST(unsignedCall(), {});
    expect(res.status).toBe(401);
    expect(h.ran()).toBe(0);
  });
});
