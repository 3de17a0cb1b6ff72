import { ErrorCode } from './errors';
import { err, ok, type Result } from './result';
import { cleanCaption, cleanLine, exceedsGraphemes } from './text';
import {
  MAX_AUTHOR_GRAPHEMES,
  MAX_CAPTION_GRAPHEMES,
  MAX_FILE_NAME_LENGTH,
  MAX_PAUSE_MESSAGE_GRAPHEMES,
  type UploadBeginRequest,
  type UploadRef,
} from './upload';

/** Ids are opaque, URL-safe tokens: anything else (objects, $-operators) is refused. */
const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const bad = (message: string) => err<never>(ErrorCode.BadRequest, message);

export function validateCaption(value: unknown): Result<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string') return bad('The caption must be text.');
  if (exceedsGraphemes(value, MAX_CAPTION_GRAPHEMES)) {
    return err(ErrorCode.CaptionTooLong, `The caption can have at most ${MAX_CAPTION_GRAPHEMES} characters.`);
  }
  return ok(cleanCaption(value));
}

export function validateAuthor(value: unknown): Result<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string') return bad('The name must be text.');
  if (exceedsGraphemes(value, MAX_AUTHOR_GRAPHEMES)) {
    return err(ErrorCode.AuthorTooLong, `The name can have at most ${MAX_AUTHOR_GRAPHEMES} characters.`);
  }
  return ok(cleanLine(value));
}

/** Checks every field's type and limits before anything reaches a query. */
export function validateBeginRequest(input: unknown, maxBytes: number): Result<UploadBeginRequest> {
  if (!isRecord(input)) return bad('The upload request must be an object.');
  const { clientUploadId, name, size, type } = input;
  if (!isId(clientUploadId)) return bad('clientUploadId must be 8 to 64 URL-safe characters.');
  if (typeof name !== 'string' || name.length > MAX_FILE_NAME_LENGTH) {
    return bad(`name must be text of at most ${MAX_FILE_NAME_LENGTH} characters.`);
  }
  if (typeof type !== 'string' || type.length > 100) return bad('type must be a short text.');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    return bad('size must be a whole number of bytes.');
  }
  if (size === 0) return err(ErrorCode.EmptyFile, 'The file is empty.');
  if (size > maxBytes) {
    return err(ErrorCode.TooLarge, `The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB.`);
  }
  const caption = validateCaption(input['caption']);
  if (!caption.ok) return caption;
  const author = validateAuthor(input['author']);
  if (!author.ok) return author;
  return ok({ clientUploadId, name: cleanLine(name), size, type, caption: caption.value, author: author.value });
}

export function validateUploadRef(input: unknown): Result<UploadRef> {
  if (!isRecord(input) || !isId(input['uploadId'])) return bad('uploadId must be a valid upload id.');
  return ok({ uploadId: input['uploadId'] });
}

export function validateSinceSeq(input: unknown): Result<number | null> {
  if (!isRecord(input)) return bad('The join request must be an object.');
  const since = input['sinceSeq'];
  if (since === null || since === undefined) return ok(null);
  if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0) {
    return bad('sinceSeq must be a whole number or null.');
  }
  return ok(since);
}

/** The host's pause message: one clean line, short enough for a phone screen. */
export function validatePauseMessage(value: unknown): Result<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string') return bad('The message must be text.');
  if (exceedsGraphemes(value, MAX_PAUSE_MESSAGE_GRAPHEMES)) {
    return bad(`The message can have at most ${MAX_PAUSE_MESSAGE_GRAPHEMES} characters.`);
  }
  return ok(cleanLine(value));
}
