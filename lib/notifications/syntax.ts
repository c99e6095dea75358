// The template language, parsed once and shared by the editor (inline errors) and the server
// (validation on save, rendering): plain text with `{{variable}}`, a blank line = new paragraph,
// a line that is only `[Label](url)` = a button. Variables are filled in only AFTER the structure
// is parsed, so a value can never turn into a button, a paragraph break or markup.

export type Segment = { kind: "text"; value: string } | { kind: "var"; name: string };

export type Block = { kind: "paragraph"; lines: Segment[][] } | { kind: "button"; label: Segment[]; url: Segment[]; raw: string };

export interface SyntaxProblem {
  field: "subject" | "body";
  /** character offset in the field */
  index: number;
  /** a few characters from the offset, to show the user where */
  near: string;
}

/** A secret variable used somewhere other than as the whole address of a button line. */
export interface MisplacedSecret {
  field: "subject" | "body";
  variable: string;
}

export interface TemplateCheck {
  ok: boolean;
  /** `{{names}}` the key does not declare, in order of first use */
  unknown: string[];
  /** `{{` or `}}` that do not form a `{{name}}` */
  malformed: SyntaxProblem[];
  /** secret variables outside a button's address (subject first, one entry per field and variable) */
  misplaced: MisplacedSecret[];
}

const VARIABLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
const BUTTON_LINE = /^\[([^[\]\n]+)\]\(\s*([^()\s]+)\s*\)$/;

export function tokenize(source: string): { segments: Segment[]; malformed: Array<{ index: number; near: string }> } {
  const segments: Segment[] = [];
  const malformed: Array<{ index: number; near: string }> = [];
  let text = "";
  let i = 0;
  const braces = /\{\{|\}\}/g;
  for (let m = braces.exec(source); m; m = braces.exec(source)) {
    text += source.slice(i, m.index);
    const variable = m[0] === "{{" ? VARIABLE.exec(source.slice(m.index)) : null;
    if (variable) {
      if (text) segments.push({ kind: "text", value: text });
      text = "";
      segments.push({ kind: "var", name: variable[1]! });
      i = m.index + variable[0].length;
    } else {
      malformed.push({ index: m.index, near: source.slice(m.index, m.index + 24) });
      text += m[0];
      i = m.index + 2;
    }
    braces.lastIndex = i;
  }
  text += source.slice(i);
  if (text) segments.push({ kind: "text", value: text });
  return { segments, malformed };
}

/** The variables a text uses, in order of first use. */
export function usedVariables(source: string): string[] {
  const names: string[] = [];
  for (const s of tokenize(source).segments) if (s.kind === "var" && !names.includes(s.name)) names.push(s.name);
  return names;
}

/**
 * Unknown variables, broken braces and misplaced secrets in a subject + body, against a key's
 * declared variables and its secret ones (which may only be the whole address of a button line).
 */
export function checkTemplate(
  variables: readonly string[],
  template: { subject: string; body: string },
  secrets: readonly string[] = [],
): TemplateCheck {
  const unknown: string[] = [];
  const malformed: SyntaxProblem[] = [];
  for (const field of ["subject", "body"] as const) {
    const { segments, malformed: bad } = tokenize(template[field]);
    for (const s of segments) if (s.kind === "var" && !variables.includes(s.name) && !unknown.includes(s.name)) unknown.push(s.name);
    for (const b of bad) malformed.push({ field, ...b });
  }
  const misplaced = misplacedSecrets(template, secrets);
  return { ok: unknown.length === 0 && malformed.length === 0 && misplaced.length === 0, unknown, malformed, misplaced };
}

/** A button's address that is exactly one variable (`[Label]({{link}})`): its name, else null. */
export function soleVariable(url: Segment[]): string | null {
  const [only, ...rest] = url;
  return only?.kind === "var" && rest.length === 0 ? only.name : null;
}

/** Secret variables used anywhere but as the whole address of a button line of the body. */
export function misplacedSecrets(template: { subject: string; body: string }, secrets: readonly string[]): MisplacedSecret[] {
  if (secrets.length === 0) return [];
  const out: MisplacedSecret[] = [];
  const note = (field: MisplacedSecret["field"], segments: Segment[]) => {
    for (const s of segments) {
      if (s.kind === "var" && secrets.includes(s.name) && !out.some((m) => m.field === field && m.variable === s.name)) {
        out.push({ field, variable: s.name });
      }
    }
  };
  note("subject", tokenize(template.subject).segments);
  for (const block of parseBody(template.body)) {
    if (block.kind === "paragraph") {
      for (const line of block.lines) note("body", line);
    } else {
      note("body", block.label);
      if (soleVariable(block.url) === null) note("body", block.url);
    }
  }
  return out;
}

/** Paragraphs (blank-line separated, single newlines kept as line breaks) and button lines. */
export function parseBody(body: string): Block[] {
  const blocks: Block[] = [];
  const chunks = body.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/);
  for (const chunk of chunks) {
    let lines: Segment[][] = [];
    const flush = () => {
      if (lines.length > 0) blocks.push({ kind: "paragraph", lines });
      lines = [];
    };
    for (const rawLine of chunk.split("\n")) {
      const line = rawLine.trim();
      if (!line) continue;
      const button = BUTTON_LINE.exec(line);
      if (button) {
        flush();
        blocks.push({ kind: "button", label: tokenize(button[1]!.trim()).segments, url: tokenize(button[2]!).segments, raw: line });
      } else {
        lines.push(tokenize(line).segments);
      }
    }
    flush();
  }
  return blocks;
}

/** Fills a parsed text; `value` decides what a variable becomes (unknown ones stay visible as `{{name}}`). */
export function fill(segments: Segment[], value: (name: string) => string | undefined): string {
  return segments.map((s) => (s.kind === "text" ? s.value : (value(s.name) ?? `{{${s.name}}}`))).join("");
}

/** Only absolute http(s) addresses become buttons. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
