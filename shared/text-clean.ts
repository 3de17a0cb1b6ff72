/**
 * Cleaning of what guests and the host type (captions, names, the pause message, file names): what is
 * stored is what the screen showed, minus the invisible characters that reorder text (bidi overrides),
 * hide it (zero-width characters, stray tags: "ASCII smuggling") or break layouts (controls, Zalgo).
 * Emoji sequences and every script stay exactly as typed, after NFC.
 */

/** Real scripts stack at most 4–5 marks on a letter (Tibetan stacks reach 8); Zalgo text stacks hundreds. */
export const MAX_MARKS_IN_A_ROW = 8;

// Everything cleaning removes or turns into a space is skipped while counting a run, so marks split
// by zero-width spaces are still one run once cleaned. Linear: a scan starts only at a mark that no
// mark precedes and ends at its 9th mark or at a visible character, so each character sees at most 9.
const TOO_MANY_MARKS = new RegExp(String.raw`(?<!\p{M})\p{M}(?:[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*\p{M}){${MAX_MARKS_IN_A_ROW}}`, 'u');

/**
 * True when some character carries more than MAX_MARKS_IN_A_ROW combining marks. Cheap (one regex
 * scan, no segmentation), so it runs before cleaning and counting: NFC is quadratic in a run of marks.
 */
export function hasTooManyMarks(text: string): boolean {
  return TOO_MANY_MARKS.test(text);
}

/**
 * Removed everywhere: C0 controls but tab and line breaks, DEL, C1 controls but NEL (those become a
 * space or newline below), bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
 * ZWSP, word joiner, BOM, Mongolian vowel separator and the invisible operators U+2061–U+2064.
 * LRM, RLM and ALM stay: right-to-left writers use them to place punctuation.
 */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u180e\u2061-\u2064]/gu;

// A subdivision flag (England: U+1F3F4, "gbeng" in tag letters, CANCEL TAG) is the one use of tags;
// its code is at most 7 tag letters or digits, so nothing longer can ride along. Any other tag goes.
const TAGS = /(\u{1F3F4}(?:[\u{E0061}-\u{E007A}]{2}|[\u{E0030}-\u{E0039}]{3})[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,4}\u{E007F})|[\u{E0001}\u{E0020}-\u{E007F}]/gu;

/** Scripts whose letters join or form conjuncts, so ZWJ and ZWNJ between them change how a word looks. */
const JOINING_SCRIPTS = [
  'Arabic', 'Syriac', 'Nko', 'Mongolian', 'Adlam', 'Hanifi_Rohingya', 'Devanagari', 'Bengali', 'Gurmukhi',
  'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Tibetan', 'Myanmar', 'Khmer',
  'Balinese', 'Javanese', 'Newa', 'Tirhuta', 'Grantha', 'Chakma', 'Sundanese', 'Tai_Tham',
] as const;

const JOINING = `[${JOINING_SCRIPTS.map((s) => String.raw`\p{scx=${s}}`).join('')}]`;
// Two lookbehinds (or lookaheads) at one spot test the same character: a letter or mark, of such a script.
const JOINING_BEFORE = new RegExp(String.raw`(?<=[\p{L}\p{M}])(?<=${JOINING})$`, 'u');
const JOINING_AFTER = new RegExp(String.raw`^(?=[\p{L}\p{M}])(?=${JOINING})`, 'u');
// GB11: a ZWJ glues two pictographs into one emoji (👩‍👧, 🏳️‍🌈, 👨🏽‍⚕️); VS16 or a skin tone may sit between.
const EMOJI_BEFORE = /\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

function keepsJoiner(joiner: string, before: string, after: string): boolean {
  if (joiner === '\u200d' && EMOJI_BEFORE.test(before) && EMOJI_AFTER.test(after)) return true;
  // After a letter or mark of a joining script a joiner may also end a word (Malayalam chillu: അവന്‍).
  return JOINING_BEFORE.test(before) && (JOINING_AFTER.test(after) || !/^[\p{L}\p{M}]/u.test(after));
}

/** ZWJ and ZWNJ stay only inside emoji sequences and between letters of joining scripts (می‌خواهم, क्‍ष). */
function dropStrayJoiners(text: string): string {
  // Four UTF-16 units before cover a pictograph and its skin tone; two after cover one code point.
  return text.replace(/[\u200c\u200d]/gu, (joiner, at: number) =>
    keepsJoiner(joiner, text.slice(Math.max(0, at - 4), at), text.slice(at + 1, at + 3)) ? joiner : '',
  );
}

/** The removals every field shares, in an order where each step sees its neighbours already cleaned. */
function stripInvisible(text: string): string {
  return dropStrayJoiners(text.replace(INVISIBLE, '').replace(TAGS, (_, flag?: string) => flag ?? ''));
}

/**
 * One clean line: invisible characters removed, line breaks and tabs (also NEL, U+2028, U+2029) turned
 * into one space so words stay apart, NFC, trimmed. Check hasTooManyMarks first (see there).
 */
export function cleanLine(text: string): string {
  return stripInvisible(text)
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/gu, ' ')
    .normalize('NFC')
    .trim();
}

/**
 * A caption keeps its newlines (\r\n and \r become \n, at most one blank line in a row); other breaks
 * and tabs become a space. Check hasTooManyMarks first (see there).
 */
export function cleanCaption(text: string): string {
  return stripInvisible(text)
    .replace(/\r\n?/gu, '\n')
    .replace(/[\t\v\f\u0085\u2028\u2029]+/gu, ' ')
    .normalize('NFC')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}
