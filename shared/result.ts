import type { ErrorCode } from './errors';

/** What a failed request tells its caller: a stable code plus a human sentence. */
export interface AppErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  /** For OFFSET_MISMATCH: the byte offset the server expects next. */
  readonly expectedOffset?: number;
}

/**
 * Every ack carries a Result: a value or an error, never a thrown exception. The client widens the
 * error with failures only it can see (no answer at all).
 */
export type Result<T, E = AppErrorPayload> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: ErrorCode, message: string, extra: { expectedOffset?: number } = {}): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}
