import { Inngest } from "inngest";

// Event API and signing keys come from INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY; INNGEST_DEV=1
// (or a URL) targets a dev server; INNGEST_BASE_URL points the SDK at any other endpoint.
export const inngest = new Inngest({ id: "phteah" });
