/** Durable jobs in SQLite: one row per job, claimed by setting a lease in a single UPDATE. */
import type Database from 'better-sqlite3';
import type { JobKind, JobQueueStats, JobRecord } from '../types';

/** `queuedAt`: when a job comes after its photo; null (the default) for one queued with it. */
export function addJob(db: Database.Database, kind: JobKind, photoId: string, dueAt: number, queuedAt: number | null = null): void {
  db.prepare(`INSERT INTO jobs (id, kind, photo_id, due_at, queued_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, photo_id) DO NOTHING`).run(
    `${kind}:${photoId}`,
    kind,
    photoId,
    dueAt,
    queuedAt,
  );
}

export function claimJob(db: Database.Database, kind: JobKind, worker: string, now: number, leaseMs: number): JobRecord | null {
  const row = db
    .prepare<[string, number, string, number, number], { id: string; photo_id: string; attempts: number }>(
      `UPDATE jobs SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
       WHERE id = (SELECT id FROM jobs WHERE kind = ? AND due_at <= ? AND lease_until <= ? ORDER BY due_at LIMIT 1)
       RETURNING id, photo_id, attempts`,
    )
    .get(worker, now + leaseMs, kind, now, now);
  return row ? { id: row.id, kind, photoId: row.photo_id, attempts: row.attempts } : null;
}

export function completeJob(db: Database.Database, id: string, worker: string): void {
  db.prepare('DELETE FROM jobs WHERE id = ? AND lease_owner = ?').run(id, worker);
}

export function failJob(db: Database.Database, id: string, worker: string, error: string, retryAt: number): void {
  db.prepare('UPDATE jobs SET lease_owner = NULL, lease_until = 0, due_at = ?, last_error = ? WHERE id = ? AND lease_owner = ?').run(
    retryAt,
    error.slice(0, 500),
    id,
    worker,
  );
}

/** Jobs not done yet, of live photos (a removed photo's job is no work); queued when recorded, else with the photo. */
export function jobQueue(db: Database.Database): JobQueueStats {
  const row = db
    .prepare<[], { depth: number; oldest: number | null }>(
      `SELECT COUNT(*) AS depth, MIN(COALESCE(j.queued_at, p.created_at)) AS oldest
       FROM jobs j JOIN photos p ON p.id = j.photo_id WHERE p.state != 'removed'`,
    )
    .get();
  return { depth: row?.depth ?? 0, oldestQueuedAt: row?.oldest ?? null };
}
