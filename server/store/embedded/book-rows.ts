/**
 * Photo books in SQLite: a row per book, its job a row in jobs (kind 'book', the book as subject).
 * A partial unique index keeps one book queued or being made; every write of the job's worker checks
 * the lease in the same statement or transaction.
 */
import type Database from 'better-sqlite3';
import type { BookOptions, BookRecord, NewBook } from '../types';
import type { BlobFiles } from './blob-files';
import { addJob, jobId } from './job-rows';

interface BookRow {
  id: string;
  options: string;
  state: BookRecord['state'];
  placed: number;
  total: number;
  created_at: number;
  finished_at: number | null;
  error: string | null;
  file_key: string | null;
  bytes: number | null;
}

function recordOf(row: BookRow): BookRecord {
  return {
    id: row.id,
    options: JSON.parse(row.options) as BookOptions,
    state: row.state,
    placed: row.placed,
    total: row.total,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error,
    fileKey: row.file_key,
    bytes: row.bytes,
  };
}

/** The statement's condition that the book's job is held by `worker` (binds the job id and the worker). */
const HOLDING = `EXISTS (SELECT 1 FROM jobs WHERE id = ? AND lease_owner = ?)`;

const isUniqueViolation = (e: unknown) => (e as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';

export function getBook(db: Database.Database, id: string): BookRecord | null {
  const row = db.prepare<[string], BookRow>('SELECT * FROM books WHERE id = ?').get(id);
  return row ? recordOf(row) : null;
}

/** The book and its job in one transaction; failed books before it go (nothing to keep of them). */
export function requestBook(db: Database.Database, book: NewBook): BookRecord | null {
  try {
    db.transaction(() => {
      db.prepare(`DELETE FROM books WHERE state = 'failed'`).run();
      db.prepare(`INSERT INTO books (id, options, state, created_at) VALUES (?, ?, 'queued', ?)`).run(book.id, JSON.stringify(book.options), book.createdAt);
      addJob(db, 'book', book.id, book.createdAt, book.createdAt);
    })();
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  return getBook(db, book.id);
}

export function books(db: Database.Database): { latest: BookRecord | null; ready: BookRecord | null } {
  const latest = db.prepare<[], BookRow>('SELECT * FROM books ORDER BY created_at DESC, rowid DESC LIMIT 1').get();
  const ready = db.prepare<[], BookRow>(`SELECT * FROM books WHERE state = 'ready' ORDER BY finished_at DESC LIMIT 1`).get();
  return { latest: latest ? recordOf(latest) : null, ready: ready ? recordOf(ready) : null };
}

export function bookProgress(db: Database.Database, id: string, worker: string, placed: number, total: number, leaseUntil: number): boolean {
  return db.transaction((): boolean => {
    const changed = db
      .prepare(`UPDATE books SET state = 'making', placed = ?, total = ? WHERE id = ? AND state IN ('queued', 'making') AND ${HOLDING}`)
      .run(placed, total, id, jobId('book', id), worker).changes;
    if (changed > 0) db.prepare('UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?').run(leaseUntil, jobId('book', id), worker);
    return changed > 0;
  })();
}

/**
 * Ready, with its file (whose intent is settled), its job done, and the book ready before it gone:
 * one transaction. Returns the keys no book refers to any more (to delete once committed), or null
 * when the worker no longer holds the job.
 */
export function finishBook(db: Database.Database, blobs: BlobFiles, id: string, worker: string, file: { key: string; bytes: number }, at: number): string[] | null {
  return db.transaction((): string[] | null => {
    const made = db
      .prepare(
        `UPDATE books SET state = 'ready', file_key = ?, bytes = ?, finished_at = ?, error = NULL
         WHERE id = ? AND state IN ('queued', 'making') AND ${HOLDING}`,
      )
      .run(file.key, file.bytes, at, id, jobId('book', id), worker).changes;
    if (made === 0) return null;
    db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId('book', id));
    blobs.settle([file.key]);
    const replaced = db.prepare<[string], { file_key: string | null }>(`DELETE FROM books WHERE state = 'ready' AND id != ? RETURNING file_key`).all(id);
    const released = replaced.flatMap((r) => (r.file_key && r.file_key !== file.key ? [r.file_key] : []));
    blobs.release(released);
    return released;
  })();
}

export function giveUpBook(db: Database.Database, id: string, worker: string, message: string, at: number): boolean {
  return db.transaction((): boolean => {
    const failed = db
      .prepare(`UPDATE books SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state IN ('queued', 'making') AND ${HOLDING}`)
      .run(message.slice(0, 500), at, id, jobId('book', id), worker).changes;
    if (failed > 0) db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId('book', id));
    return failed > 0;
  })();
}

/** The ready book's file, by key and size; null for a book that is not ready. */
export function readyFile(db: Database.Database, id: string): { key: string; bytes: number } | null {
  const row = db.prepare<[string], { file_key: string; bytes: number }>(`SELECT file_key, bytes FROM books WHERE id = ? AND state = 'ready'`).get(id);
  return row ? { key: row.file_key, bytes: row.bytes } : null;
}
