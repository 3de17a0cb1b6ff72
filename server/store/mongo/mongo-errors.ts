/** The MongoDB adapter's failures as the app's errors: nothing from the driver reaches a client. */
import { MongoServerError } from 'mongodb';
import type { AppError } from '../../errors';
import { storageError } from '../storage-errors';

/** mongod's OutOfDiskSpace; WiredTiger reports a full disk in its message instead. */
const OUT_OF_DISK = 14031;

function mongoFull(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof MongoServerError && e.code === OUT_OF_DISK) return true;
  return /no space left on device|out of disk space|ENOSPC/i.test(e.message);
}

/**
 * A full disk becomes STORAGE_FULL; anything else (not primary, a network fault after the driver's
 * own retry, an election outlasting server selection) becomes INTERNAL. Both are retryable, so the
 * guest's phone sends the request again and nothing acknowledged is lost.
 */
export function mongoError(e: unknown, doing: string): AppError {
  return storageError(e, doing, mongoFull);
}

/**
 * E11000: the unique index said no (a second insert of the same fact). FerretDB v1 reports a
 * duplicate caused by an update as InternalError (code 1) with SQLite's words instead.
 */
export function isDuplicateKey(e: unknown): boolean {
  if (!(e instanceof MongoServerError)) return false;
  return e.code === 11000 || (e.code === 1 && /UNIQUE constraint failed/.test(e.message));
}

/**
 * An upsert that two writers run at once: both miss, both insert, one gets a duplicate key. The
 * document exists then, so the same upsert again is a plain update.
 */
export async function upsert(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await write();
  }
}
