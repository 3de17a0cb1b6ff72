import {
  ErrorCode,
  MAX_AUTHOR_GRAPHEMES,
  MAX_CAPTION_GRAPHEMES,
  countGraphemes,
  validateBeginRequest,
  validateSinceSeq,
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
  it('accepts a well-formed request and trims the text fields', () => {
    const result = validateBeginRequest({ ...valid, caption: '  hi \u0007 there  ', author: ' Ana\n' }, 10_000);
    expect(result).toEqual({ ok: true, value: { ...valid, caption: 'hi   there', author: 'Ana' } });
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

  it('accepts a null or whole-number sinceSeq only', () => {
    expect(validateSinceSeq({ sinceSeq: null })).toEqual({ ok: true, value: null });
    expect(validateSinceSeq({ sinceSeq: 7 })).toEqual({ ok: true, value: 7 });
    expect(validateSinceSeq({ sinceSeq: { $gt: 0 } }).ok).toBeFalse();
    expect(validateSinceSeq(undefined).ok).toBeFalse();
  });
});
