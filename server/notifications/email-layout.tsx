import "server-only";
import { Body, Button, Container, Font, Head, Heading, Hr, Html, Text } from "@react-email/components";

/** A rendered body block: every string is already filled in and is put in the e-mail as text (React escapes it). */
export type EmailBlock = { kind: "paragraph"; lines: string[] } | { kind: "button"; label: string; href: string };

export interface MessageEmailProps {
  lang: string;
  /** the tenant's name, the e-mail's heading */
  heading: string;
  blocks: EmailBlock[];
  footer: string;
  /** a Noto Sans Khmer woff2 for clients that load web fonts (the app serves none at a stable URL yet; the preview inlines one) */
  fontUrl?: string;
}

export const FONT_FAMILY = "Noto Sans Khmer";
// system Khmer fonts next: Windows, Apple, Linux, before the Latin fallbacks
const FONT_STACK = `'${FONT_FAMILY}', 'Khmer UI', 'Khmer Sangam MN', 'Khmer OS System', 'Khmer OS', Arial, Helvetica, sans-serif`;

const styles = {
  body: { backgroundColor: "#f1f5f9", margin: 0, padding: "24px 0", fontFamily: FONT_STACK },
  container: { backgroundColor: "#ffffff", borderRadius: 12, margin: "0 auto", maxWidth: 560, padding: "28px 32px" },
  heading: { color: "#0f766e", fontSize: 20, fontWeight: 700, lineHeight: "28px", margin: "0 0 20px" },
  text: { color: "#0f172a", fontSize: 15, lineHeight: "26px", margin: "0 0 16px" },
  button: {
    backgroundColor: "#0f766e",
    borderRadius: 8,
    color: "#ffffff",
    display: "inline-block",
    fontSize: 15,
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
  buttonRow: { margin: "8px 0 24px" },
  hr: { borderColor: "#e2e8f0", margin: "24px 0 12px" },
  footer: { color: "#64748b", fontSize: 12, lineHeight: "20px", margin: 0 },
} as const;

/** The one e-mail frame: tenant name, paragraphs and buttons, a footer; Khmer-capable font stack. */
export function MessageEmail({ lang, heading, blocks, footer, fontUrl }: MessageEmailProps) {
  return (
    <Html lang={lang} dir="ltr">
      <Head>
        <Font
          fontFamily={FONT_FAMILY}
          fallbackFontFamily={["Arial", "Helvetica", "sans-serif"]}
          webFont={fontUrl ? { url: fontUrl, format: "woff2" } : undefined}
          fontWeight={400}
          fontStyle="normal"
        />
      </Head>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {heading}
          </Heading>
          {blocks.map((block, i) =>
            block.kind === "button" ? (
              <Text key={i} style={styles.buttonRow}>
                <Button href={block.href} style={styles.button}>
                  {block.label}
                </Button>
              </Text>
            ) : (
              <Text key={i} style={styles.text}>
                {block.lines.flatMap((line, j) => (j === 0 ? [line] : [<br key={`br-${j}`} />, line]))}
              </Text>
            ),
          )}
          <Hr style={styles.hr} />
          <Text style={styles.footer}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}
