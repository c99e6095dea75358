import { Inngest } from "inngest";

// Event API and signing keys come from INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY; INNGEST_BASE_URL
// points the SDK at a self-hosted server or a stub. INNGEST_DEV=1 (local `npm run dev` only)
// targets the dev server, which skips signature checks on /api/inngest: a production server
// always runs in cloud mode, so every call to /api/inngest must be signed with
// INNGEST_SIGNING_KEY whatever INNGEST_DEV says (env.ts also refuses INNGEST_DEV there).
export function inngestOptions(nodeEnv: string | undefined = process.env.NODE_ENV): { id: string; isDev?: boolean } {
  return nodeEnv === "production" ? { id: "phteah", isDev: false } : { id: "phteah" };
}

export const inngest = new Inngest(inngestOptions());
