/**
 * Durable jobs kept on their subject's document: a photo's (jobs.<kind>), so a photo and its archive
 * job are stored in one write; a photo book's (job, see book-docs.ts). A claim sets the lease: any
 * replica, or a worker process later, takes over a job whose lease ran out. Job writes are photo
 * writes like any other (revisions.ts), without a seq: walls never see jobs.
 */
import type { Filter } from 'mongodb';
import type { JobKind, JobQueueStats, JobRecord } from '../types';
import type { Collections, PhotoDoc } from './collections';
import { bookJobQueue, bookOfJob, claimBookJob, completeBookJob, failBookJob } from './book-docs';
import { MAX_ATTEMPTS, writePhoto, writeWhere } from './revisions';

const jobId = (kind: JobKind, photoId: string) => `${kind}:${photoId}`;

/** Where each kind's jobs live, so a new one cannot be left out (the type checks the keys). */
const HOMES = { archive: 'photo', book: 'book' } as const satisfies Record<JobKind, 'photo' | 'book'>;
/** The kinds kept on photos (jobs.<kind>). */
const PHOTO_KINDS = (Object.keys(HOMES) as JobKind[]).filter((kind) => HOMES[kind] === 'photo');

function parseJobId(id: string): { kind: JobKind; photoId: string } | null {
  const at = id.indexOf(':');
  const kind = id.slice(0, at) as JobKind;
  return PHOTO_KINDS.includes(kind) ? { kind, photoId: id.slice(at + 1) } : null;
}

/**
 * Leases the oldest due job. When another write gets in first the oldest is looked for again: a job
 * another replica just claimed is no longer due, one whose photo just changed is tried again. Null
 * also after a burst of such writes: the job stays due for the next poll.
 */
export async function claimJob(c: Collections, kind: JobKind, worker: string, now: number, leaseMs: number): Promise<JobRecord | null> {
  if (HOMES[kind] === 'book') return claimBookJob(c, worker, now, leaseMs);
  const at = `jobs.${kind}`;
  const due: Filter<PhotoDoc> = { [`${at}.dueAt`]: { $lte: now }, [`${at}.leaseUntil`]: { $lte: now } };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await c.photos.findOne(due, { sort: { [`${at}.dueAt`]: 1 }, projection: { rev: 1, jobs: 1 } });
    const job = doc?.jobs?.[kind];
    if (!doc || !job) return null;
    const attempts = job.attempts + 1;
    const lease = { [`${at}.leaseOwner`]: worker, [`${at}.leaseUntil`]: now + leaseMs, [`${at}.attempts`]: attempts };
    if (await writePhoto(c, doc, due, { $set: lease })) return { id: jobId(kind, doc._id), kind, subject: doc._id, attempts };
  }
  return null;
}

/** Only the worker holding the lease may finish the job. */
export async function completeJob(c: Collections, id: string, worker: string): Promise<void> {
  const book = bookOfJob(id);
  if (book !== null) return completeBookJob(c, book, worker);
  const job = parseJobId(id);
  if (job) await writeWhere(c, holding(job, worker), { $unset: { [`jobs.${job.kind}`]: '' } });
}

export async function failJob(c: Collections, id: string, worker: string, error: string, retryAt: number): Promise<void> {
  const book = bookOfJob(id);
  if (book !== null) return failBookJob(c, book, worker, error, retryAt);
  const job = parseJobId(id);
  if (!job) return;
  const at = `jobs.${job.kind}`;
  await writeWhere(c, holding(job, worker), {
    $set: { [`${at}.leaseOwner`]: null, [`${at}.leaseUntil`]: 0, [`${at}.dueAt`]: retryAt, [`${at}.lastError`]: error.slice(0, 500) },
  });
}

/** The job's photo while `worker` holds its lease: a stale worker writes nothing. */
const holding = (job: { kind: JobKind; photoId: string }, worker: string): Filter<PhotoDoc> => ({ _id: job.photoId, [`jobs.${job.kind}.leaseOwner`]: worker });

/**
 * One scan of the photos holding a job (FerretDB scans for any filter but _id), reading only their
 * createdAt (when a job without queuedAt was queued: same write) and jobs: the depth and the oldest
 * are of one read. Removing a photo drops its jobs, so tombstones never match.
 */
export async function jobQueue(c: Collections): Promise<JobQueueStats> {
  const [docs, books] = await Promise.all([
    c.photos
      .find({ $or: PHOTO_KINDS.map((kind) => ({ [`jobs.${kind}`]: { $exists: true } })) }, { projection: { _id: 0, createdAt: 1, jobs: 1 } })
      .toArray(),
    bookJobQueue(c),
  ]);
  let depth = books.depth;
  let oldestQueuedAt: number | null = books.oldest;
  for (const doc of docs) {
    for (const job of PHOTO_KINDS.map((kind) => doc.jobs?.[kind])) {
      if (!job) continue;
      depth++;
      const queuedAt = job.queuedAt ?? doc.createdAt;
      oldestQueuedAt = Math.min(oldestQueuedAt ?? queuedAt, queuedAt);
    }
  }
  return { depth, oldestQueuedAt };
}
