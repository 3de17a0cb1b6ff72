import { ErrorCode } from '@photobook/shared';
import { AppError } from '../errors';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export function storageFull(): AppError {
  return new AppError(ErrorCode.StorageFull, 'The server’s storage is full; the photo waits on the phone until the host makes room.');
}

/**
 * Turns a driver or file-system failure into the app's error: a full disk is STORAGE_FULL, anything
 * else INTERNAL with the cause kept for the log. Both are retryable, so what the server already
 * holds is kept. AppErrors pass through unchanged.
 */
export function storageError(e: unknown, doing: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && FULL.has(code)) return storageFull();
  return new AppError(ErrorCode.Internal, `The server could not ${doing}.`, undefined, { cause: e });
}
