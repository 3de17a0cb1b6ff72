import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describeError, type Logger } from '../errors';
import type { MetadataStripper } from '../media/archive';
import { PIECE_BYTES } from '../store/blob-body';
import type { JobStore, PhotoStore } from '../store/types';

export interface ArchiveJobDeps {
  readonly store: JobStore & PhotoStore;
  readonly stripper: Pick<MetadataStripper, 'strip'>;
  readonly logger: Logger;
  readonly now: () => number;
  /** Where the copy is stripped (a temp folder outside the store). */
  readonly scratchDir: string;
  /** This process, as the holder of a job's lease. */
  readonly worker: string;
  /**
   * Resolves when the job may go on: called before each step (the copy out, the strip, the store
   * write), so a copy that started between two photos waits while the next one is processed.
   */
  readonly pace?: () => Promise<void>;
}

/** Long enough for ExifTool on a 50 MB file; a crashed worker's job is taken over after it. */
export const ARCHIVE_LEASE_MS = 5 * 60_000;
const retryDelay = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** Math.min(attempts, 7));

/**
 * One archive job: the photo's source (the upload as sent) is copied out, stripped of its metadata
 * without re-encoding, and stored as the photo's original in place of the source. Off the path to
 * the wall; durable, so a crash or restart finishes it later.
 */
export async function archiveStep(deps: ArchiveJobDeps): Promise<boolean> {
  const { store, now, worker } = deps;
  const pace = deps.pace ?? (() => Promise.resolve());
  await pace();
  const job = await store.claimJob('archive', worker, now(), ARCHIVE_LEASE_MS);
  if (!job) return false;
  const scratch = path.join(deps.scratchDir, `photobook-archive-${randomBytes(8).toString('hex')}`);
  try {
    const source = await store.readVariant(job.subject, 'source');
    const photo = await store.getPhoto(job.subject);
    const meta = photo?.variants.find((v) => v.kind === 'source');
    if (source && meta) {
      await pipeline(Readable.from(source.body), createWriteStream(scratch, { flags: 'wx' }));
      await pace();
      await deps.stripper.strip(scratch);
      const { size } = await fs.stat(scratch);
      await pace();
      await store.replaceVariant(job.subject, 'source', {
        kind: 'original',
        contentType: source.contentType,
        width: meta.width,
        height: meta.height,
        bytes: size,
        body: () => createReadStream(scratch, { highWaterMark: PIECE_BYTES }),
      });
    }
    // No source: the photo was removed, or archived by a worker whose lease ran out meanwhile.
    await store.completeJob(job.id, worker);
  } catch (e) {
    deps.logger.error('archive copy failed; it will be tried again', { photoId: job.subject, attempts: job.attempts, error: describeError(e) });
    await store.failJob(job.id, worker, describeError(e), now() + retryDelay(job.attempts));
  } finally {
    await fs.rm(scratch, { force: true });
  }
  return true;
}
