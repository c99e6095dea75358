// The versions of the terms of service and the privacy notice a user accepts at sign-up
// (ConsentRecord, docs/PRIVACY_RETENTION.md). Publishing a new text: bump its version here.
export const TERMS_VERSION = "2026-12-01";
export const PRIVACY_VERSION = "2026-12-01";
