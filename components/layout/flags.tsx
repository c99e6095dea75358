"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";

const FlagsContext = createContext<ReadonlySet<string>>(new Set());

/**
 * The feature flags that are on for this workspace, as the server evaluated them
 * (`enabledFlags` in server/flags/feature-flags.ts): the UI and the server give the same answer.
 */
export function FlagsProvider({ flags, children }: { flags: string[]; children: ReactNode }) {
  const set = useMemo(() => new Set(flags), [flags]);
  return <FlagsContext.Provider value={set}>{children}</FlagsContext.Provider>;
}

/** Is `key` on for this workspace? Unknown flags are off, as on the server. */
export function useFlag(key: string): boolean {
  return useContext(FlagsContext).has(key);
}
