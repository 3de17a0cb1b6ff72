import { ErrorCode } from '@photobook/shared';
import { AppError } from '../errors';

/** File-system codes for a full disk or quota; each adapter adds its own database's (it alone knows them). */
const FULL = new Set(['ENOSPC', 'EDQUOT']);

export function storageFull(): AppError {
  return new AppError(ErrorCode.StorageFull, 'The server’s storage is full; the photo waits on the phone until the host makes room.');
}

/**
 * Turns a driver or file-system failure into the app's error: a full disk is STORAGE_FULL, anything
 * else INTERNAL with the cause kept for the log. Both are retryable, so what the server already
 * holds is kept. AppErrors pass through unchanged. `isFull` names the adapter's own full-disk errors.
 */
export function storageError(e: unknown, doing: string, isFull: (e: unknown) => boolean = () => false): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if ((typeof code === 'string' && FULL.has(code)) || isFull(e)) return storageFull();
  return new AppError(ErrorCode.Internal, `The server could not ${doing}.`, undefined, { cause: e });
}
