/** Text rules used by both sides, so a guest sees the same limit the server enforces. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Counts user-perceived characters (an emoji with modifiers counts once). */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/**
 * Counts graphemes but stops after `limit + 1`, so a 10 MB caption costs no more than a short one.
 * Inputs far longer than any legal value are rejected before segmentation.
 */
export function exceedsGraphemes(text: string, limit: number): boolean {
  // A grapheme is at most a few dozen UTF-16 units in practice; 64 per grapheme is generous.
  if (text.length > limit * 64) return true;
  if (text.length <= limit) return false;
  let n = 0;
  for (const _ of segmenter.segment(text)) {
    if (++n > limit) return true;
  }
  return false;
}

/** Trims and collapses control characters out of a single-line field. */
export function cleanLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** Keeps newlines in a caption but removes other control characters. */
export function cleanCaption(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
