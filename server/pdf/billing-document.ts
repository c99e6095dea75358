import "server-only";
import PDFDocument from "pdfkit";
import { logger } from "@/server/core/observability/logger";
import { blockHeight, drawAligned, drawLine, lineHeight, textBlock, TEXT_COLOR, wrapText, type Doc, type TextStyle } from "./khmer-text";

// Invoice/receipt PDFs (subscription and rent invoices alike): an A4 layout of labels and values
// the caller has already translated and formatted. Every string goes through Noto Sans Khmer
// (./fonts.ts), picked per character so mixed Khmer/English text renders; pdfkit shapes through
// fontkit (OpenType GSUB/GPOS), so coeng subscripts and vowel signs are substituted glyphs, not code
// points; wrapping knows Khmer words (./khmer-text.ts).

export interface BillingDocument {
  kind: "invoice" | "receipt";
  locale: "en" | "km";
  /** all visible labels, already translated by the caller (the renderer has no i18n) */
  labels: {
    title: string;
    number: string;
    issued: string;
    due: string;
    paid: string;
    billTo: string;
    description: string;
    amount: string;
    total: string;
    status: string;
    method: string;
    reference: string;
    period: string;
  };
  issuer: { name: string; lines: string[]; logoPng?: Buffer | null };
  billTo: { name: string; lines: string[] };
  number: string;
  issuedAt: string; // already formatted by the caller
  dueAt?: string | null;
  paidAt?: string | null;
  period?: string | null;
  statusText: string;
  lines: Array<{ description: string; amount: string /* formatted money */ }>;
  total: string;
  /** a small line under the total: the other currency's value (docs/CURRENCY.md) */
  totalNote?: string | null;
  payment?: { method: string; reference?: string | null } | null;
  /** more label/value rows of the status panel (a receipt: the invoice it paid, the balance after it) */
  summary?: Array<[string, string]> | null;
  /** how to pay an open invoice: its KHQR, the pay link as a QR code, the workspace's own instructions */
  howToPay?: HowToPay | null;
  footer?: string | null;
}

export interface HowToPay {
  title: string;
  /** PNG of a QR code with its caption lines (already translated) */
  codes: Array<{ png: Buffer; caption: string[] }>;
  /** the workspace's cash and bank-transfer instructions, label/value rows */
  instructions?: { title: string; rows: Array<[string, string]> } | null;
}

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 50;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const RIGHT = PAGE.width - MARGIN;
const FOOTER_TOP = PAGE.height - MARGIN - 16; // the footer sits in the bottom margin band
const CONTENT_BOTTOM = FOOTER_TOP - 14;
const AMOUNT_WIDTH = 140;
const CELL_PAD = 6;
const COLORS = {
  text: TEXT_COLOR,
  muted: "#6b7280",
  rule: "#e5e7eb",
  headerFill: "#f3f4f6",
  panelFill: "#f9fafb",
  invoice: "#1e3a8a",
  receipt: "#047857",
};

/** a label/value list laid out as two columns; returns the y below it */
function metaRows(doc: Doc, rows: Array<[string, string]>, x: number, y: number, width: number): number {
  const labelWidth = width * 0.42;
  const valueWidth = width - labelWidth - 8;
  let cy = y;
  for (const [label, value] of rows) {
    const a = textBlock(doc, label, x, cy, labelWidth, { size: 9, color: COLORS.muted });
    const b = textBlock(doc, value, x + labelWidth + 8, cy, valueWidth, { size: 9.5 }, "right");
    cy = Math.max(a, b) + 2;
  }
  return cy;
}

/**
 * The largest logo embedded. Callers pass the upload's bounded PNG (server/files/logo.ts: at most
 * 512 px); anything declaring more (a decompression bomb) is refused from its header, before pdfkit
 * would copy or decode its pixel data.
 */
const MAX_LOGO_SIDE = 2048;

/** width and height from a PNG's IHDR chunk */
function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString("latin1", 12, 16) !== "IHDR")
    throw new Error("logo is not a PNG");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (!width || !height) throw new Error("logo has no size");
  if (width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE) throw new Error(`logo declares ${width} × ${height} pixels`);
  return { width, height };
}

function header(doc: Doc, input: BillingDocument, accent: string): number {
  const leftWidth = CONTENT_WIDTH * 0.5;
  const rightX = MARGIN + CONTENT_WIDTH * 0.55;
  const rightWidth = RIGHT - rightX;

  // issuer, top left
  let left = MARGIN;
  const logo = input.issuer.logoPng;
  if (logo && logo.length > 0) {
    try {
      const size = pngSize(logo);
      const scale = Math.min(140 / size.width, 52 / size.height, 1);
      doc.image(logo, MARGIN, left, { width: size.width * scale, height: size.height * scale });
      left += size.height * scale + 10;
    } catch (error) {
      // a broken logo must not block the invoice itself
      logger.warn({ err: error, number: input.number }, "billing pdf: logo could not be embedded");
    }
  }
  left = textBlock(doc, input.issuer.name, MARGIN, left, leftWidth, { size: 13, bold: true });
  for (const line of input.issuer.lines) {
    left = textBlock(doc, line, MARGIN, left, leftWidth, { size: 9, color: COLORS.muted });
  }

  // title and number, top right
  let right = textBlock(doc, input.labels.title, rightX, MARGIN - 4, rightWidth, { size: 22, bold: true, color: accent }, "right");
  right += 4;
  const rows: Array<[string, string]> = [
    [input.labels.number, input.number],
    [input.labels.issued, input.issuedAt],
  ];
  if (input.dueAt) rows.push([input.labels.due, input.dueAt]);
  if (input.paidAt) rows.push([input.labels.paid, input.paidAt]);
  if (input.period) rows.push([input.labels.period, input.period]);
  right = metaRows(doc, rows, rightX, right, rightWidth);

  let y = Math.max(left, right) + 18;
  doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(1).strokeColor(accent).stroke();
  y += 14;

  // bill to
  y = textBlock(doc, input.labels.billTo, MARGIN, y, leftWidth, { size: 9, bold: true, color: COLORS.muted });
  y = textBlock(doc, input.billTo.name, MARGIN, y, leftWidth, { size: 11, bold: true });
  for (const line of input.billTo.lines) {
    y = textBlock(doc, line, MARGIN, y, leftWidth, { size: 9.5, color: COLORS.muted });
  }
  return y + 20;
}

function tableHeader(doc: Doc, input: BillingDocument, y: number): number {
  const style: TextStyle = { size: 9, bold: true, color: COLORS.muted };
  const descWidth = CONTENT_WIDTH - AMOUNT_WIDTH - 3 * CELL_PAD;
  const height =
    Math.max(blockHeight(doc, input.labels.description, descWidth, style), blockHeight(doc, input.labels.amount, AMOUNT_WIDTH, style)) +
    2 * CELL_PAD;
  doc.rect(MARGIN, y, CONTENT_WIDTH, height).fillColor(COLORS.headerFill).fill();
  textBlock(doc, input.labels.description, MARGIN + CELL_PAD, y + CELL_PAD, descWidth, style);
  textBlock(doc, input.labels.amount, RIGHT - CELL_PAD - AMOUNT_WIDTH, y + CELL_PAD, AMOUNT_WIDTH, style, "right");
  return y + height;
}

function table(doc: Doc, input: BillingDocument, startY: number): number {
  const style: TextStyle = { size: 10 };
  const lh = lineHeight(style.size);
  const descX = MARGIN + CELL_PAD;
  const descWidth = CONTENT_WIDTH - AMOUNT_WIDTH - 3 * CELL_PAD;
  const amountX = RIGHT - CELL_PAD - AMOUNT_WIDTH;

  const newPage = () => {
    doc.addPage();
    return tableHeader(doc, input, MARGIN);
  };
  let y = startY + lh * 2 > CONTENT_BOTTOM ? newPage() : tableHeader(doc, input, startY);

  for (const line of input.lines) {
    const desc = wrapText(line.description, descWidth, style);
    const amount = wrapText(line.amount, AMOUNT_WIDTH, style);
    const rows = Math.max(desc.length, amount.length);
    const height = rows * lh + 2 * CELL_PAD;
    // keep a row on one page when it fits on one; a row taller than a page flows over
    if (y + height > CONTENT_BOTTOM && height <= CONTENT_BOTTOM - MARGIN - 40) y = newPage();
    y += CELL_PAD;
    for (let i = 0; i < rows; i++) {
      if (y + lh > CONTENT_BOTTOM) y = newPage() + CELL_PAD;
      const d = desc[i];
      const a = amount[i];
      if (d) drawLine(doc, d, descX, y, style);
      if (a) drawAligned(doc, a, amountX, y, AMOUNT_WIDTH, style, "right");
      y += lh;
    }
    y += CELL_PAD;
    doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  }
  return y;
}

/** starts a new page when `height` does not fit below y */
function reserve(doc: Doc, y: number, height: number): number {
  if (y + height <= CONTENT_BOTTOM) return y;
  doc.addPage();
  return MARGIN;
}

function totals(doc: Doc, input: BillingDocument, y: number, accent: string): number {
  const labelStyle: TextStyle = { size: 11, bold: true };
  const valueStyle: TextStyle = { size: 13, bold: true, color: accent };
  const labelWidth = 140;
  const x = RIGHT - CELL_PAD - AMOUNT_WIDTH - CELL_PAD - labelWidth;
  const height =
    Math.max(blockHeight(doc, input.labels.total, labelWidth, labelStyle), blockHeight(doc, input.total, AMOUNT_WIDTH, valueStyle)) + 12;
  let cy = reserve(doc, y + 8, height + 8);
  doc.moveTo(x, cy).lineTo(RIGHT, cy).lineWidth(1.2).strokeColor(COLORS.text).stroke();
  cy += 8;
  textBlock(doc, input.labels.total, x, cy + 2, labelWidth, labelStyle, "right");
  textBlock(doc, input.total, RIGHT - CELL_PAD - AMOUNT_WIDTH, cy, AMOUNT_WIDTH, valueStyle, "right");
  if (!input.totalNote) return cy + height;
  const noteStyle: TextStyle = { size: 9, color: COLORS.muted };
  const noteWidth = RIGHT - x;
  const noteY = reserve(doc, cy + height, blockHeight(doc, input.totalNote, noteWidth, noteStyle) + 4);
  textBlock(doc, input.totalNote, x, noteY, noteWidth, noteStyle, "right");
  return noteY + blockHeight(doc, input.totalNote, noteWidth, noteStyle) + 4;
}

function paymentPanel(doc: Doc, input: BillingDocument, y: number, accent: string): number {
  const rows: Array<[string, string]> = [[input.labels.status, input.statusText]];
  if (input.payment?.method) rows.push([input.labels.method, input.payment.method]);
  if (input.payment?.reference) rows.push([input.labels.reference, input.payment.reference]);
  for (const row of input.summary ?? []) rows.push(row);

  const width = CONTENT_WIDTH * 0.55;
  const inner = width - 24;
  const labelWidth = inner * 0.38;
  const valueWidth = inner - labelWidth - 8;
  const labelStyle: TextStyle = { size: 9, color: COLORS.muted };
  const valueStyle: TextStyle = { size: 10, bold: true };
  const heights = rows.map(([label, value], i) =>
    Math.max(
      blockHeight(doc, label, labelWidth, labelStyle),
      blockHeight(doc, value, valueWidth, i === 0 ? { ...valueStyle, color: accent } : valueStyle),
    ),
  );
  const height = heights.reduce((sum, h) => sum + h + 2, 0) + 20;

  const top = reserve(doc, y + 24, height);
  doc.rect(MARGIN, top, width, height).fillColor(COLORS.panelFill).fill();
  doc.rect(MARGIN, top, 3, height).fillColor(accent).fill();
  let cy = top + 10;
  rows.forEach(([label, value], i) => {
    textBlock(doc, label, MARGIN + 14, cy, labelWidth, labelStyle);
    textBlock(doc, value, MARGIN + 14 + labelWidth + 8, cy, valueWidth, i === 0 ? { ...valueStyle, color: accent } : valueStyle);
    cy += (heights[i] ?? 0) + 2;
  });
  return top + height;
}

const QR_SIDE = 118;

/** the "how to pay" block: QR codes side by side with their captions, then the instructions */
function howToPay(doc: Doc, block: HowToPay, y: number, accent: string): number {
  const captionStyle: TextStyle = { size: 8.5, color: COLORS.muted };
  const captionHeight = Math.max(
    0,
    ...block.codes.map((c) => c.caption.reduce((h, line) => h + blockHeight(doc, line, QR_SIDE + 30, captionStyle), 0)),
  );
  const codesHeight = block.codes.length > 0 ? QR_SIDE + 6 + captionHeight : 0;
  const rows = block.instructions?.rows ?? [];
  const instrX = MARGIN + block.codes.length * (QR_SIDE + 42);
  const instrWidth = RIGHT - instrX;
  const labelWidth = instrWidth * 0.42;
  const valueWidth = instrWidth - labelWidth - 8;
  const labelStyle: TextStyle = { size: 9, color: COLORS.muted };
  const valueStyle: TextStyle = { size: 10, bold: true };
  const instrHeight = block.instructions
    ? blockHeight(doc, block.instructions.title, instrWidth, { size: 10, bold: true }) +
      4 +
      rows.reduce(
        (h, [l, v]) => h + Math.max(blockHeight(doc, l, labelWidth, labelStyle), blockHeight(doc, v, valueWidth, valueStyle)) + 2,
        0,
      )
    : 0;
  const titleStyle: TextStyle = { size: 11, bold: true, color: accent };
  const height = blockHeight(doc, block.title, CONTENT_WIDTH, titleStyle) + 8 + Math.max(codesHeight, instrHeight);
  let top = reserve(doc, y + 24, height);
  top = textBlock(doc, block.title, MARGIN, top, CONTENT_WIDTH, titleStyle) + 8;

  block.codes.forEach((code, i) => {
    const x = MARGIN + i * (QR_SIDE + 42);
    doc.image(code.png, x, top, { width: QR_SIDE, height: QR_SIDE });
    let cy = top + QR_SIDE + 6;
    for (const line of code.caption) cy = textBlock(doc, line, x, cy, QR_SIDE + 30, captionStyle);
  });
  if (block.instructions) {
    let cy = textBlock(doc, block.instructions.title, instrX, top, instrWidth, { size: 10, bold: true });
    cy += 4;
    for (const [label, value] of rows) {
      const a = textBlock(doc, label, instrX, cy, labelWidth, labelStyle);
      const b = textBlock(doc, value, instrX + labelWidth + 8, cy, valueWidth, valueStyle);
      cy = Math.max(a, b) + 2;
    }
  }
  return top + Math.max(codesHeight, instrHeight);
}

function footers(doc: Doc, input: BillingDocument): void {
  const range = doc.bufferedPageRange();
  const pageStyle: TextStyle = { size: 8, color: COLORS.muted };
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .moveTo(MARGIN, FOOTER_TOP - 6)
      .lineTo(RIGHT, FOOTER_TOP - 6)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    const pageText = `${input.number}  |  ${i - range.start + 1} / ${range.count}`;
    const pageWidth = 140;
    drawAligned(doc, pageText, RIGHT - pageWidth, FOOTER_TOP, pageWidth, pageStyle, "right");
    if (input.footer) {
      // two lines at most: the footer band is fixed
      const lines = wrapText(input.footer, CONTENT_WIDTH - pageWidth - 12, pageStyle).slice(0, 2);
      lines.forEach((line, n) => drawLine(doc, line, MARGIN, FOOTER_TOP + n * lineHeight(pageStyle.size), pageStyle));
    }
  }
}

/** renders an invoice or receipt as an A4 PDF */
export async function renderBillingPdf(input: BillingDocument): Promise<Buffer> {
  const accent = input.kind === "receipt" ? COLORS.receipt : COLORS.invoice;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: input.locale === "km" ? "km-KH" : "en",
    displayTitle: true,
    info: {
      Title: input.number,
      Subject: input.labels.title,
      Author: input.issuer.name,
      Creator: "Phteah",
      Producer: "Phteah",
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  let y = header(doc, input, accent);
  y = table(doc, input, y);
  y = totals(doc, input, y, accent);
  y = paymentPanel(doc, input, y, accent);
  if (input.howToPay) howToPay(doc, input.howToPay, y, accent);
  footers(doc, input);

  doc.end();
  return done;
}
