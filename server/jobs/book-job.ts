import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode } from '@photobook/shared';
import type { BookMakerDeps } from '../books/book-maker';
import { LeaseLost } from '../books/lease-lost';
import { AppError, describeError, type Logger } from '../errors';
import type { Notifier } from '../notifier';
import { PIECE_BYTES } from '../store/blob-body';
import type { BookStore, JobStore, PhotoStore } from '../store/types';

export interface BookJobDeps extends Omit<BookMakerDeps, 'store' | 'progress' | 'skipped'> {
  readonly store: JobStore & BookStore & Pick<PhotoStore, 'changesSince' | 'getPhoto' | 'readVariant'>;
  readonly notifier: Pick<Notifier, 'bookChanged'>;
  readonly logger: Logger;
  /** Where the PDF is written before the store takes it (a temp folder outside the store). */
  readonly scratchDir: string;
  /** This process, as the holder of a job's lease. */
  readonly worker: string;
}

/**
 * Renewed by every progress write (at least once a second while photos are placed), so a book of
 * any length keeps its job while its worker lives, and a crashed worker's book is taken over soon.
 */
export const BOOK_LEASE_MS = 2 * 60_000;
/** Tries before a book is given up (failed, with the last reason, for the host to see). */
export const BOOK_TRIES = 3;
const retryDelay = (attempts: number) => 15_000 * 4 ** Math.min(attempts - 1, 3);

/**
 * One photo book: claimed like any durable job, made into a temp file, stored whole in the store (so
 * any replica serves it), and the temp file deleted. A failure is tried again later; the last try's
 * failure, or a book with nothing to print, is final.
 */
export async function bookStep(deps: BookJobDeps): Promise<boolean> {
  const { store, worker, now } = deps;
  const job = await store.claimJob('book', worker, now(), BOOK_LEASE_MS);
  if (!job) return false;
  const announce = () => store.books().then(deps.notifier.bookChanged, (e: unknown) => deps.logger.warn('could not read the photo books', { error: describeError(e) }));
  const book = await store.getBook(job.subject);
  if (!book || book.state === 'ready' || book.state === 'failed') {
    // Finished by a worker whose lease ran out meanwhile, or gone: nothing left to do.
    await store.completeJob(job.id, worker);
    return true;
  }
  const file = path.join(deps.scratchDir, `photobook-book-${randomBytes(8).toString('hex')}.pdf`);
  const started = performance.now();
  try {
    const progress = async (placed: number, total: number) => {
      const ours = await store.bookProgress(book.id, worker, placed, total, now() + BOOK_LEASE_MS);
      if (ours) void announce();
      return ours;
    };
    const skipped = (photoId: string, error: unknown) => deps.logger.warn('a photo was left out of the photo book', { photoId, error: describeError(error) });
    // pdfkit and the fonts load with the first book, not with the server (server-bundle.mjs).
    const { makeBook } = await import('../books/book-maker');
    const bytes = await makeBook({ ...deps, progress, skipped }, book, file);
    const body = () => createReadStream(file, { highWaterMark: PIECE_BYTES });
    if (!(await store.finishBook(book.id, worker, { contentType: 'application/pdf', bytes, body }, now()))) throw new LeaseLost('the photo book job was taken over');
    deps.logger.info('photo book made', { bookId: book.id, bytes, seconds: Math.round((performance.now() - started) / 100) / 10 });
  } catch (e) {
    await failed(deps, job, book.id, e);
  } finally {
    await fs.rm(file, { force: true });
    await announce();
  }
  return true;
}

async function failed(deps: BookJobDeps, job: { id: string; attempts: number }, bookId: string, e: unknown): Promise<void> {
  const { store, worker, now } = deps;
  if (e instanceof LeaseLost) {
    deps.logger.warn('photo book taken over by another worker', { bookId });
    return;
  }
  const final = job.attempts >= BOOK_TRIES || (e instanceof AppError && e.code === ErrorCode.BookEmpty);
  const reason = e instanceof AppError ? e.message : 'The photo book could not be made.';
  deps.logger.error(final ? 'photo book failed' : 'photo book failed; it will be tried again', { bookId, attempts: job.attempts, error: describeError(e) });
  if (final) await store.giveUpBook(bookId, worker, reason, now());
  else await store.failJob(job.id, worker, `${reason} Trying again.`, now() + retryDelay(job.attempts));
}
