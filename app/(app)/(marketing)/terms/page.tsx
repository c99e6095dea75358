import type { Metadata } from "next";
import { LegalPage } from "../legal-page";
import { getT } from "@/server/core/page-context";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("consent.termsTitle") };
}

export default function TermsPage() {
  return <LegalPage document="terms" />;
}
