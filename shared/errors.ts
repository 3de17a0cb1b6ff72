/** Error codes shared by server and client. The client maps each code to a message for guests. */
export const ErrorCode = {
  /** A field is missing or has the wrong type or shape. */
  BadRequest: 'BAD_REQUEST',
  CaptionTooLong: 'CAPTION_TOO_LONG',
  AuthorTooLong: 'AUTHOR_TOO_LONG',
  /** A character carries more combining marks than any script needs (Zalgo text). */
  TooManyMarks: 'TOO_MANY_MARKS',
  /** Declared or received size is above the server's limit. */
  TooLarge: 'TOO_LARGE',
  EmptyFile: 'EMPTY_FILE',
  /** The bytes are not JPEG, PNG, WebP or GIF. */
  UnsupportedType: 'UNSUPPORTED_TYPE',
  /** HEIC/HEIF gets its own message: the phone can share it as JPEG instead. */
  HeicUnsupported: 'HEIC_UNSUPPORTED',
  TooManyPixels: 'TOO_MANY_PIXELS',
  /** The bytes claim a supported type but cannot be decoded. */
  CorruptImage: 'CORRUPT_IMAGE',
  UploadNotFound: 'UPLOAD_NOT_FOUND',
  /**
   * An original whose photo does not match it: not the same picture as the preview the wall shows
   * (another shape), or a photo that is not there (never previewed, or removed).
   */
  OriginalMismatch: 'ORIGINAL_MISMATCH',
  /** The upload already became a photo: a late chunk or abort changes nothing. Commit returns the photo. */
  UploadCommitted: 'UPLOAD_COMMITTED',
  /** The upload sat idle too long or passed its absolute deadline and was deleted; begin again. */
  UploadExpired: 'UPLOAD_EXPIRED',
  /** The guest already has the maximum number of uploads open at once. */
  TooManyUploads: 'TOO_MANY_UPLOADS',
  /** A chunk does not start where the server expects; see expectedOffset. */
  OffsetMismatch: 'OFFSET_MISMATCH',
  /** Commit before every declared byte arrived. */
  UploadIncomplete: 'UPLOAD_INCOMPLETE',
  UploadsPaused: 'UPLOADS_PAUSED',
  /** The host blocked uploads from this guest. */
  GuestBlocked: 'GUEST_BLOCKED',
  RateLimited: 'RATE_LIMITED',
  /** Too much is on its way at once (the server's cap for partial uploads): the phone retries shortly. */
  ServerBusy: 'SERVER_BUSY',
  /**
   * The server's disk is down to its reserve: begins and chunks wait. Nothing is lost; the photo
   * stays queued on the phone and goes out once the host makes room.
   */
  StorageFull: 'STORAGE_FULL',
  NotFound: 'NOT_FOUND',
  /** A recovery code that matches nobody (or was replaced by a newer one). */
  RecoveryCodeInvalid: 'RECOVERY_CODE_INVALID',
  /** Admin only: no live admin session (none, forged, signed out or expired). */
  Unauthorized: 'UNAUTHORIZED',
  /** Admin sign-in with the wrong password. */
  WrongPassword: 'WRONG_PASSWORD',
  /** Too many wrong passwords: sign-in waits (Retry-After). */
  SignInLocked: 'SIGN_IN_LOCKED',
  /** A state-changing admin request from a page that is not ours. */
  OriginRefused: 'ORIGIN_REFUSED',
  /** A photo book is queued or being made: one at a time; the console follows it and asks again after. */
  BookBusy: 'BOOK_BUSY',
  /** No visible photo to put in a photo book. */
  BookEmpty: 'BOOK_EMPTY',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Failures of the server, not of the photo: the same request may succeed later, and the server keeps
 * what it already holds (an acknowledged upload stays, so a retried commit sends no byte again).
 * Every other code is final for that request.
 */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.StorageFull,
  ErrorCode.Internal,
  ErrorCode.RateLimited,
  ErrorCode.TooManyUploads,
  ErrorCode.ServerBusy,
]);

export function isRetryable(code: string): boolean {
  return (RETRYABLE_CODES as ReadonlySet<string>).has(code);
}

const codes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && codes.has(value);
}
