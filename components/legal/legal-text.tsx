import type { ReactNode } from "react";
import type { LegalBlock } from "@/lib/legal-text";

/** `**bold**` spans of a legal text's line. */
function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*)/).map((part, i) =>
    part.startsWith("**") && part.endsWith("**") ? (
      <strong key={i} className="font-semibold text-slate-900">
        {part.slice(2, -2)}
      </strong>
    ) : (
      part
    ),
  );
}

/** The body of the terms of service or the privacy notice (docs/legal/, server/auth/legal-documents.ts). */
export function LegalTextBody({ blocks }: { blocks: LegalBlock[] }) {
  return (
    <div className="space-y-3 text-base leading-relaxed text-slate-700">
      {blocks.map((block, i) =>
        block.kind === "h2" ? (
          <h2 key={i} className="pt-3 text-lg font-semibold text-slate-900">
            {block.text}
          </h2>
        ) : block.kind === "ul" ? (
          <ul key={i} className="list-disc space-y-1 pl-6">
            {block.items.map((item, j) => (
              <li key={j}>{inline(item)}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>{inline(block.text)}</p>
        ),
      )}
    </div>
  );
}
