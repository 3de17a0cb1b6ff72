import { ErrorCode } from './errors';
import { err, ok, type Result } from './result';
import { isId, validateTitle } from './validate';

/**
 * The printed photo book, made after the party: the host asks for it in the console, a durable job
 * on any replica makes the PDF, and the console follows its progress and downloads it.
 */

/** GET with the admin session: the last ready book as a PDF download. */
export const ADMIN_BOOK_PATH = '/api/admin/photo-book.pdf';

export const BOOK_PAPERS = ['a4', 'letter'] as const;
export type BookPaper = (typeof BOOK_PAPERS)[number];

/** Cover photos the console's picker gets per request (oldest first, like the book). */
export const BOOK_PHOTOS_PAGE = 48;

/** What the host asks for. Null fields take the defaults: the event's title, the first photo, its day. */
export interface BookRequest {
  readonly paper: BookPaper;
  readonly coverPhotoId: string | null;
  /** A title for the cover in place of the event's title. */
  readonly title: string | null;
  /** The day on the cover, as an ISO date (YYYY-MM-DD, e.g. from a date input). */
  readonly date: string | null;
  /** BCP 47 locale for the cover's date ("6 December 2026" for en-GB); default en-GB. */
  readonly locale: string | null;
  /** IANA time zone the first photo's day is read in (the host's browser's); default the server's. */
  readonly timeZone: string | null;
}

export type BookState = 'queued' | 'making' | 'ready' | 'failed';

export interface BookDto {
  readonly id: string;
  readonly paper: BookPaper;
  readonly state: BookState;
  /** Photos placed so far, of total (total is 0 until the job has counted them). */
  readonly placed: number;
  readonly total: number;
  readonly createdAt: number;
  /** When it became ready or failed; null before. */
  readonly finishedAt: number | null;
  /** PDF size in bytes when ready. */
  readonly bytes: number | null;
  /** Why it failed (failed), or why the last try failed while it is tried again (queued). */
  readonly error: string | null;
}

/** The console's view: the book asked for last (any state) and the book one can download now. */
export interface BookStatusDto {
  readonly latest: BookDto | null;
  readonly ready: BookDto | null;
}

/** A visible photo the host may choose as the cover. */
export interface BookCoverDto {
  readonly id: string;
  readonly thumbUrl: string;
  readonly caption: string;
  readonly author: string;
  readonly createdAt: number;
}

export interface BookCoverPage {
  readonly photos: readonly BookCoverDto[];
  /** Pass as `from` for the next page; null at the end. */
  readonly next: number | null;
  /** Visible photos in all. */
  readonly total: number;
}

const bad = <T>(message: string) => err<T>(ErrorCode.BadRequest, message);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Locale tags and zone names are short ASCII; anything else is refused before Intl sees it. */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;
const ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

function validDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2999 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function intlAccepts(locale: string | null, timeZone: string | null): boolean {
  try {
    new Intl.DateTimeFormat(locale ?? 'en-GB', timeZone ? { timeZone } : {});
    return true;
  } catch {
    return false;
  }
}

/** Checks the console's request field by field; absent optional fields become null. */
export function validateBookRequest(input: unknown): Result<BookRequest> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return bad('The request must be an object.');
  const field = (name: string): unknown => (input as Record<string, unknown>)[name] ?? null;
  const paper = field('paper');
  if (typeof paper !== 'string' || !(BOOK_PAPERS as readonly string[]).includes(paper)) return bad('paper must be a4 or letter.');
  const coverPhotoId = field('coverPhotoId');
  if (coverPhotoId !== null && !isId(coverPhotoId)) return bad('coverPhotoId must be a photo id.');
  let title: string | null = null;
  const rawTitle = field('title');
  if (rawTitle !== null) {
    const checked = validateTitle(rawTitle);
    if (!checked.ok) return checked;
    title = checked.value === '' ? null : checked.value;
  }
  const date = field('date');
  if (date !== null && (typeof date !== 'string' || !validDate(date))) return bad('date must be a day as YYYY-MM-DD.');
  const locale = field('locale');
  if (locale !== null && (typeof locale !== 'string' || !LOCALE.test(locale))) return bad('locale must be a language tag such as en-GB.');
  const timeZone = field('timeZone');
  if (timeZone !== null && (typeof timeZone !== 'string' || !ZONE.test(timeZone))) return bad('timeZone must be a zone name such as Europe/Paris.');
  if (!intlAccepts(locale, timeZone)) return bad('That locale or time zone is not known here.');
  return ok({ paper: paper as BookPaper, coverPhotoId, title, date, locale, timeZone });
}
