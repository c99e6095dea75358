import type { ReactNode } from "react";
import { restOfMessages } from "@/lib/i18n";
import { MessagesLayer } from "@/lib/i18n/client";
import { TRPCReactProvider } from "@/lib/trpc/client";
import { getLocale, getScope } from "@/server/core/page-context";

/**
 * The layout of every page on a workspace's host but the workspace home: the messages the root
 * layout leaves out there (lib/i18n/catalogs.ts SHELL_NAMESPACES), and the tRPC client with
 * react-query, which the root layout gives only on other hosts (the home loads neither: issue 17),
 * for this page's client components. On any other host the root layout already gave both.
 */
export default async function RestOfMessages({ children }: { children: ReactNode }) {
  if ((await getScope())?.kind !== "tenant") return children;
  return (
    <MessagesLayer messages={restOfMessages(await getLocale())}>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </MessagesLayer>
  );
}
