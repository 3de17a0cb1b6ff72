import { ErrorCode } from './errors';
import { WALL_SNAPSHOT_LIMIT } from './photo';
import { err, ok, type Result } from './result';
import { MAX_UNITS_PER_GRAPHEME, exceedsGraphemes } from './text';
import { MAX_MARKS_IN_A_ROW, cleanCaption, cleanLine, hasTooManyMarks } from './text-clean';
import {
  MAX_AUTHOR_GRAPHEMES,
  MAX_CAPTION_GRAPHEMES,
  MAX_FILE_NAME_LENGTH,
  MAX_PAUSE_MESSAGE_GRAPHEMES,
  MAX_TITLE_GRAPHEMES,
  PREVIEW_MAX_BYTES,
  UPLOAD_PARTS,
  type UploadBeginRequest,
  type UploadPart,
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

const tooManyMarks = (field: string) =>
  err<never>(ErrorCode.TooManyMarks, `The ${field} has a character with more than ${MAX_MARKS_IN_A_ROW} accents or marks stacked on it.`);

/** A text field's limit, on its cleaned text. */
interface Limit {
  /** Raw UTF-16 units beyond any legal value, even one padded with invisible characters. */
  readonly rawUnits: number;
  readonly fits: (cleaned: string) => boolean;
}

const graphemes = (max: number): Limit => ({
  rawUnits: max * MAX_UNITS_PER_GRAPHEME,
  fits: (text) => !exceedsGraphemes(text, max),
});

const units = (max: number): Limit => ({ rawUnits: max * MAX_UNITS_PER_GRAPHEME, fits: (text) => text.length <= max });

/**
 * Every text field is checked in one order once its type is known: marks, cleaning, the limit on the
 * cleaned text. Marks come first because that scan is cheap and NFC is quadratic in a run of marks,
 * so Zalgo text is refused before it is normalised or counted; they are checked again after cleaning,
 * as NFC splits a few characters into a letter and marks (U+0344 becomes two).
 * Returns null when the text does not fit: each field answers that with its own code.
 */
function cleanText(text: string, field: string, clean: (text: string) => string, limit: Limit): Result<string> | null {
  // Only what could be legal is scanned, so the cost is bounded whatever arrives; a longer text is
  // refused either way, with the clearer code when its Zalgo starts early.
  if (hasTooManyMarks(text.slice(0, limit.rawUnits))) return tooManyMarks(field);
  if (text.length > limit.rawUnits) return null;
  const cleaned = clean(text);
  if (hasTooManyMarks(cleaned)) return tooManyMarks(field);
  return limit.fits(cleaned) ? ok(cleaned) : null;
}

export function validateCaption(value: unknown): Result<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string') return bad('The caption must be text.');
  return (
    cleanText(value, 'caption', cleanCaption, graphemes(MAX_CAPTION_GRAPHEMES)) ??
    err(ErrorCode.CaptionTooLong, `The caption can have at most ${MAX_CAPTION_GRAPHEMES} characters.`)
  );
}

export function validateAuthor(value: unknown): Result<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string') return bad('The name must be text.');
  return (
    cleanText(value, 'name', cleanLine, graphemes(MAX_AUTHOR_GRAPHEMES)) ??
    err(ErrorCode.AuthorTooLong, `The name can have at most ${MAX_AUTHOR_GRAPHEMES} characters.`)
  );
}

/** The file's name is one clean line; its limit is in UTF-16 units, like a file system's. */
export function validateFileName(value: unknown): Result<string> {
  const tooLong = bad(`name must be text of at most ${MAX_FILE_NAME_LENGTH} characters.`);
  if (typeof value !== 'string') return tooLong;
  return cleanText(value, 'file name', cleanLine, units(MAX_FILE_NAME_LENGTH)) ?? tooLong;
}

/** Checks every field's type and limits before anything reaches a query. */
export function validateBeginRequest(input: unknown, maxBytes: number): Result<UploadBeginRequest> {
  if (!isRecord(input)) return bad('The upload request must be an object.');
  const { clientUploadId, name, size, type } = input;
  if (!isId(clientUploadId)) return bad('clientUploadId must be 8 to 64 URL-safe characters.');
  const fileName = validateFileName(name);
  if (!fileName.ok) return fileName;
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
  const part = input['part'] ?? 'whole';
  if (typeof part !== 'string' || !(UPLOAD_PARTS as readonly string[]).includes(part)) {
    return bad(`part must be one of ${UPLOAD_PARTS.join(', ')}.`);
  }
  if (part === 'preview' && size > PREVIEW_MAX_BYTES) {
    return err(ErrorCode.TooLarge, `A preview may be at most ${PREVIEW_MAX_BYTES / (1024 * 1024)} MB.`);
  }
  const base = { clientUploadId, name: fileName.value, size, type, caption: caption.value, author: author.value };
  return ok(part === 'whole' ? base : { ...base, part: part as UploadPart });
}

export function validateUploadRef(input: unknown): Result<UploadRef> {
  if (!isRecord(input) || !isId(input['uploadId'])) return bad('uploadId must be a valid upload id.');
  return ok({ uploadId: input['uploadId'] });
}

/**
 * A wall's join: where it stands in the feed, and how many photos a first snapshot may hold (a phone's
 * gallery needs a screenful, a projector the default WALL_SNAPSHOT_LIMIT).
 */
export function validateWallJoin(input: unknown): Result<{ readonly sinceSeq: number | null; readonly limit: number }> {
  if (!isRecord(input)) return bad('The join request must be an object.');
  const since = input['sinceSeq'];
  if (since !== null && since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) {
    return bad('sinceSeq must be a whole number or null.');
  }
  const limit = input['limit'] ?? WALL_SNAPSHOT_LIMIT;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > WALL_SNAPSHOT_LIMIT) {
    return bad(`limit must be a whole number from 1 to ${WALL_SNAPSHOT_LIMIT}.`);
  }
  return ok({ sinceSeq: since ?? null, limit });
}

/** The host's pause message: one clean line, short enough for a phone screen. */
export function validatePauseMessage(value: unknown): Result<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string') return bad('The message must be text.');
  return (
    cleanText(value, 'message', cleanLine, graphemes(MAX_PAUSE_MESSAGE_GRAPHEMES)) ??
    bad(`The message can have at most ${MAX_PAUSE_MESSAGE_GRAPHEMES} characters.`)
  );
}

/** The event's title, on the wall and the guests' pages: one clean line (may be empty). */
export function validateTitle(value: unknown): Result<string> {
  if (typeof value !== 'string') return bad('The title must be text.');
  return (
    cleanText(value, 'title', cleanLine, graphemes(MAX_TITLE_GRAPHEMES)) ??
    bad(`The title can have at most ${MAX_TITLE_GRAPHEMES} characters.`)
  );
}
