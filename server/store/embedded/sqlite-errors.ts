import type { AppError } from '../../errors';
import { storageError } from '../storage-errors';

/** SQLite says its disk is full with its own code; better-sqlite3 puts it on the error. */
const sqliteFull = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'SQLITE_FULL';

/** The embedded store's failures as the app's errors (see storageError). */
export function embeddedError(e: unknown, doing: string): AppError {
  return storageError(e, doing, sqliteFull);
}
