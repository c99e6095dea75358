import type { Metadata } from "next";
import "./globals.css";
import { NotFoundPanel } from "./_components/not-found-panel";
import { getLocale } from "@/server/core/page-context";
import { RootDocument, rootMetadata, rootViewport } from "./root-document";

// A URL that matches no route (next.config.ts experimental.globalNotFound: the root layout is
// app/(app)'s, a route group, so no layout above every route can draw this page).
export const metadata: Metadata = rootMetadata;
export const viewport = rootViewport;

export default async function GlobalNotFound() {
  return (
    <RootDocument locale={await getLocale()}>
      <NotFoundPanel />
    </RootDocument>
  );
}
