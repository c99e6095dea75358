"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { hasPermission, type PermissionCode } from "@/lib/permissions";

const PermissionsContext = createContext<ReadonlySet<string>>(new Set());

/** The member's permissions, for the UI to hide or disable actions with the server's own check. */
export function PermissionsProvider({ permissions, children }: { permissions: string[]; children: ReactNode }) {
  const set = useMemo(() => new Set(permissions), [permissions]);
  return <PermissionsContext.Provider value={set}>{children}</PermissionsContext.Provider>;
}

export function useCan(): (code: PermissionCode) => boolean {
  const set = useContext(PermissionsContext);
  return (code) => hasPermission(set, code);
}
