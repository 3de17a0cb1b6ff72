import type PDFDocument from 'pdfkit';
import { textRuns, type FontWeight } from './fonts';

type Doc = InstanceType<typeof PDFDocument>;

/** A block of centred lines in one size, as fitText chose them. */
export interface FittedText {
  readonly size: number;
  readonly lines: readonly string[];
  /** Line height in points (size x LEADING). */
  readonly lineHeight: number;
  /** Even at minSize it did not fit: the last line ends in "…". */
  readonly cut: boolean;
}

export interface FitOptions {
  readonly weight: FontWeight;
  readonly maxWidth: number;
  /** Tried first, then smaller by a point at a time down to minSize. */
  readonly maxSize: number;
  readonly minSize: number;
  readonly maxLines: number;
}

const LEADING = 1.22;
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The width of text in points at a size, each run in its own font of the chain. */
export function widthOf(doc: Doc, text: string, weight: FontWeight, size: number): number {
  let width = 0;
  for (const run of textRuns(text, weight)) width += doc.font(run.font).fontSize(size).widthOfString(run.text);
  return width;
}

/**
 * The largest size at which the text fits in maxLines lines of maxWidth, broken between words (any
 * script: Chinese breaks between characters). At minSize, what still does not fit is cut with "…".
 */
export function fitText(doc: Doc, text: string, options: FitOptions): FittedText {
  const clean = text.replace(/\s+/g, ' ').trim();
  for (let size = options.maxSize; size > options.minSize; size--) {
    const lines = breakLines(doc, clean, options.weight, size, options.maxWidth);
    if (lines.length <= options.maxLines) return { size, lines, lineHeight: size * LEADING, cut: false };
  }
  const size = options.minSize;
  const lines = breakLines(doc, clean, options.weight, size, options.maxWidth);
  const kept = lines.slice(0, options.maxLines);
  const cut = lines.length > options.maxLines;
  if (cut) kept[kept.length - 1] = ellipsize(doc, `${kept.at(-1)} ${lines[options.maxLines]}`, options.weight, size, options.maxWidth);
  return { size, lines: kept, lineHeight: size * LEADING, cut };
}

/** Greedy line breaking between word segments; a word wider than a line is cut between graphemes. */
function breakLines(doc: Doc, text: string, weight: FontWeight, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (piece: string) => {
    const candidate = line + piece;
    if (line === '' || widthOf(doc, candidate.trimEnd(), weight, size) <= maxWidth) {
      line = line === '' ? piece.trimStart() : candidate;
      return;
    }
    lines.push(line.trimEnd());
    line = piece.trimStart();
  };
  for (const { segment } of words.segment(text)) {
    if (widthOf(doc, segment, weight, size) <= maxWidth) push(segment);
    else for (const { segment: g } of graphemes.segment(segment)) push(g);
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function ellipsize(doc: Doc, text: string, weight: FontWeight, size: number, maxWidth: number): string {
  const chars = Array.from(graphemes.segment(text), (s) => s.segment);
  while (chars.length > 0 && widthOf(doc, `${chars.join('').trimEnd()}…`, weight, size) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/**
 * Draws one line centred on cx with its baseline at y, run by run (each in its own font, so a title
 * in Latin and Chinese shares one baseline).
 */
export function drawCentredLine(doc: Doc, text: string, weight: FontWeight, size: number, cx: number, baseline: number, color: string): void {
  let x = cx - widthOf(doc, text, weight, size) / 2;
  doc.fillColor(color);
  for (const run of textRuns(text, weight)) {
    doc.font(run.font).fontSize(size).text(run.text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
    x += doc.widthOfString(run.text);
  }
}
