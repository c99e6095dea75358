import type { ConsentDocument } from "@/lib/enums";

// The versions of the terms of service and the privacy notice a user accepts at sign-up, and again
// after signing in when a version here is newer than the one they last accepted (ConsentRecord,
// server/auth/consent.public.ts, docs/PRIVACY_RETENTION.md). The ONE place these versions live.
// Publishing a new text: add docs/legal/<document>-<version>.<en|km>.md, then bump its version here.
export const TERMS_VERSION = "2026-12-01";
export const PRIVACY_VERSION = "2026-12-01";

/** The version of each document a user accepts now. */
export const CURRENT_VERSIONS: Readonly<Record<ConsentDocument, string>> = { terms: TERMS_VERSION, privacy: PRIVACY_VERSION };
