import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/lib/trpc/client";

/** The operator console: the tRPC client and react-query for its pages (the root layout gives none: app/(app)/layout.tsx). */
export default function AdminRootLayout({ children }: { children: ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}
