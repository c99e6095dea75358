// The dependency rules of docs/ARCHITECTURE.md are ESLint rules keyed on folders and file suffixes
// (eslint.config.mjs). These cases run the real config on snippets placed at real-looking paths, so a
// rule that is dropped, mistyped or scoped to the wrong folder fails here instead of silently passing.
import { ESLint } from "eslint";
import { describe, expect, it, vi } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });
vi.setConfig({ testTimeout: 60_000 });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const platformDb = `import { platformDb } from "@/server/db/platform-db";\nexport const x = platformDb;\n`;
const adminModule = `import { JOBS } from "@/server/ops/jobs.admin";\nexport const x = JOBS;\n`;
const publicModule = `import { AuthService } from "@/server/auth/auth.public";\nexport const x = AuthService;\n`;
const tenantDb = `import { TenantDb } from "@/server/db/tenant-db";\nexport const x = TenantDb;\n`;

describe("tenant code cannot reach the platform handle", () => {
  it.each([
    ["a tenant service in an existing domain", "server/contracts/some-new-service.ts"],
    ["a tenant service in a domain created tomorrow", "server/maintenance/request-service.ts"],
    ["a nested helper", "server/notifications/channels/sms.ts"],
    ["a tenant router", "server/api/routers/maintenance.ts"],
  ])("%s", async (_label, path) => {
    for (const code of [platformDb, adminModule, publicModule]) {
      expect(await restricted(path, code)).not.toEqual([]);
    }
  });

  it.each([
    ["a console module", "server/maintenance/requests.admin.ts"],
    ["a job", "server/maintenance/escalation.jobs.ts"],
    ["a pre-tenant entry point", "server/maintenance/public-form.public.ts"],
    ["the request layer", "server/core/page-context.ts"],
  ])("%s may", async (_label, path) => {
    expect(await restricted(path, platformDb)).toEqual([]);
  });

  it("a console router may call console services (but still not the database)", async () => {
    expect(await restricted("server/api/routers/maintenance.admin.ts", adminModule)).toEqual([]);
  });
});

describe("database access stays below the request layer", () => {
  it.each([
    "server/api/routers/maintenance.ts",
    "server/api/routers/maintenance.admin.ts",
    "app/(app)/t/[tenant]/x/page.tsx",
    "app/(app)/admin/x/page.tsx",
    "app/(pay)/t/[tenant]/pay/x/page.tsx",
  ])("%s cannot import server/db", async (path) => {
    expect(await restricted(path, tenantDb)).not.toEqual([]);
  });

  it("a workspace page cannot import console or job modules", async () => {
    expect(await restricted("app/(app)/t/[tenant]/x/page.tsx", adminModule)).toHaveLength(1);
  });

  it("client code imports only types from the router", async () => {
    expect(await restricted("components/x/y.tsx", publicModule)).toHaveLength(1);
    expect(
      await restricted("components/x/y.tsx", `import type { AppRouter } from "@/server/api/root";\nexport type X = AppRouter;\n`),
    ).toEqual([]);
  });

  it.each(["components/contracts/contract-card.tsx", "lib/contracts/format.ts"])(
    "%s cannot import a row type from a server module (rows are RouterOutputs)",
    async (path) => {
      const rowType = `import type { ContractRow } from "@/server/contracts/contract-service";\nexport type X = ContractRow;\n`;
      expect(await restricted(path, rowType)).toHaveLength(1);
      const inlineType = `import { type ContractRow } from "@/server/contracts/contract-service";\nexport type X = ContractRow;\n`;
      expect(await restricted(path, inlineType)).toHaveLength(1);
    },
  );

  it("client code may import the router's type, but no value from it", async () => {
    const routerType = `import type { AppRouter } from "@/server/api/root";\nexport type X = AppRouter;\n`;
    expect(await restricted("components/contracts/contract-card.tsx", routerType)).toEqual([]);
    expect(await restricted("lib/trpc/client.tsx", routerType)).toEqual([]);
    const routerValue = `import { appRouter } from "@/server/api/root";\nexport const x = appRouter;\n`;
    expect(await restricted("components/contracts/contract-card.tsx", routerValue)).toHaveLength(1);
  });
});

describe("client code cannot climb into server/ by a relative path", () => {
  it.each([
    [
      "components/contracts/contract-card.tsx",
      `import type { ContractRow } from "../../server/contracts/contract-service";\nexport type X = ContractRow;\n`,
    ],
    ["lib/contracts/format.ts", `import { platformDb } from "../../server/db/platform-db";\nexport const x = platformDb;\n`],
  ])("%s", async (path, code) => {
    expect(await restricted(path, code)).not.toEqual([]);
  });

  it("a relative import inside components is fine", async () => {
    expect(await restricted("components/contracts/contract-card.tsx", `import { x } from "./format";\nexport const y = x;\n`)).toEqual([]);
  });
});
