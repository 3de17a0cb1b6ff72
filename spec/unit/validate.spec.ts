import {
  ErrorCode,
  MAX_AUTHOR_GRAPHEMES,
  MAX_CAPTION_GRAPHEMES,
  MAX_FILE_NAME_LENGTH,
  MAX_PAUSE_MESSAGE_GRAPHEMES,
  countGraphemes,
  validateAuthor,
  validateBeginRequest,
  validateCaption,
  validatePauseMessage,
  validateWallJoin,
  validateUploadRef,
} from '@photobook/shared';

const valid = {
  clientUploadId: 'abcDEF123_-x',
  name: 'IMG_1.jpg',
  size: 1000,
  type: 'image/jpeg',
  caption: 'Cheers!',
  author: 'Ana',
};

function codeOf(input: unknown, max = 10_000): string | null {
  const result = validateBeginRequest(input, max);
  return result.ok ? null : result.error.code;
}

describe('upload request validation (shared by client and server)', () => {
  it('accepts a well-formed request and cleans and trims the text fields', () => {
    const result = validateBeginRequest(
      { ...valid, caption: '  hi \u0007 there  ', author: ' Ana\n', name: 'IMG\u202E_1.jpg' },
      10_000,
    );
    expect(result).toEqual({ ok: true, value: { ...valid, caption: 'hi  there', author: 'Ana', name: 'IMG_1.jpg' } });
  });

  it('refuses a missing or non-object request', () => {
    expect(codeOf(null)).toBe(ErrorCode.BadRequest);
    expect(codeOf('begin')).toBe(ErrorCode.BadRequest);
    expect(codeOf([valid])).toBe(ErrorCode.BadRequest);
  });

  it('refuses ids that carry query operators or objects', () => {
    expect(codeOf({ ...valid, clientUploadId: { $ne: null } })).toBe(ErrorCode.BadRequest);
    expect(codeOf({ ...valid, clientUploadId: '$where:1==1' })).toBe(ErrorCode.BadRequest);
    expect(validateUploadRef({ uploadId: { $gt: '' } }).ok).toBeFalse();
    expect(validateUploadRef({ uploadId: 'short' }).ok).toBeFalse();
  });

  it('refuses sizes that are not whole positive numbers, with EMPTY_FILE and TOO_LARGE where they apply', () => {
    expect(codeOf({ ...valid, size: '1000' })).toBe(ErrorCode.BadRequest);
    expect(codeOf({ ...valid, size: 1.5 })).toBe(ErrorCode.BadRequest);
    expect(codeOf({ ...valid, size: -1 })).toBe(ErrorCode.BadRequest);
    expect(codeOf({ ...valid, size: 0 })).toBe(ErrorCode.EmptyFile);
    expect(codeOf({ ...valid, size: 10_001 })).toBe(ErrorCode.TooLarge);
  });

  it('counts caption length in graphemes, so emoji count once', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(countGraphemes(family)).toBe(1);
    expect(codeOf({ ...valid, caption: family.repeat(MAX_CAPTION_GRAPHEMES) })).toBeNull();
    expect(codeOf({ ...valid, caption: 'a'.repeat(MAX_CAPTION_GRAPHEMES + 1) })).toBe(ErrorCode.CaptionTooLong);
  });

  it('refuses a 10 MB caption quickly and a caption that is an object', () => {
    const started = Date.now();
    expect(codeOf({ ...valid, caption: 'x'.repeat(10 * 1024 * 1024) })).toBe(ErrorCode.CaptionTooLong);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(codeOf({ ...valid, caption: { toString: 'x' } })).toBe(ErrorCode.BadRequest);
  });

  it('limits the author name', () => {
    expect(codeOf({ ...valid, author: 'b'.repeat(MAX_AUTHOR_GRAPHEMES + 1) })).toBe(ErrorCode.AuthorTooLong);
    expect(codeOf({ ...valid, author: 42 })).toBe(ErrorCode.BadRequest);
  });

  it('accepts a null or whole-number sinceSeq only, and a snapshot limit from 1 to 200', () => {
    expect(validateWallJoin({ sinceSeq: null })).toEqual({ ok: true, value: { sinceSeq: null, limit: 200 } });
    expect(validateWallJoin({ sinceSeq: 7 })).toEqual({ ok: true, value: { sinceSeq: 7, limit: 200 } });
    expect(validateWallJoin({ sinceSeq: null, limit: 60 })).toEqual({ ok: true, value: { sinceSeq: null, limit: 60 } });
    expect(validateWallJoin({ sinceSeq: { $gt: 0 } }).ok).toBeFalse();
    expect(validateWallJoin(undefined).ok).toBeFalse();
    for (const limit of [0, 201, 2.5, '60']) expect(validateWallJoin({ sinceSeq: null, limit }).ok).withContext(String(limit)).toBeFalse();
  });
});

describe('text field validation: combining marks, cleaning and limits', () => {
  const zalgo = (marks: number) => `Z${'\u0301\u0316\u0489'.repeat(Math.ceil(marks / 3)).slice(0, marks)}`;
  const errorOf = (result: { ok: boolean; error?: { code: string; message: string } }) => (result.ok ? null : result.error);

  it('refuses Zalgo text in every text field with TOO_MANY_MARKS and a message naming the field', () => {
    expect(errorOf(validateCaption(zalgo(20)))).toEqual({ code: ErrorCode.TooManyMarks, message: jasmine.stringContaining('caption') });
    expect(errorOf(validateAuthor(zalgo(20)))).toEqual({ code: ErrorCode.TooManyMarks, message: jasmine.stringContaining('name') });
    expect(errorOf(validatePauseMessage(zalgo(20)))).toEqual({ code: ErrorCode.TooManyMarks, message: jasmine.stringContaining('message') });
    const begin = validateBeginRequest({ ...valid, name: `${zalgo(20)}.jpg` }, 10_000);
    expect(errorOf(begin)).toEqual({ code: ErrorCode.TooManyMarks, message: jasmine.stringContaining('file name') });
  });

  it('refuses a single grapheme of 30,000 marks with TOO_MANY_MARKS before it is normalised or counted', () => {
    // The proof is what never runs, not how long it took: no NFC, no grapheme segmentation.
    const normalize = spyOn(String.prototype, 'normalize').and.callThrough();
    const segment = spyOn(Intl.Segmenter.prototype, 'segment').and.callThrough();
    expect(errorOf(validateCaption(zalgo(30_000)))?.code).toBe(ErrorCode.TooManyMarks);
    expect(errorOf(validateAuthor(zalgo(30_000)))?.code).toBe(ErrorCode.TooManyMarks);
    expect(normalize).not.toHaveBeenCalled();
    expect(segment).not.toHaveBeenCalled();
  });

  it('checks the type before the marks, and the marks before the length', () => {
    expect(errorOf(validateCaption([zalgo(20)]))?.code).toBe(ErrorCode.BadRequest);
    expect(errorOf(validateCaption(zalgo(30_000)))?.code).toBe(ErrorCode.TooManyMarks);
    expect(errorOf(validateAuthor(`${'a'.repeat(MAX_AUTHOR_GRAPHEMES)}${zalgo(9)}`))?.code).toBe(ErrorCode.TooManyMarks);
  });

  it('refuses marks that only pile up once NFC splits a character into a letter and marks', () => {
    // U+0344 COMBINING GREEK DIALYTIKA TONOS becomes U+0308 U+0301: five of them are ten marks.
    expect(errorOf(validateCaption('\u0344'.repeat(5)))?.code).toBe(ErrorCode.TooManyMarks);
  });

  it('counts the caption limit on the cleaned text, so zero-width spaces between letters do not count', () => {
    const padded = 'a\u200B'.repeat(MAX_CAPTION_GRAPHEMES);
    expect(countGraphemes(padded)).toBe(2 * MAX_CAPTION_GRAPHEMES);
    expect(validateCaption(padded)).toEqual({ ok: true, value: 'a'.repeat(MAX_CAPTION_GRAPHEMES) });
    expect(errorOf(validateCaption(`${padded}b`))?.code).toBe(ErrorCode.CaptionTooLong);
  });

  it('counts the name limit on the cleaned text, so bidi controls around it do not count', () => {
    const name = 'ä'.repeat(MAX_AUTHOR_GRAPHEMES);
    expect(validateAuthor(`\u2067${name}\u2069`)).toEqual({ ok: true, value: name });
    expect(errorOf(validateAuthor(`${name}ä`))?.code).toBe(ErrorCode.AuthorTooLong);
  });

  it('cleans the pause message to one line within its limit', () => {
    expect(validatePauseMessage('Speeches\u2028now \u{1F942}\u200B')).toEqual({ ok: true, value: 'Speeches now \u{1F942}' });
    expect(errorOf(validatePauseMessage('x'.repeat(MAX_PAUSE_MESSAGE_GRAPHEMES + 1)))?.code).toBe(ErrorCode.BadRequest);
  });

  it('limits the file name after cleaning it', () => {
    const name = `${'a'.repeat(MAX_FILE_NAME_LENGTH - 4)}.jpg`;
    expect(codeOf({ ...valid, name: `\u202E${name}` })).toBeNull();
    expect(codeOf({ ...valid, name: `b${name}` })).toBe(ErrorCode.BadRequest);
  });

  it('keeps emoji, scripts and joiners that carry meaning exactly as typed', () => {
    const caption = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467} \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \u0915\u094D\u200D\u0937 Noël 新婚快乐';
    expect(validateCaption(caption)).toEqual({ ok: true, value: caption });
  });
});
