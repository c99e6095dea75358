-- (tenantId, endDate) is a prefix of the list index (tenantId, endDate, id), which serves every query it
-- served (the dashboard's contracts ending soon, the expiring-contract job). Kept, it tempted the planner
-- into reading all of a workspace's open-ended contracts and sorting them for one page of the contracts
-- list by end date.
DROP INDEX IF EXISTS "Contract_tenantId_endDate_idx";
