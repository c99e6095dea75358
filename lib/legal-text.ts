import type { ConsentDocument } from "@/lib/enums";

// The Markdown subset of the terms of service and the privacy notice (docs/legal/), parsed into
// blocks the pages render (server/auth/legal-documents.ts reads the files).

export type LegalBlock = { kind: "h2"; text: string } | { kind: "p"; text: string } | { kind: "ul"; items: string[] };

export interface LegalText {
  document: ConsentDocument;
  version: string;
  title: string;
  blocks: LegalBlock[];
}

/**
 * The small Markdown subset the legal texts use: `# title`, `## heading`, paragraphs, `- ` lists,
 * `**bold**` (rendered by the page). The line right after the title states the version and must
 * name the file's own version.
 */
export function parseLegalMarkdown(source: string, version: string): { title: string; blocks: LegalBlock[] } {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  let title = "";
  const blocks: LegalBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "p", text: paragraph.join(" ") });
    paragraph = [];
    if (list) blocks.push({ kind: "ul", items: list });
    list = null;
  };
  let versionSeen = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    if (line.startsWith("# ") && !title) {
      title = line.slice(2).trim();
      continue;
    }
    if (!versionSeen && title && blocks.length === 0 && paragraph.length === 0 && !list) {
      versionSeen = true;
      if (!line.includes(version)) throw new Error(`legal text: the line after the title must state version ${version}`);
      continue;
    }
    if (line.startsWith("## ")) {
      flush();
      blocks.push({ kind: "h2", text: line.slice(3).trim() });
    } else if (line.startsWith("- ")) {
      if (paragraph.length) flush();
      (list ??= []).push(line.slice(2).trim());
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  if (!title || !versionSeen) throw new Error("legal text: a `# title` and a version line are required");
  return { title, blocks };
}
