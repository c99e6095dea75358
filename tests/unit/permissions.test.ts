// The permission catalog and the default roles (lib/permissions.ts).
import { describe, expect, it } from "vitest";
import { ALL_PERMISSION_CODES, DEFAULT_ROLES, DEFAULT_ROLE_KEYS, PERMISSIONS, hasPermission, isPermissionCode } from "@/lib/permissions";

describe("hasPermission", () => {
  it("checks a Set", () => {
    const granted = new Set(["members.view", "workspace.view"]);
    expect(hasPermission(granted, "members.view")).toBe(true);
    expect(hasPermission(granted, "members.manage")).toBe(false);
  });

  it("checks an array", () => {
    expect(hasPermission(["members.view"], "members.view")).toBe(true);
    expect(hasPermission(["members.view"], "members.manage")).toBe(false);
    expect(hasPermission([], "workspace.view")).toBe(false);
  });

  it("does no prefix or wildcard matching", () => {
    expect(hasPermission(["members"], "members.view")).toBe(false);
    expect(hasPermission(["members.*"], "members.view")).toBe(false);
    expect(hasPermission(new Set(["members.view "]), "members.view")).toBe(false);
  });
});

describe("the catalog", () => {
  it("has unique codes of the form area-ish.verb", () => {
    expect(new Set(ALL_PERMISSION_CODES).size).toBe(PERMISSIONS.length);
    for (const p of PERMISSIONS) {
      expect(p.code).toMatch(/^[a-z]+\.[a-z]+$/);
      expect(p.description.length, p.code).toBeGreaterThan(0);
    }
  });

  it("recognises its own codes only", () => {
    for (const code of ALL_PERMISSION_CODES) expect(isPermissionCode(code)).toBe(true);
    expect(isPermissionCode("members.delete")).toBe(false);
    expect(isPermissionCode("")).toBe(false);
  });
});

describe("DEFAULT_ROLES", () => {
  it("defines the five default roles", () => {
    expect([...DEFAULT_ROLE_KEYS].sort()).toEqual(["accountant", "admin", "manager", "owner", "viewer"]);
  });

  it("gives the owner every permission", () => {
    expect([...DEFAULT_ROLES.owner].sort()).toEqual([...ALL_PERMISSION_CODES].sort());
  });

  it("grants only catalog codes, each at most once", () => {
    for (const key of DEFAULT_ROLE_KEYS) {
      const codes = DEFAULT_ROLES[key];
      expect(new Set(codes).size, key).toBe(codes.length);
      for (const code of codes) expect(isPermissionCode(code), `${key}: ${code}`).toBe(true);
    }
  });

  it("gives the viewer no .manage, .record, .settings or private-file permission", () => {
    const viewer = DEFAULT_ROLES.viewer;
    expect(viewer.filter((c) => !c.endsWith(".view"))).toEqual([]);
    expect(viewer.some((c) => c.endsWith(".manage"))).toBe(false);
    expect(viewer).toContain("workspace.view");
    expect(viewer).toContain("members.view");
  });

  it("keeps billing.manage to owners and accountants, and members.manage away from managers, accountants and viewers", () => {
    const holders = (code: string) => DEFAULT_ROLE_KEYS.filter((k) => (DEFAULT_ROLES[k] as readonly string[]).includes(code)).sort();
    expect(holders("billing.manage")).toEqual(["accountant", "owner"]);
    expect(holders("members.manage")).toEqual(["admin", "owner"]);
    expect(holders("roles.manage")).toEqual(["admin", "owner"]);
  });

  it("lets every role open the workspace", () => {
    for (const key of DEFAULT_ROLE_KEYS) expect(hasPermission(DEFAULT_ROLES[key], "workspace.view"), key).toBe(true);
  });

  it("makes admin everything but billing.manage", () => {
    expect(ALL_PERMISSION_CODES.filter((c) => !DEFAULT_ROLES.admin.includes(c))).toEqual(["billing.manage"]);
  });
});
