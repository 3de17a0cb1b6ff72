import PDFDocument from 'pdfkit';
import { TABLE_CARD_INVITATION, shortAddress, tableCardSheet, type TableCardRequest } from '@photobook/shared';
import { drawCentredLine, fitText, type FittedText } from './fit-text';
import { allFonts } from './fonts';
import { qrMatrix, type QrMatrix } from './qr';

type Doc = InstanceType<typeof PDFDocument>;

export interface TableCardContent {
  /** The event's title; empty: the card starts with the invitation. */
  readonly title: string;
  /** What the code opens (the upload page); the card prints its short form to type. */
  readonly uploadUrl: string;
}

const OR_TYPE = 'or open';

const PT_PER_MM = 72 / 25.4;
/** The quiet zone the QR standard asks for, in modules: blank paper round the code. */
const QUIET_MODULES = 4;
const INK = '#1a1714';
const SOFT_INK = '#4a433c';
const MUTED = '#6e665d';
const CUT_GREY = '#a8a29a';

/**
 * The cards as a PDF stream: one sheet (A4 or Letter) of identical cards, each with the event's
 * title, the QR code (vector squares from the module matrix), the invitation and the short address
 * in large type, and light cut marks between the cards. Sizes are in points and scale with the
 * card, so an A5 card is an A6 one enlarged. The caller pipes the returned document and it ends itself.
 */
export function tableCardsPdf(request: TableCardRequest, content: TableCardContent): Doc {
  const sheet = tableCardSheet(request);
  const pt = (mm: number) => mm * PT_PER_MM;
  const doc = new PDFDocument({
    size: [pt(sheet.sheetMm.width), pt(sheet.sheetMm.height)],
    margin: 0,
    info: { Title: content.title ? `Table cards: ${content.title}` : 'Table cards', Creator: 'Photobook' },
  });
  for (const font of allFonts()) doc.registerFont(font.name, font.path);
  const matrix = qrMatrix(content.uploadUrl);
  const card = { width: pt(sheet.cardMm.width), height: pt(sheet.cardMm.height) };
  for (let row = 0; row < sheet.rows; row++) {
    for (let col = 0; col < sheet.cols; col++) drawCard(doc, { x: col * card.width, y: row * card.height, ...card }, pt(sheet.qrMm), matrix, content);
  }
  drawCutMarks(doc, sheet.cols, sheet.rows, card);
  doc.end();
  return doc;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One card: title, code, invitation, "or open", address; the block centred in the card. */
function drawCard(doc: Doc, box: Box, qrSide: number, matrix: QrMatrix, content: TableCardContent): void {
  // Everything is sized for an A6 card's 105 mm width and scales with the card.
  const u = box.width / (105 * PT_PER_MM);
  const textWidth = box.width - 2 * 11 * PT_PER_MM * u;
  const quiet = (qrSide / matrix.size) * QUIET_MODULES;
  const title = content.title.trim() ? fitText(doc, content.title, { weight: 'bold', maxWidth: textWidth, maxSize: 19 * u, minSize: 11 * u, maxLines: 2 }) : null;
  const invite = fitText(doc, TABLE_CARD_INVITATION, { weight: 'regular', maxWidth: textWidth, maxSize: 12.5 * u, minSize: 9 * u, maxLines: 2 });
  const orType = 9.5 * u;
  const address = fitAddress(doc, shortAddress(content.uploadUrl), textWidth, u);

  const titleHeight = title ? title.lines.length * title.lineHeight : 0;
  const blocks = [titleHeight, quiet, qrSide, quiet, invite.lines.length * invite.lineHeight, 4 * u, orType * 1.3, address.lines.length * address.lineHeight];
  const total = blocks.reduce((a, b) => a + b, 0);
  const cx = box.x + box.width / 2;
  let y = box.y + Math.max(8 * PT_PER_MM * u, (box.height - total) / 2);

  if (title) y = drawLines(doc, title, 'bold', cx, y, INK);
  y += quiet;
  drawQr(doc, matrix, cx - qrSide / 2, y, qrSide);
  y += qrSide + quiet;
  y = drawLines(doc, invite, 'regular', cx, y, SOFT_INK);
  y += 4 * u;
  drawCentredLine(doc, OR_TYPE, 'regular', orType, cx, y + orType, MUTED);
  y += orType * 1.3;
  drawLines(doc, address, 'bold', cx, y, INK);
}

/** The address on one line if it stays large enough to read across a table, else on two. */
function fitAddress(doc: Doc, address: string, maxWidth: number, u: number): FittedText {
  const one = fitText(doc, address, { weight: 'bold', maxWidth, maxSize: 20 * u, minSize: 13 * u, maxLines: 1 });
  return one.cut ? fitText(doc, address, { weight: 'bold', maxWidth, maxSize: 17 * u, minSize: 9 * u, maxLines: 2 }) : one;
}

/** Lines from top y; returns the y below them. */
function drawLines(doc: Doc, text: FittedText, weight: 'regular' | 'bold', cx: number, top: number, color: string): number {
  let y = top;
  for (const line of text.lines) {
    // The baseline sits about 0.8 of a line down: the cap height plus half the leading.
    drawCentredLine(doc, line, weight, text.size, cx, y + text.lineHeight * 0.8, color);
    y += text.lineHeight;
  }
  return y;
}

/** Dark modules as squares, a row's neighbours merged into one rectangle, all filled as one path. */
function drawQr(doc: Doc, matrix: QrMatrix, x: number, y: number, side: number): void {
  const m = side / matrix.size;
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (!matrix.dark(row, col)) continue;
      let end = col;
      while (end + 1 < matrix.size && matrix.dark(row, end + 1)) end++;
      doc.rect(x + col * m, y + row * m, (end - col + 1) * m, m);
      col = end;
    }
  }
  doc.fillColor('#000000').fill();
}

/**
 * Short light ticks at the sheet's edges where a cut runs, and a small cross where two cuts meet:
 * enough to line a ruler up, and nothing left on a card once cut.
 */
function drawCutMarks(doc: Doc, cols: number, rows: number, card: { width: number; height: number }): void {
  const [from, to, arm] = [3, 11, 4].map((mm) => mm * PT_PER_MM) as [number, number, number];
  const width = cols * card.width;
  const height = rows * card.height;
  doc.save().lineWidth(0.5).strokeColor(CUT_GREY);
  for (let c = 1; c < cols; c++) {
    const x = c * card.width;
    doc.moveTo(x, from).lineTo(x, to).moveTo(x, height - to).lineTo(x, height - from);
  }
  for (let r = 1; r < rows; r++) {
    const y = r * card.height;
    doc.moveTo(from, y).lineTo(to, y).moveTo(width - to, y).lineTo(width - from, y);
  }
  for (let c = 1; c < cols; c++) {
    for (let r = 1; r < rows; r++) {
      const [x, y] = [c * card.width, r * card.height];
      doc.moveTo(x - arm, y).lineTo(x + arm, y).moveTo(x, y - arm).lineTo(x, y + arm);
    }
  }
  doc.stroke().restore();
}
