import { ErrorCode, MAX_AUTHOR_GRAPHEMES, MAX_CAPTION_GRAPHEMES } from '@photobook/shared';
import { ClientErrorCode, type ClientError, type ClientErrorCode as AnyCode } from './client-result';

/**
 * What a guest reads when something goes wrong. Written for people holding a phone at a party:
 * what happened and what to do next, no jargon. A Record keeps the compiler checking that every
 * code has a sentence.
 */
const MESSAGES: Record<AnyCode, string> = {
  [ErrorCode.BadRequest]: 'Something about this upload went wrong. Please remove the photo and pick it again.',
  [ErrorCode.CaptionTooLong]: `That caption is a little long. Please keep it under ${MAX_CAPTION_GRAPHEMES} characters.`,
  [ErrorCode.AuthorTooLong]: `That name is a little long. Please keep it under ${MAX_AUTHOR_GRAPHEMES} characters.`,
  [ErrorCode.TooManyMarks]: 'Some characters in the caption or name are stacked with too many accents. Please retype it.',
  [ErrorCode.TooLarge]: 'This photo is larger than the host accepts. Try sending a smaller copy, or a screenshot of it.',
  [ErrorCode.EmptyFile]: 'This file is empty. Please pick the photo again.',
  [ErrorCode.UnsupportedType]: "That file isn't a photo we can show (JPEG, PNG, WebP or GIF).",
  [ErrorCode.HeicUnsupported]:
    'This photo is in Apple’s HEIC format, which the wall can’t show. On iPhone, choose “Most Compatible” ' +
    '(Settings › Camera › Formats), or share the photo as JPEG, then try again.',
  [ErrorCode.TooManyPixels]: 'This image is too big in size (pixels) for the wall. Try a screenshot or a smaller copy.',
  [ErrorCode.CorruptImage]: 'We couldn’t open this photo. It may be damaged; try picking it again or choose another.',
  [ErrorCode.OriginalMismatch]: 'The full-quality copy didn’t match the photo on the wall, so the wall keeps the photo as it is.',
  [ErrorCode.UploadNotFound]: 'This upload expired. Please tap Upload to try again.',
  [ErrorCode.UploadCommitted]: 'This photo is already on the wall.',
  [ErrorCode.UploadExpired]: 'This upload took too long and was stopped. Please tap Upload to send it again.',
  [ErrorCode.TooManyUploads]: 'You are sending lots of photos at once. Please wait a moment, then tap Upload again.',
  [ErrorCode.OffsetMismatch]: 'The upload got out of step. Please tap Upload to try again.',
  [ErrorCode.UploadIncomplete]: 'Part of the photo didn’t arrive. Please tap Upload to try again.',
  [ErrorCode.GuestBlocked]: 'The host has stopped uploads from this phone.',
  [ErrorCode.UploadsPaused]: 'Uploads are paused for the moment. Please try again a little later.',
  [ErrorCode.ServerBusy]: 'The server is busy; your photo will go out shortly by itself.',
  [ErrorCode.RateLimited]: 'Lots of photos at once! Please wait a moment, then tap Upload again.',
  // The upload waits rather than fails (see UploadService), so this reads as a wait, not an error.
  [ErrorCode.StorageFull]:
    'The wall’s storage is full for the moment. Your photo stays queued on this phone and goes out as soon ' +
    'as the host makes room — keep this page open.',
  [ErrorCode.RecoveryCodeInvalid]: 'That code doesn’t match any photos. Check it and try again (codes look like K7QM-X2RT-9BNW-H).',
  [ErrorCode.NotFound]: 'We couldn’t find that photo any more.',
  // The admin console's codes: only the host meets these, but every code gets its sentence.
  [ErrorCode.Unauthorized]: 'You are no longer signed in as the host. Please sign in again.',
  [ErrorCode.WrongPassword]: 'That password isn’t right. Please try again.',
  [ErrorCode.SignInLocked]: 'Too many wrong passwords. Please wait a few minutes, then try again.',
  [ErrorCode.OriginRefused]: 'That request came from another site and was refused. Open the console from the wall’s own address.',
  [ErrorCode.BookBusy]: 'A photo book is being made right now. Wait for it to finish, then make a new one.',
  [ErrorCode.BookEmpty]: 'There are no photos on the wall yet, so there is nothing to put in a photo book.',
  [ErrorCode.Internal]: 'Something went wrong on our side. Please try again in a moment.',
  [ClientErrorCode.Network]:
    'The connection was lost and we couldn’t reach the wall. Check your Wi-Fi, then tap Upload to try again.',
  [ClientErrorCode.FileUnreadable]:
    'We couldn’t read this photo from your phone. Please remove it and pick it again.',
};

/**
 * Where a message is shown. The base sentences are written for the upload page; on My photos (edits,
 * deletes, recovery codes) the few that say "tap Upload" or "pick the photo again" read differently.
 */
export type MessageContext = 'upload' | 'mine';

const MINE_MESSAGES: Partial<Record<AnyCode, string>> = {
  [ErrorCode.BadRequest]: 'Something about that change went wrong. Please reload the page and try again.',
  [ErrorCode.RateLimited]: 'That was a lot of tries in a short time. Please wait a minute, then try again.',
  [ClientErrorCode.Network]: 'The connection was lost and we couldn’t reach the wall. Check your Wi-Fi, then try again.',
};

/** Codes where the organiser's own words (e.g. why uploads are paused) beat our generic sentence. */
const SERVER_WORDS_PREFERRED: ReadonlySet<AnyCode> = new Set<AnyCode>([ErrorCode.UploadsPaused]);

export function messageForCode(code: AnyCode): string {
  return MESSAGES[code] ?? MESSAGES[ErrorCode.Internal];
}

/** The sentence for a code as the given page words it. */
export function messageForCodeIn(code: AnyCode, context: MessageContext): string {
  return (context === 'mine' ? MINE_MESSAGES[code] : undefined) ?? messageForCode(code);
}

export function messageFor(error: ClientError, context: MessageContext = 'upload'): string {
  const serverWords = error.message.trim();
  if (SERVER_WORDS_PREFERRED.has(error.code) && serverWords) return serverWords;
  return messageForCodeIn(error.code, context);
}

const MB = 1024 * 1024;

/** A size as a guest reads it; `round` decides which way (a size up, a limit down, so they never look equal). */
function formatSize(bytes: number, round: (n: number) => number): string {
  const mb = bytes / MB;
  if (mb >= 10) return `${round(mb)} MB`;
  if (mb >= 1) return `${round(mb * 10) / 10} MB`;
  return `${Math.max(1, round(bytes / 1024))} KB`;
}

/** A photo refused on the phone before sending: bigger (after any smaller copy) than the host's limit. */
export function tooLargeMessage(bytes: number, maxBytes: number): string {
  return `This photo is ${formatSize(bytes, Math.ceil)}; the host accepts up to ${formatSize(maxBytes, Math.floor)}.`;
}

/** Shown while an upload quietly retries after a blip of the connection or the server. */
export const RETRYING_MESSAGE = 'A little hiccup, trying again…';
