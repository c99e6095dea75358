import * as Sentry from "@sentry/nextjs";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // refuse to start on bad configuration, with the list of problems
    const { validateEnv } = await import("./env");
    const env = validateEnv();
    // without a DSN Sentry stays uninitialised: its request instrumentation alone cost ~13 % of a
    // request's CPU (issue 13), and reportError/captureRequestError are no-ops then anyway
    // SENTRY_DISABLED=1: monitoring turned off on purpose (a production server needs it or a DSN, env.ts)
    if (env.SENTRY_DSN && env.SENTRY_DISABLED !== "1") {
      const { sentryOptions } = await import("./lib/observability/sentry");
      Sentry.init(sentryOptions(env.SENTRY_DSN, env.SENTRY_ENVIRONMENT));
    }
    const { fileStorageProblems } = await import("./server/files/storage");
    const storage = await fileStorageProblems();
    if (storage.length > 0) throw new Error(`Invalid file storage:\n${storage.map((p) => `  - ${p}`).join("\n")}`);
    if (env.NODE_ENV === "production") {
      // per-address limits need the real client address, which only server.mjs knows (not `next start`)
      const { isClientAddressServer } = await import("./server/core/client-address.mjs");
      if (!isClientAddressServer()) throw new Error("Start the production server with `npm start` (node server.mjs), not `next start`.");
      const { appRoleProblems } = await import("./server/ops/health.public");
      const problems = await appRoleProblems().catch(() => [] as string[]); // an unreachable DB shows in /api/health
      if (problems.length > 0) throw new Error(`Unsafe database role:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
      // Bakong callbacks: server.mjs's fast intake and this process's settlement worker
      const { installBakongCallbackHook } = await import("./server/payments/bakong-callbacks.jobs");
      installBakongCallbackHook();
      // the renter's pay page: server.mjs answers a renter's view without Next's pipeline
      const { installPayPageHook } = await import("./server/pay-page/hook.public");
      installPayPageHook();
    }
    // cron jobs in-process when no Inngest server is configured (never while `next build` loads this)
    if (process.env.NEXT_PHASE !== "phase-production-build") {
      // who is asking, cached per session while PostgreSQL's notifications say what changes
      const listenUrl = env.DATABASE_LISTEN_URL ?? env.DATABASE_URL;
      if (env.REQUEST_CONTEXT_CACHE === "on" && listenUrl) {
        const { startContextCache } = await import("./server/core/context-cache");
        startContextCache(listenUrl);
      }
      const { schedulerMode, cronJobsOf, startInProcessScheduler } = await import("./server/ops/scheduler.jobs");
      if (schedulerMode({ ...process.env, JOB_SCHEDULER: env.JOB_SCHEDULER }) === "in-process") {
        const [{ functions }, { JOBS }] = await Promise.all([import("./inngest"), import("./server/ops/jobs.admin")]);
        // each Inngest cron function's id and schedule, running the JOBS call its handler makes
        const runners = Object.fromEntries(Object.entries(JOBS).map(([id, job]) => [id, job.run as () => Promise<unknown>]));
        startInProcessScheduler(cronJobsOf(functions, runners), { tickMs: env.JOB_SCHEDULER_TICK_MS });
      }
    }
  }
}

export const onRequestError = Sentry.captureRequestError;
