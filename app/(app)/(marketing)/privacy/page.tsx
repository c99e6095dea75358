import type { Metadata } from "next";
import { LegalPage } from "../legal-page";
import { getT } from "@/server/core/page-context";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("consent.privacyTitle") };
}

export default function PrivacyPage() {
  return <LegalPage document="privacy" />;
}
