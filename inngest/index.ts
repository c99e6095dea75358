import { outboxRelay } from "./functions/outbox-relay";
import { cleanup } from "./functions/cleanup";

export { inngest } from "./client";
export const functions = [outboxRelay, cleanup];
