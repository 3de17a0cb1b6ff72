/**
 * Lines of text in several fonts (a caption in Latin with a Chinese name, say), broken to a width
 * and cut to a number of lines with an ellipsis. The PDF writer measures; this decides. Each line is
 * laid out whole before it is drawn, so a centred line is centred as one, whatever its fonts.
 */
import { textRuns, type FontWeight } from './fonts';

/** The width of `text` in the registered font `font` (the document's own metrics). */
export type Measure = (font: string, text: string) => number;

export interface Piece {
  readonly font: string;
  readonly text: string;
  readonly width: number;
}

export interface Line {
  readonly pieces: readonly Piece[];
  readonly width: number;
}

interface Unit {
  readonly font: string;
  /** What is drawn, spaces after it included. */
  readonly text: string;
  /** Its width without those spaces (what counts at the end of a line). */
  readonly inked: number;
  readonly width: number;
}

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Scripts written without spaces between words break between any two characters. */
const NO_SPACES = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

function unitsOf(text: string, weight: FontWeight, measure: Measure): Unit[] {
  const units: Unit[] = [];
  const push = (font: string, word: string) => {
    const inked = word.trimEnd();
    units.push({ font, text: word, inked: measure(font, inked), width: measure(font, word) });
  };
  for (const run of textRuns(text, weight)) {
    // A word with the spaces after it; characters of spaceless scripts are words of their own.
    for (const word of run.text.match(/\S+\s*|\s+/gu) ?? []) {
      if (!NO_SPACES.test(word)) push(run.font, word);
      else for (const { segment } of graphemes.segment(word)) push(run.font, segment);
    }
  }
  return units;
}

/** A word wider than the line is cut between its characters. */
function splitWide(unit: Unit, maxWidth: number, measure: Measure): Unit[] {
  if (unit.inked <= maxWidth) return [unit];
  const parts: Unit[] = [];
  let current = '';
  for (const { segment } of graphemes.segment(unit.text)) {
    if (current && measure(unit.font, current + segment) > maxWidth) {
      parts.push({ font: unit.font, text: current, inked: measure(unit.font, current), width: measure(unit.font, current) });
      current = '';
    }
    current += segment;
  }
  if (current) parts.push({ font: unit.font, text: current, inked: measure(unit.font, current.trimEnd()), width: measure(unit.font, current) });
  return parts;
}

function lineOf(units: readonly Unit[]): Line {
  const pieces: Piece[] = [];
  units.forEach((unit, i) => {
    const last = pieces.at(-1);
    const text = i === units.length - 1 ? unit.text.trimEnd() : unit.text;
    const width = i === units.length - 1 ? unit.inked : unit.width;
    if (last?.font === unit.font) pieces[pieces.length - 1] = { font: unit.font, text: last.text + text, width: last.width + width };
    else pieces.push({ font: unit.font, text, width });
  });
  return { pieces: pieces.filter((p) => p.text !== ''), width: pieces.reduce((sum, p) => sum + p.width, 0) };
}

/** The last line shortened until an ellipsis fits after it. */
function withEllipsis(units: Unit[], maxWidth: number, weight: FontWeight, measure: Measure): Line {
  const font = textRuns(ELLIPSIS, weight)[0]!.font;
  const mark: Unit = { font, text: ELLIPSIS, inked: measure(font, ELLIPSIS), width: measure(font, ELLIPSIS) };
  const kept = [...units];
  const fits = () => kept.slice(0, -1).reduce((sum, u) => sum + u.width, 0) + (kept.at(-1)?.inked ?? 0) + mark.width <= maxWidth;
  while (kept.length > 0 && !fits()) kept.pop();
  const last = kept.pop();
  if (last) kept.push({ ...last, text: last.text.trimEnd(), width: last.inked });
  return lineOf([...kept, mark]);
}

/**
 * Breaks `text` (line breaks in it kept) into at most `maxLines` lines of at most `maxWidth`;
 * text left over ends the last line with an ellipsis.
 */
export function breakLines(text: string, weight: FontWeight, maxWidth: number, maxLines: number, measure: Measure): Line[] {
  const lines: Line[] = [];
  const paragraphs = text.split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== '');
  for (const [p, paragraph] of paragraphs.entries()) {
    const units = unitsOf(paragraph, weight, measure).flatMap((u) => splitWide(u, maxWidth, measure));
    let current: Unit[] = [];
    let width = 0;
    for (const [i, unit] of units.entries()) {
      if (current.length > 0 && width + unit.inked > maxWidth) {
        if (lines.length === maxLines - 1) {
          lines.push(withEllipsis(current, maxWidth, weight, measure));
          return lines;
        }
        lines.push(lineOf(current));
        current = [];
        width = 0;
      }
      current.push(unit);
      width += unit.width;
      if (i === units.length - 1 && lines.length === maxLines - 1 && p < paragraphs.length - 1) {
        lines.push(withEllipsis(current, maxWidth, weight, measure));
        return lines;
      }
    }
    if (current.length > 0) lines.push(lineOf(current));
    if (lines.length >= maxLines) return lines;
  }
  return lines;
}
