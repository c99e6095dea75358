import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ConsentDocument } from "@/lib/enums";
import type { Locale } from "@/lib/i18n";
import { CURRENT_VERSIONS } from "@/lib/legal";
import { parseLegalMarkdown, type LegalText } from "@/lib/legal-text";

// The texts of the terms of service and the privacy notice, one Markdown file per document, version
// and language under docs/legal/ (`<document>-<version>.<locale>.md`), rendered by /terms and
// /privacy and linked from the sign-up form and the accept page. Publishing a new version: add its
// two files, then bump the version in lib/legal.ts (tests/unit/legal-text.test.ts checks every
// current version has its text in every language).

export const LEGAL_DIR = path.join(process.cwd(), "docs/legal");

export function legalDocumentFile(document: ConsentDocument, locale: Locale, version = CURRENT_VERSIONS[document]): string {
  return path.join(LEGAL_DIR, `${document}-${version}.${locale}.md`);
}

/** The current version's text of a document in the reader's language. */
export async function loadLegalText(document: ConsentDocument, locale: Locale): Promise<LegalText> {
  const version = CURRENT_VERSIONS[document];
  const source = await readFile(legalDocumentFile(document, locale, version), "utf8");
  return { document, version, ...parseLegalMarkdown(source, version) };
}
