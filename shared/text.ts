/**
 * Text rules used by both sides, so a guest sees the same limit the server enforces.
 * Cleaning (what is removed before counting and storing) is in text-clean.ts.
 */

/** A grapheme is at most a few dozen UTF-16 units in practice (👨🏽‍👩🏽‍👧🏽‍👦🏽 is 19); 64 is generous. */
export const MAX_UNITS_PER_GRAPHEME = 64;

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
  if (text.length > limit * MAX_UNITS_PER_GRAPHEME) return true;
  if (text.length <= limit) return false;
  let n = 0;
  for (const _ of segmenter.segment(text)) {
    if (++n > limit) return true;
  }
  return false;
}
