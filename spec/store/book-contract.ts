/**
 * The store contract, continued: photo books and their leased 'book' jobs. One book is queued or
 * made at a time, whoever asks; only the worker holding the job writes the book; a crashed worker's
 * job is taken over when its lease runs out. Called from describeStoreContract.
 */
import { randomBytes } from 'node:crypto';
import { piecesOf } from '../../server/store/blob-body';
import type { BookOptions, NewBook, NewFile, Store } from '../../server/store/types';
import { newPhoto, readAll } from './contract-fixtures';
import type { StoreHarness } from './store-contract';

const OPTIONS: BookOptions = { paper: 'a4', coverPhotoId: null, title: 'Anna & Ben', date: null, locale: 'en-GB', timeZone: 'Europe/London' };
const LEASE = 60_000;

let books = 0;
const newBook = (createdAt = Date.now()): NewBook => ({ id: `book${String(++books).padStart(6, '0')}${randomBytes(3).toString('hex')}`, options: OPTIONS, createdAt });
const pdf = (text: string): NewFile => {
  const data = Buffer.from(`%PDF-1.7 ${text}`);
  return { contentType: 'application/pdf', bytes: data.byteLength, body: piecesOf(data) };
};

export function describeBookContract(current: () => StoreHarness): void {
  describe('photo books', () => {
    let store: Store;
    beforeEach(() => {
      store = current().store;
    });

    /** Requests a book and claims its job for `worker`. */
    const started = async (worker = 'worker-a', now = Date.now()) => {
      const book = (await store.requestBook(newBook(now)))!;
      const job = (await store.claimJob('book', worker, now, LEASE))!;
      return { book, job };
    };

    it('queues a book with its job, counted in the job queue from its request, and refuses a second one while it waits', async () => {
      const asked = newBook(5_000);
      const book = await store.requestBook(asked);
      expect(book).toEqual(jasmine.objectContaining({ id: asked.id, state: 'queued', options: OPTIONS, placed: 0, total: 0, createdAt: 5_000, fileKey: null }));
      expect(await store.requestBook(newBook())).withContext('one at a time').toBeNull();
      expect(await store.books()).toEqual({ latest: book!, ready: null });
      expect(await store.jobQueue()).toEqual({ depth: 1, oldestQueuedAt: 5_000 });
      expect(await store.claimJob('archive', 'w', Date.now(), LEASE)).withContext('not an archive job').toBeNull();
      const job = await store.claimJob('book', 'w', Date.now(), LEASE);
      expect([job?.kind, job?.subject, job?.attempts]).toEqual(['book', asked.id, 1]);
    });

    it('stores one book when two requests race, on two store objects as two replicas would', async () => {
      const other = await current().another?.();
      if (!other) return pending('this harness has no second store object');
      const answers = await Promise.all([store.requestBook(newBook()), other.requestBook(newBook()), store.requestBook(newBook()), other.requestBook(newBook())]);
      expect(answers.filter((b) => b !== null).length).toBe(1);
      expect((await store.jobQueue()).depth).toBe(1);
    });

    it('lets only the worker holding the job write progress, and hands the job to another once the lease runs out', async () => {
      const now = Date.now();
      const { book, job } = await started('worker-a', now);
      expect(await store.bookProgress(book.id, 'worker-a', 3, 10, now + LEASE)).toBeTrue();
      expect(await store.getBook(book.id)).toEqual(jasmine.objectContaining({ state: 'making', placed: 3, total: 10 }));
      expect(await store.bookProgress(book.id, 'worker-b', 9, 10, now + 9 * LEASE)).withContext('not the holder').toBeFalse();
      expect(await store.claimJob('book', 'worker-b', now + LEASE / 2, LEASE)).withContext('still leased').toBeNull();
      const taken = await store.claimJob('book', 'worker-b', now + LEASE + 1, LEASE);
      expect([taken?.id, taken?.attempts]).withContext('worker-a died').toEqual([job.id, 2]);
      expect(await store.bookProgress(book.id, 'worker-a', 4, 10, Date.now() + LEASE)).withContext('the old holder writes nothing').toBeFalse();
      expect(await store.finishBook(book.id, 'worker-a', pdf('stale'), now)).withContext('nor finishes').toBeFalse();
      expect((await store.getBook(book.id))?.state).toBe('making');
      expect(await store.finishBook(book.id, 'worker-b', pdf('taken over'), now + 2)).toBeTrue();
      expect(await store.getBook(book.id)).toEqual(jasmine.objectContaining({ state: 'ready', finishedAt: now + 2, bytes: 19 }));
    });

    it('keeps the job of a worker that reports progress past its first lease (a heartbeat)', async () => {
      const now = Date.now();
      const { book } = await started('worker-a', now);
      expect(await store.bookProgress(book.id, 'worker-a', 1, 10, now + 3 * LEASE)).toBeTrue();
      expect(await store.claimJob('book', 'worker-b', now + 2 * LEASE, LEASE)).withContext('renewed').toBeNull();
      expect(await store.claimJob('book', 'worker-b', now + 3 * LEASE + 1, LEASE)).withContext('silent since').not.toBeNull();
    });

    it('puts a failed try back in the queue with its reason, due at the retry time', async () => {
      const now = Date.now();
      const { book, job } = await started('worker-a', now);
      await store.bookProgress(book.id, 'worker-a', 1, 4, Date.now() + LEASE);
      await store.failJob(job.id, 'worker-a', 'the disk hiccuped', now + 10_000);
      expect(await store.getBook(book.id)).toEqual(jasmine.objectContaining({ state: 'queued', error: 'the disk hiccuped' }));
      expect(await store.claimJob('book', 'worker-b', now + 5_000, LEASE)).withContext('not due yet').toBeNull();
      expect(await store.requestBook(newBook())).withContext('still in the making').toBeNull();
      const retried = await store.claimJob('book', 'worker-b', now + 10_000, LEASE);
      expect([retried?.id, retried?.attempts]).toEqual([job.id, 2]);
      expect((await store.jobQueue()).depth).toBe(1);
    });

    it('gives a book up for good: failed with its message, its job gone, and a new book may be asked for', async () => {
      const { book } = await started();
      expect(await store.giveUpBook(book.id, 'worker-b', 'not mine', Date.now())).toBeFalse();
      expect(await store.giveUpBook(book.id, 'worker-a', 'No photo could be read.', 7_000)).toBeTrue();
      expect(await store.getBook(book.id)).toEqual(jasmine.objectContaining({ state: 'failed', error: 'No photo could be read.', finishedAt: 7_000 }));
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
      expect(await store.claimJob('book', 'worker-c', Date.now() + LEASE * 2, LEASE)).toBeNull();
      const next = await store.requestBook(newBook());
      expect(next?.state).toBe('queued');
      expect(await store.getBook(book.id)).withContext('the failed one is cleared away').toBeNull();
    });

    it('stops a book whose job is completed before it was made, freeing the way for the next', async () => {
      const { book, job } = await started();
      await store.completeJob(job.id, 'worker-a');
      expect(await store.getBook(book.id)).toEqual(jasmine.objectContaining({ state: 'failed', error: jasmine.any(String) }));
      expect(await store.requestBook(newBook())).not.toBeNull();
    });

    it('keeps the ready book downloadable until the next one is ready, then removes it and its file', async () => {
      const first = await started('worker-a');
      await store.bookProgress(first.book.id, 'worker-a', 2, 2, Date.now() + LEASE);
      expect(await store.openBook(first.book.id)).withContext('not ready yet').toBeNull();
      expect(await store.finishBook(first.book.id, 'worker-a', pdf('first book'), 10_000)).toBeTrue();
      const file = await store.openBook(first.book.id);
      expect([file?.contentType, file?.bytes]).toEqual(['application/pdf', 19]);
      expect((await readAll(file!.open())).toString()).toBe('%PDF-1.7 first book');
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });

      const second = await started('worker-b');
      expect(await store.books()).toEqual({ latest: jasmine.objectContaining({ id: second.book.id, state: 'queued' }), ready: jasmine.objectContaining({ id: first.book.id }) });
      expect((await readAll((await store.openBook(first.book.id))!.open())).toString()).withContext('still there while the next is made').toBe('%PDF-1.7 first book');
      expect(await store.finishBook(second.book.id, 'worker-b', pdf('second book'), 20_000)).toBeTrue();
      expect(await store.openBook(first.book.id)).toBeNull();
      expect(await store.getBook(first.book.id)).toBeNull();
      const status = await store.books();
      expect([status.latest?.id, status.ready?.id, status.ready?.bytes]).toEqual([second.book.id, second.book.id, 20]);
      expect((await readAll((await store.openBook(second.book.id))!.open())).toString()).toBe('%PDF-1.7 second book');
    });

    it('never sweeps a ready book\'s file, and stops serving nothing but a ready book', async () => {
      const { book } = await started();
      expect(await store.finishBook(book.id, 'worker-a', pdf('kept'), Date.now())).toBeTrue();
      await store.createPhoto(newPhoto());
      await store.sweepOrphans(Date.now() + 60_000);
      expect((await readAll((await store.openBook(book.id))!.open())).toString()).toBe('%PDF-1.7 kept');
      expect(await store.openBook('noSuchBook01')).toBeNull();
    });

    it('keeps archive jobs apart from book jobs', async () => {
      await started();
      const archived = await store.claimJob('archive', 'worker-a', Date.now(), LEASE);
      expect(archived).toBeNull();
      expect((await store.jobQueue()).depth).toBe(1);
    });
  });
}
