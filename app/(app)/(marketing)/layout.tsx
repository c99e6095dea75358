import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/lib/trpc/client";

/** The apex's pages (sign-up, sign-in, find my workspace, legal pages): the tRPC client and react-query for their forms (the root layout gives none: app/(app)/layout.tsx). */
export default function MarketingLayout({ children }: { children: ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}
