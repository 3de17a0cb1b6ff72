/**
 * Durable jobs in SQLite: one row per job, claimed by setting a lease in a single UPDATE. The
 * photo_id column holds the job's subject (a photo's id; a book's id for a book job): it kept its
 * first name so older databases and the migration's reader need nothing new.
 */
import type Database from 'better-sqlite3';
import type { JobKind, JobQueueStats, JobRecord } from '../types';

/** `queuedAt`: when a job comes after its photo; null (the default) for one queued with it. */
export function addJob(db: Database.Database, kind: JobKind, subject: string, dueAt: number, queuedAt: number | null = null): void {
  db.prepare(`INSERT INTO jobs (id, kind, photo_id, due_at, queued_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, photo_id) DO NOTHING`).run(
    jobId(kind, subject),
    kind,
    subject,
    dueAt,
    queuedAt,
  );
}

export const jobId = (kind: JobKind, subject: string) => `${kind}:${subject}`;

export function claimJob(db: Database.Database, kind: JobKind, worker: string, now: number, leaseMs: number): JobRecord | null {
  const row = db
    .prepare<[string, number, string, number, number], { id: string; photo_id: string; attempts: number }>(
      `UPDATE jobs SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
       WHERE id = (SELECT id FROM jobs WHERE kind = ? AND due_at <= ? AND lease_until <= ? ORDER BY due_at LIMIT 1)
       RETURNING id, photo_id, attempts`,
    )
    .get(worker, now + leaseMs, kind, now, now);
  return row ? { id: row.id, kind, subject: row.photo_id, attempts: row.attempts } : null;
}

/** The job goes; a book still queued or being made without it is stopped (failed), so another can be made. */
export function completeJob(db: Database.Database, id: string, worker: string): void {
  db.transaction(() => {
    const done = db
      .prepare<[string, string], { kind: string; photo_id: string }>('DELETE FROM jobs WHERE id = ? AND lease_owner = ? RETURNING kind, photo_id')
      .get(id, worker);
    if (done?.kind !== 'book') return;
    db.prepare(`UPDATE books SET state = 'failed', error = 'The photo book was stopped.', finished_at = ? WHERE id = ? AND state IN ('queued', 'making')`).run(
      Date.now(),
      done.photo_id,
    );
  })();
}

/** Released and due again; a book's job also puts its book back in the queue with the reason. */
export function failJob(db: Database.Database, id: string, worker: string, error: string, retryAt: number): void {
  const reason = error.slice(0, 500);
  db.transaction(() => {
    const released = db
      .prepare<[number, string, string, string], { kind: string; photo_id: string }>(
        `UPDATE jobs SET lease_owner = NULL, lease_until = 0, due_at = ?, last_error = ? WHERE id = ? AND lease_owner = ? RETURNING kind, photo_id`,
      )
      .get(retryAt, reason, id, worker);
    if (released?.kind === 'book') {
      db.prepare(`UPDATE books SET state = 'queued', error = ? WHERE id = ? AND state IN ('queued', 'making')`).run(reason, released.photo_id);
    }
  })();
}

/**
 * Jobs not done yet: archive jobs of live photos (a removed photo's job is no work), queued when
 * recorded, else with the photo; and book jobs, queued with their book.
 */
export function jobQueue(db: Database.Database): JobQueueStats {
  const row = db
    .prepare<[], { depth: number; oldest: number | null }>(
      `SELECT COUNT(*) AS depth, MIN(queued) AS oldest FROM (
         SELECT COALESCE(j.queued_at, p.created_at) AS queued
           FROM jobs j JOIN photos p ON p.id = j.photo_id WHERE j.kind = 'archive' AND p.state != 'removed'
         UNION ALL
         SELECT j.queued_at AS queued FROM jobs j WHERE j.kind = 'book')`,
    )
    .get();
  return { depth: row?.depth ?? 0, oldestQueuedAt: row?.oldest ?? null };
}
