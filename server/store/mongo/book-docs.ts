/**
 * Photo books in MongoDB: one document per book with its job on it (like a photo's jobs), written
 * one rev at a time (revisions.ts), so a claim, the progress and the end each check the lease in
 * the write itself. One book is made at a time: the request first inserts the slot document, a
 * unique _id two requests cannot both insert (FerretDB has no transactions; inserts are atomic).
 */
import type { Filter } from 'mongodb';
import type { BookState } from '@photobook/shared';
import type { BookRecord, JobRecord, MediaFile, NewBook } from '../types';
import type { BookDoc, BookSlotDoc, Collections } from './collections';
import type { GridFsBlobs } from './gridfs-blobs';
import { isDuplicateKey } from './mongo-errors';
import { MAX_ATTEMPTS, writeRevised, writeRevisedWhere, type RevisedKind } from './revisions';

const SLOT: BookSlotDoc['_id'] = 'making';
/** A slot whose book never came (its request died between the two inserts) is free after this. */
const ORPHAN_SLOT_MS = 60_000;
const IN_THE_MAKING = { $in: ['queued', 'making'] as BookState[] };

const booksOf = (c: Collections): RevisedKind<BookDoc> => ({ docs: c.books, rights: c.rights, prefix: 'book/' });

export const bookJobId = (bookId: string) => `book:${bookId}`;

export function bookOfJob(id: string): string | null {
  return id.startsWith('book:') ? id.slice('book:'.length) : null;
}

function recordOf(doc: BookDoc): BookRecord {
  const { _id: id, options, state, placed, total, createdAt, finishedAt, error, fileKey, bytes } = doc;
  return { id, options, state, placed, total, createdAt, finishedAt, error, fileKey, bytes };
}

/** The book while `worker` holds its job and it is not finished. */
const holding = (id: string, worker: string): Filter<BookDoc> => ({ _id: id, 'job.leaseOwner': worker, state: IN_THE_MAKING });

/** A slot is free to take when its book is finished, or never came. */
async function slotIsFree(c: Collections, slot: BookSlotDoc): Promise<boolean> {
  const book = await c.books.findOne({ _id: slot.bookId }, { projection: { state: 1 } });
  if (book) return book.state === 'ready' || book.state === 'failed';
  return Date.now() - slot.at > ORPHAN_SLOT_MS;
}

async function takeSlot(c: Collections, bookId: string): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await c.bookSlot.insertOne({ _id: SLOT, bookId, at: Date.now() });
      return true;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    const slot = await c.bookSlot.findOne({ _id: SLOT });
    if (slot && !(await slotIsFree(c, slot))) return false;
    // Only that slot: a request that freed it first and took it anew keeps its own.
    if (slot) await c.bookSlot.deleteOne({ _id: SLOT, bookId: slot.bookId });
  }
  return false;
}

export async function requestBook(c: Collections, book: NewBook): Promise<BookRecord | null> {
  if (!(await takeSlot(c, book.id))) return null;
  const doc: BookDoc = {
    _id: book.id,
    rev: 0,
    options: book.options,
    state: 'queued',
    placed: 0,
    total: 0,
    createdAt: book.createdAt,
    finishedAt: null,
    error: null,
    fileId: null,
    fileKey: null,
    bytes: null,
    job: { dueAt: book.createdAt, queuedAt: book.createdAt, leaseOwner: null, leaseUntil: 0, attempts: 0 },
  };
  try {
    await c.books.deleteMany({ state: 'failed' });
    await c.books.insertOne(doc);
  } catch (e) {
    await c.bookSlot.deleteOne({ _id: SLOT, bookId: book.id }).catch(() => undefined);
    throw e;
  }
  return recordOf(doc);
}

export async function getBook(c: Collections, id: string): Promise<BookRecord | null> {
  const doc = await c.books.findOne({ _id: id });
  return doc ? recordOf(doc) : null;
}

export async function books(c: Collections): Promise<{ latest: BookRecord | null; ready: BookRecord | null }> {
  const [latest, ready] = await Promise.all([
    c.books.find({}, { sort: { createdAt: -1, _id: -1 }, limit: 1 }).next(),
    c.books.find({ state: 'ready' }, { sort: { finishedAt: -1 }, limit: 1 }).next(),
  ]);
  return { latest: latest ? recordOf(latest) : null, ready: ready ? recordOf(ready) : null };
}

/** Leases the oldest due book job (see job-docs.ts' claimJob, which this mirrors). */
export async function claimBookJob(c: Collections, worker: string, now: number, leaseMs: number): Promise<JobRecord | null> {
  const due: Filter<BookDoc> = { 'job.dueAt': { $lte: now }, 'job.leaseUntil': { $lte: now } };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await c.books.findOne(due, { sort: { 'job.dueAt': 1 }, projection: { rev: 1, job: 1 } });
    if (!doc?.job) return null;
    const attempts = doc.job.attempts + 1;
    const lease = { 'job.leaseOwner': worker, 'job.leaseUntil': now + leaseMs, 'job.attempts': attempts };
    if (await writeRevised(booksOf(c), doc, due, { $set: lease })) return { id: bookJobId(doc._id), kind: 'book', subject: doc._id, attempts };
  }
  return null;
}

/** The job goes; a book still queued or being made without it is stopped (failed), freeing the slot. */
export async function completeBookJob(c: Collections, id: string, worker: string): Promise<void> {
  const done = await writeRevisedWhere(booksOf(c), { _id: id, 'job.leaseOwner': worker }, { $unset: { job: '' } });
  if (!done || !['queued', 'making'].includes(done.state)) return;
  await giveUp(c, id, { _id: id, job: { $exists: false }, state: IN_THE_MAKING }, 'The photo book was stopped.', Date.now());
}

export async function failBookJob(c: Collections, id: string, worker: string, error: string, retryAt: number): Promise<void> {
  await writeRevisedWhere(booksOf(c), holding(id, worker), {
    $set: { 'job.leaseOwner': null, 'job.leaseUntil': 0, 'job.dueAt': retryAt, 'job.lastError': error.slice(0, 500), state: 'queued', error: error.slice(0, 500) },
  });
}

export async function bookProgress(c: Collections, id: string, worker: string, placed: number, total: number, leaseUntil: number): Promise<boolean> {
  const set = { state: 'making' as const, placed, total, 'job.leaseUntil': leaseUntil };
  return (await writeRevisedWhere(booksOf(c), holding(id, worker), { $set: set })) !== null;
}

/**
 * Ready in one write (which ends its job), then the slot and the book ready before it go. The file is
 * the caller's until then: false (the lease was lost) leaves it to the caller to delete.
 */
export async function finishBook(
  c: Collections,
  blobs: GridFsBlobs,
  id: string,
  worker: string,
  file: { fileId: BookDoc['fileId']; key: string; bytes: number },
  at: number,
): Promise<boolean> {
  const before = await c.books.find({ state: 'ready', _id: { $ne: id } }, { projection: { fileId: 1 } }).toArray();
  const ready = await writeRevisedWhere(booksOf(c), holding(id, worker), {
    $set: { state: 'ready', fileId: file.fileId, fileKey: file.key, bytes: file.bytes, finishedAt: at, error: null },
    $unset: { job: '' },
  });
  if (!ready) return false;
  if (file.fileId) await blobs.settle([file.fileId]);
  await c.bookSlot.deleteOne({ _id: SLOT, bookId: id });
  for (const old of before) {
    // Marked for the sweep first, so a crash between the two deletes leaves nothing behind for good.
    const fileIds = old.fileId ? [old.fileId] : [];
    await blobs.release(fileIds);
    await c.books.deleteOne({ _id: old._id, state: 'ready' });
    await blobs.delete(fileIds);
  }
  return true;
}

async function giveUp(c: Collections, id: string, filter: Filter<BookDoc>, message: string, at: number): Promise<boolean> {
  const failed = await writeRevisedWhere(booksOf(c), filter, { $set: { state: 'failed', error: message.slice(0, 500), finishedAt: at }, $unset: { job: '' } });
  if (failed) await c.bookSlot.deleteOne({ _id: SLOT, bookId: id });
  return failed !== null;
}

export function giveUpBook(c: Collections, id: string, worker: string, message: string, at: number): Promise<boolean> {
  return giveUp(c, id, holding(id, worker), message, at);
}

export async function openBook(c: Collections, blobs: GridFsBlobs, id: string): Promise<MediaFile | null> {
  const doc = await c.books.findOne({ _id: id, state: 'ready' });
  const fileId = doc?.fileId;
  if (!doc || !fileId || doc.bytes === null) return null;
  return { contentType: 'application/pdf', bytes: doc.bytes, open: (range) => blobs.read(fileId, range) };
}

/** Book jobs not done: how many, and the oldest book's request time. */
export async function bookJobQueue(c: Collections): Promise<{ depth: number; oldest: number | null }> {
  const docs = await c.books.find({ job: { $exists: true } }, { projection: { _id: 0, createdAt: 1, job: 1 } }).toArray();
  const times = docs.map((d) => d.job?.queuedAt ?? d.createdAt);
  return { depth: docs.length, oldest: times.length ? Math.min(...times) : null };
}

