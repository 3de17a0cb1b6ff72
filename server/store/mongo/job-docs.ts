/**
 * Durable jobs kept on their photo's document (jobs.<kind>), so a photo and its archive job are
 * stored in one write. A claim is one findOneAndUpdate that sets the lease: any replica, or a worker
 * process later, takes over a job whose lease ran out.
 */
import type { Filter } from 'mongodb';
import type { JobKind, JobQueueStats, JobRecord } from '../types';
import type { Collections, PhotoDoc } from './collections';

const jobId = (kind: JobKind, photoId: string) => `${kind}:${photoId}`;

/** Every kind, so a new one cannot be left out of the queue's depth (the type checks the keys). */
const KINDS = Object.keys({ archive: true } satisfies Record<JobKind, true>) as JobKind[];

function parseJobId(id: string): { kind: JobKind; photoId: string } | null {
  const at = id.indexOf(':');
  const kind = id.slice(0, at);
  return kind === 'archive' ? { kind, photoId: id.slice(at + 1) } : null;
}

export async function claimJob(c: Collections, kind: JobKind, worker: string, now: number, leaseMs: number): Promise<JobRecord | null> {
  const due: Filter<PhotoDoc> = { [`jobs.${kind}.dueAt`]: { $lte: now }, [`jobs.${kind}.leaseUntil`]: { $lte: now } };
  const doc = await c.photos.findOneAndUpdate(
    due,
    { $set: { [`jobs.${kind}.leaseOwner`]: worker, [`jobs.${kind}.leaseUntil`]: now + leaseMs }, $inc: { [`jobs.${kind}.attempts`]: 1 } },
    { sort: { [`jobs.${kind}.dueAt`]: 1 }, returnDocument: 'after' },
  );
  const job = doc?.jobs?.[kind];
  return doc && job ? { id: jobId(kind, doc._id), kind, photoId: doc._id, attempts: job.attempts } : null;
}

/** Only the worker holding the lease may finish the job. */
export async function completeJob(c: Collections, id: string, worker: string): Promise<void> {
  const job = parseJobId(id);
  if (!job) return;
  await c.photos.updateOne({ _id: job.photoId, [`jobs.${job.kind}.leaseOwner`]: worker }, { $unset: { [`jobs.${job.kind}`]: '' } });
}

export async function failJob(c: Collections, id: string, worker: string, error: string, retryAt: number): Promise<void> {
  const job = parseJobId(id);
  if (!job) return;
  const at = `jobs.${job.kind}`;
  await c.photos.updateOne(
    { _id: job.photoId, [`${at}.leaseOwner`]: worker },
    { $set: { [`${at}.leaseOwner`]: null, [`${at}.leaseUntil`]: 0, [`${at}.dueAt`]: retryAt, [`${at}.lastError`]: error.slice(0, 500) } },
  );
}

/**
 * One scan of the photos holding a job (FerretDB scans for any filter but _id), reading only their
 * createdAt (when a job without queuedAt was queued: same write) and jobs: the depth and the oldest
 * are of one read. Removing a photo drops its jobs, so tombstones never match.
 */
export async function jobQueue(c: Collections): Promise<JobQueueStats> {
  const docs = await c.photos
    .find({ $or: KINDS.map((kind) => ({ [`jobs.${kind}`]: { $exists: true } })) }, { projection: { _id: 0, createdAt: 1, jobs: 1 } })
    .toArray();
  let depth = 0;
  let oldestQueuedAt: number | null = null;
  for (const doc of docs) {
    for (const job of KINDS.map((kind) => doc.jobs?.[kind])) {
      if (!job) continue;
      depth++;
      const queuedAt = job.queuedAt ?? doc.createdAt;
      oldestQueuedAt = Math.min(oldestQueuedAt ?? queuedAt, queuedAt);
    }
  }
  return { depth, oldestQueuedAt };
}
