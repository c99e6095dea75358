-- WebhookEvent had both (status, receivedAt) (the init migration) and (status, receivedAt, id)
-- (20261206131730_console_list_keyset_indexes): plain b-trees, no predicate, the first a prefix of
-- the second, so every query the first served (status filters ordered or ranged by receivedAt:
-- the callback worker, the console inbox) is served by the second; the first only cost writes.
-- Alone in its file: CONCURRENTLY cannot run inside a transaction block.
DROP INDEX CONCURRENTLY IF EXISTS "WebhookEvent_status_receivedAt_idx";
