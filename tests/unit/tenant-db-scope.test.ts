// First wall of tenant isolation (server/db/tenant-db.ts scopeArgs): every tenant-model call
// gets the tenant id forced into its filter or data, and suspicious writes are refused.
import { describe, expect, it } from "vitest";
import { scopeArgs } from "@/server/db/tenant-db";

const A = "0190a000-0000-7000-8000-00000000000a";
const B = "0190b000-0000-7000-8000-00000000000b";

describe("scopeArgs: reads, updates and deletes", () => {
  it.each([
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
    "count",
    "aggregate",
    "groupBy",
    "update",
    "updateMany",
    "updateManyAndReturn",
    "delete",
    "deleteMany",
  ])("%s gets tenantId in where", (operation) => {
    const args = scopeArgs("Membership", operation, { where: { id: "m1" }, take: 5 }, A);
    expect(args).toEqual({ where: { id: "m1", tenantId: A }, take: 5 });
  });

  it("adds a where when there was none", () => {
    expect(scopeArgs("Role", "findMany", undefined, A)).toEqual({ where: { tenantId: A } });
    expect(scopeArgs("Role", "count", {}, A)).toEqual({ where: { tenantId: A } });
  });

  it("overrides a where that names another tenant", () => {
    expect(scopeArgs("Membership", "findMany", { where: { tenantId: B } }, A)).toEqual({ where: { tenantId: A } });
    expect(scopeArgs("Membership", "deleteMany", { where: { tenantId: B, status: "active" } }, A).where).toEqual({
      tenantId: A,
      status: "active",
    });
  });

  it("does not mutate the caller's arguments", () => {
    const args = { where: { id: "m1" } };
    scopeArgs("Membership", "findFirst", args, A);
    expect(args).toEqual({ where: { id: "m1" } });
  });
});

describe("scopeArgs: creates", () => {
  it("injects tenantId into create data", () => {
    expect(scopeArgs("Role", "create", { data: { key: "x", name: "X" } }, A)).toEqual({ data: { key: "x", name: "X", tenantId: A } });
  });

  it("accepts the same tenantId given explicitly", () => {
    expect(scopeArgs("Role", "create", { data: { key: "x", tenantId: A } }, A).data).toEqual({ key: "x", tenantId: A });
  });

  it.each(["createMany", "createManyAndReturn"])("%s injects tenantId into every row (array or single object)", (operation) => {
    expect(
      scopeArgs(
        "RolePermission",
        operation,
        {
          data: [
            { roleId: "r", permissionCode: "a" },
            { roleId: "r", permissionCode: "b" },
          ],
        },
        A,
      ).data,
    ).toEqual([
      { roleId: "r", permissionCode: "a", tenantId: A },
      { roleId: "r", permissionCode: "b", tenantId: A },
    ]);
    expect(scopeArgs("RolePermission", operation, { data: { roleId: "r", permissionCode: "a" } }, A).data).toEqual([
      { roleId: "r", permissionCode: "a", tenantId: A },
    ]);
  });

  it("injects tenantId into upsert where and create", () => {
    const args = scopeArgs(
      "FeatureFlagOverride",
      "upsert",
      { where: { flagKey: "f" }, create: { flagKey: "f", enabled: true }, update: { enabled: true } },
      A,
    );
    expect(args).toEqual({
      where: { flagKey: "f", tenantId: A },
      create: { flagKey: "f", enabled: true, tenantId: A },
      update: { enabled: true },
    });
  });

  it("refuses a create for another tenant", () => {
    expect(() => scopeArgs("Role", "create", { data: { key: "x", tenantId: B } }, A)).toThrow(/another tenant/);
    expect(() => scopeArgs("Role", "createMany", { data: [{ key: "x" }, { key: "y", tenantId: B }] }, A)).toThrow(/another tenant/);
    expect(() => scopeArgs("Role", "upsert", { where: {}, create: { key: "x", tenantId: B }, update: {} }, A)).toThrow(/another tenant/);
  });

  it("refuses connecting the tenant relation by hand", () => {
    expect(() => scopeArgs("Role", "create", { data: { key: "x", tenant: { connect: { id: B } } } }, A)).toThrow(
      /tenant is set by the scoped handle/,
    );
    expect(() => scopeArgs("Role", "create", { data: { key: "x", tenant: { connect: { id: A } } } }, A)).toThrow(
      /tenant is set by the scoped handle/,
    );
  });

  it("refuses create data that is not an object", () => {
    expect(() => scopeArgs("Role", "create", {}, A)).toThrow(/create data must be an object/);
    expect(() => scopeArgs("Role", "createMany", { data: [null] }, A)).toThrow(/create data must be an object/);
  });
});

describe("scopeArgs: updates cannot move rows to another tenant", () => {
  it.each(["update", "updateMany", "updateManyAndReturn"])(
    "%s refuses data.tenantId of another tenant or a tenant relation",
    (operation) => {
      expect(() => scopeArgs("Membership", operation, { where: { id: "m1" }, data: { tenantId: B } }, A)).toThrow(/another tenant/);
      expect(() => scopeArgs("Membership", operation, { where: { id: "m1" }, data: { tenant: { connect: { id: B } } } }, A)).toThrow(
        /tenant is set by the scoped handle/,
      );
      expect(scopeArgs("Membership", operation, { where: { id: "m1" }, data: { status: "active" } }, A).data).toEqual({ status: "active" });
    },
  );

  it("upsert refuses an update that names another tenant", () => {
    expect(() => scopeArgs("FeatureFlagOverride", "upsert", { where: {}, create: { flagKey: "f" }, update: { tenantId: B } }, A)).toThrow(
      /another tenant/,
    );
  });
});

describe("scopeArgs: unsupported operations", () => {
  it.each(["findRaw", "aggregateRaw", "queryRaw", "executeRaw", "somethingNew"])("%s is refused", (operation) => {
    expect(() => scopeArgs("Membership", operation, {}, A)).toThrow(`Membership.${operation} is not supported on a tenant-scoped handle`);
  });
});
