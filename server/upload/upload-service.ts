import {
  CHUNK_SIZE,
  ErrorCode,
  ok,
  validateBeginRequest,
  validateUploadRef,
  type PhotoDto,
  type Result,
  type UploadBeginReply,
  type UploadChunkReply,
} from '@photobook/shared';
import { AppError, describeError, type Logger } from '../errors';
import type { MediaLimits } from '../media/pipeline';
import type { Notifier } from '../notifier';
import { hasFullCopy, toPhotoDto } from '../photos/dto';
import { KeyedQueue } from '../util/concurrency';
import { FairScheduler } from '../util/fair-scheduler';
import type {
  HostSettings,
  ModerationStore,
  PhotoRecord,
  PhotoStore,
  SettingsStore,
  StorageUpkeep,
  UploadRecord,
  UploadStore,
} from '../store/types';
import { isExpired, parseChunk, type UploadTimeLimits } from './protocol';
import { StorageWatch } from './storage-watch';
import { Admission, type UploadClient } from './admission';
import { PhotoMaker } from './photo-maker';
import { InFlight } from './in-flight';
import { PendingWrites } from './pending-writes';
import { ChunkIntake } from './chunk-intake';
import { fail, noPhotoFor, restarting } from './upload-errors';
import { UploadLookup } from './upload-lookup';
import { WindowShare } from './window-share';
import { partOf, storedRequest } from './parts';
import type { Turns } from '../limits/shared-turns';
import { noMetrics, type UploadMetrics } from '../observability/upload-metrics';

export interface UploadLimits extends MediaLimits, UploadTimeLimits {
  /** Declared bytes all open partial uploads together may hold (PARTIAL_UPLOADS_MAX_MB). */
  readonly partialUploadsMaxBytes: number;
  /** Declared bytes the open uploads from one address may hold (PARTIAL_UPLOADS_PER_ADDRESS_MB). */
  readonly partialUploadsPerAddressBytes?: number;
}

const UNKNOWN_CLIENT: UploadClient = { addressKey: null };

export interface UploadServiceDeps {
  readonly store: UploadStore & StorageUpkeep & PhotoStore & SettingsStore & Pick<ModerationStore, 'isBlocked'>;
  readonly limits: UploadLimits;
  /** Largest upload and open uploads per guest under the host's current settings (read at each begin). */
  readonly hostLimits: (settings: HostSettings) => HostUploadLimits;
  readonly logger: Logger;
  readonly now: () => number;
  /** Told once per new photo, after it is durably stored, and once per full copy that follows a preview. */
  readonly notifier: Pick<Notifier, 'photoAdded' | 'photoChanged' | 'jobsQueued'>;
  /** Images processed at once, however small (defaults to 2: one per core here). */
  readonly processingSlots?: number;
  /** Turns for a guest's begins and for admitting new uploads; shared across replicas by Redis. */
  readonly turns?: { readonly perOwner: Turns; readonly admission: Turns };
  readonly metrics?: UploadMetrics;
}

export interface HostUploadLimits {
  readonly maxUploadBytes: number;
  readonly maxUploadsPerGuest: number;
}

/**
 * Begin, chunk, commit and abort for one guest's uploads (rules in spec/UPLOAD-PROTOCOL.md).
 * Peer input yields Results, never throws. A photo takes its upload's id, which makes a repeated
 * commit find the photo its first commit made.
 */
export class UploadService {
  /** One upload's requests run one at a time, in arrival order (UP3). */
  private readonly perUpload = new KeyedQueue();
  /** Chunk writes in flight: the next chunk is checked while the previous one is written. */
  private readonly pending = new PendingWrites();
  /** Each begin's window: its share of what this replica lets all uploads keep in flight. */
  private readonly windows = new WindowShare();
  /** One guest's begins run one at a time (on every replica), so the open-upload limit holds (UP15). */
  private readonly perOwner: Turns;
  private readonly metrics: UploadMetrics;
  /** Requests being served; a draining replica waits for them (commits above all). */
  private readonly inFlight = new InFlight();
  private readonly admission: Admission;
  private readonly photos: PhotoMaker;
  private readonly uploads: UploadLookup;
  private readonly intake: ChunkIntake;
  /** Whether uploads are waiting for disk space; the admin console shows it. */
  readonly storage: StorageWatch;

  constructor(private readonly deps: UploadServiceDeps) {
    this.storage = new StorageWatch(deps.store, deps.logger);
    this.perOwner = deps.turns?.perOwner ?? new KeyedQueue();
    this.admission = new Admission({ ...deps, turns: deps.turns?.admission ?? new KeyedQueue(), metrics: deps.metrics ?? noMetrics });
    this.metrics = deps.metrics ?? noMetrics;
    this.photos = new PhotoMaker({ ...deps, metrics: this.metrics });
    this.uploads = new UploadLookup(deps);
    const { store, logger } = deps;
    this.intake = new ChunkIntake({ store, logger, metrics: this.metrics, storage: this.storage, windows: this.windows, pending: this.pending, uploads: this.uploads });
  }

  /** See InFlight.drain: begins are refused, requests in hand may finish. */
  drain(deadlineMs: number): Promise<boolean> {
    return this.inFlight.drain(deadlineMs);
  }

  private track<T>(reply: Promise<Result<T>>): Promise<Result<T>> {
    return this.inFlight.track(reply).then((r) => {
      if (!r.ok) this.metrics.failed(r.error.code);
      return r;
    });
  }

  /** Image work running and waiting (for the host's stats, and for specs that wait on the queue). */
  get processingLoad(): FairScheduler['load'] {
    return this.photos.processingLoad;
  }

  begin(ownerId: string, input: unknown, client: UploadClient = UNKNOWN_CLIENT): Promise<Result<UploadBeginReply>> {
    return this.track(this.beginNow(ownerId, input, client)).then((r) => {
      // One line per refusal (never the guest's id): what a host asks about when a phone says "wait".
      if (!r.ok) this.deps.logger.info('upload refused', { errorCode: r.error.code });
      return r;
    });
  }

  private async beginNow(ownerId: string, input: unknown, client: UploadClient): Promise<Result<UploadBeginReply>> {
    const { store, now, limits } = this.deps;
    if (this.inFlight.draining) return restarting();
    let host: HostSettings;
    try {
      host = await store.readSettings();
    } catch (e) {
      return fail(e, this.deps.logger);
    }
    const { maxUploadBytes, maxUploadsPerGuest } = this.deps.hostLimits(host);
    const request = validateBeginRequest(input, maxUploadBytes);
    if (!request.ok) return request;
    const part = request.value.part ?? 'whole';
    const stored = storedRequest(request.value);
    const reply = this.perOwner.run(ownerId, async (): Promise<Result<UploadBeginReply>> => {
      try {
        const photo = await store.findPhotoByUpload(ownerId, request.value.clientUploadId);
        if (part !== 'original' && photo) return ok({ state: 'committed', photo: toPhotoDto(photo) });
        if (part === 'original') {
          // UP24: an original needs its photo, and is done once the photo holds its full copy.
          if (!photo || photo.state === 'removed') throw noPhotoFor();
          if (hasFullCopy(photo)) return ok({ state: 'committed', photo: toPhotoDto(photo) });
        } else {
          // UP16: a pause stops new photos; the original of a photo already made is not one (UP24).
          await this.refuseWhilePaused();
        }
        if (await store.isBlocked(ownerId)) throw new AppError(ErrorCode.GuestBlocked, 'The host has turned off uploads from this phone.');
        let open = await store.findUpload(ownerId, stored.clientUploadId);
        // Expired, or other bytes under the same id (the client re-encoded the file): start afresh.
        if (open && (isExpired(open, now(), limits) || open.size !== stored.size)) {
          await store.deleteUpload(open.id);
          open = null;
        }
        if (!open && (await this.openUploads(ownerId, maxUploadsPerGuest)) >= maxUploadsPerGuest) {
          throw new AppError(ErrorCode.TooManyUploads, `At most ${maxUploadsPerGuest} uploads can run at once.`);
        }
        const { caption, author } = stored;
        if (open && (open.caption !== caption || open.author !== author)) {
          // A guest who fixes a caption before tapping Upload again gets the new words on the wall.
          await store.relabelUpload(open.id, { caption, author });
        }
        // A guest asking again is not idle, even while the upload waits for room (UP18).
        if (open) await store.touchUpload(open.id, now());
        if (open) {
          // The rest of the photo must fit above the reserve; otherwise it waits on the phone.
          await store.ensureRoom(open.size - open.received);
        }
        const upload = open ?? (await this.admission.admit(ownerId, stored, client));
        return ok({ state: 'open', uploadId: upload.id, offset: upload.received, chunkSize: CHUNK_SIZE, window: this.windows.windowFor(upload.id) });
      } catch (e) {
        return fail(e, this.deps.logger);
      }
    });
    return reply.then((r) => this.storage.note(r));
  }

  /** UP16: read from the store on every begin and commit, so every replica honours a pause at once. */
  private async refuseWhilePaused(): Promise<HostSettings> {
    const settings = await this.deps.store.readSettings();
    if (settings.uploadsPaused) {
      throw new AppError(ErrorCode.UploadsPaused, settings.pauseMessage || 'The host has paused uploads for the moment.');
    }
    return settings;
  }

  /** The guest's open uploads, after deleting any that expired and were not swept yet (UP15). */
  private async openUploads(ownerId: string, max: number): Promise<number> {
    const count = await this.deps.store.countUploads(ownerId);
    if (count < max) return count;
    return count - (await this.deleteExpired((upload) => upload.ownerId === ownerId));
  }

  /** Deletes expired uploads (those `which` picks), each in its upload's queue; returns how many. */
  private async deleteExpired(which: (upload: UploadRecord) => boolean = () => true): Promise<number> {
    const { store, now, limits } = this.deps;
    const t = now();
    const stale = (await store.listStaleUploads({ idleBefore: t - limits.idleMs, createdBefore: t - limits.deadlineMs })).filter(which);
    let deleted = 0;
    for (const upload of stale) {
      // One upload that cannot be deleted now must not keep the others: the next sweep tries again.
      try {
        await this.perUpload.run(upload.id, () => store.deleteUpload(upload.id));
        deleted++;
      } catch (e) {
        this.deps.logger.error('could not delete an expired upload', { uploadId: upload.id, error: describeError(e) });
      }
    }
    return deleted;
  }

  chunk(ownerId: string, input: unknown): Promise<Result<UploadChunkReply>> {
    if (this.inFlight.draining) return this.track(Promise.resolve(restarting()));
    const parsed = parseChunk(input);
    if (!parsed.ok) return this.track(Promise.resolve(parsed));
    const { uploadId, offset, data } = parsed.value;
    // The upload's turn ends once the write is handed to the store; the ack waits for the write.
    const reply = this.perUpload.run(uploadId, () => this.intake.take(ownerId, uploadId, offset, data)).then(({ written }) => written);
    return this.track(reply.then((r) => this.storage.note(r)));
  }

  commit(ownerId: string, input: unknown): Promise<Result<PhotoDto>> {
    if (this.inFlight.draining) return this.track(Promise.resolve(restarting()));
    const ref = validateUploadRef(input);
    if (!ref.ok) return this.track(Promise.resolve(ref));
    const started = performance.now();
    const { uploadId } = ref.value;
    // All its bytes are in: its share of the window goes back to the others.
    this.windows.done(uploadId);
    const reply = this.perUpload.run(uploadId, async (): Promise<Result<PhotoDto>> => {
      try {
        // Chunks in flight land (or fail) first: the commit sees every acknowledged byte.
        await this.pending.settled(uploadId);
        const found = await this.uploads.find(ownerId, uploadId);
        // UP10: the first commit already made the photo; answer with it again.
        if (found.kind === 'committed') return ok(toPhotoDto(found.photo));
        const { upload } = found;
        // A commit retried while the disk is full shows the guest is still there (UP18).
        await this.deps.store.touchUpload(upload.id, this.deps.now());
        const original = partOf(upload).part === 'original';
        // An original adds no photo: it is taken while paused (UP24).
        const host = original ? null : await this.refuseWhilePaused();
        if (upload.received < upload.size) {
          throw new AppError(ErrorCode.UploadIncomplete, `Only ${upload.received} of ${upload.size} bytes arrived.`, upload.received);
        }
        if (original) return ok(toPhotoDto(await this.attachOriginal(upload, started)));
        // With pre-approval on, a new photo waits for the host (pending) and no wall sees it yet.
        const { record, isNew } = await this.photos.make(upload, host?.approvalRequired ? 'pending' : 'visible');
        if (isNew) {
          this.deps.notifier.photoAdded(record);
          // Its archive copy is a durable job now: whoever runs jobs can start on it.
          if (hasFullCopy(record)) this.deps.notifier.jobsQueued();
        }
        const ms = performance.now() - started;
        this.metrics.committed(ms / 1000);
        if (isNew) {
          const preview = !hasFullCopy(record);
          this.deps.logger.info('photo uploaded', { photoId: record.id, bytes: upload.size, state: record.state, ms: Math.round(ms), ...(preview ? { preview } : {}) });
        }
        return ok(toPhotoDto(record));
      } catch (e) {
        return fail(e, this.deps.logger);
      }
    });
    return this.track(reply.then((r) => this.storage.note(r))).then((r) => {
      if (!r.ok) this.deps.logger.info('upload not committed', { uploadId, errorCode: r.error.code });
      return r;
    });
  }

  /** UP25: the photo's full copy; the owner's pages and consoles hear of it, the archive job may start. */
  private async attachOriginal(upload: UploadRecord, started: number): Promise<PhotoRecord> {
    const { record, isNew } = await this.photos.attach(upload);
    if (isNew) {
      this.deps.notifier.photoChanged(record);
      this.deps.notifier.jobsQueued();
      const ms = Math.round(performance.now() - started);
      this.deps.logger.info('full copy saved', { photoId: record.id, bytes: upload.size, ms });
    }
    return record;
  }

  abort(ownerId: string, input: unknown): Promise<Result<null>> {
    const ref = validateUploadRef(input);
    if (!ref.ok) return Promise.resolve(ref);
    const { uploadId } = ref.value;
    this.windows.done(uploadId);
    return this.perUpload.run(uploadId, async () => {
      try {
        await this.pending.settled(uploadId);
        await this.uploads.own(ownerId, uploadId);
        await this.deps.store.deleteUpload(uploadId);
        return ok(null);
      } catch (e) {
        return fail(e, this.deps.logger);
      }
    });
  }

  /** UP12: deletes uploads idle or past their deadline, then files a crash left behind. */
  async sweep(): Promise<number> {
    const expired = await this.deleteExpired();
    const orphans = await this.deps.store.sweepOrphans(this.deps.now() - this.deps.limits.idleMs);
    for (const error of orphans.errors) this.deps.logger.error('sweep could not remove a file', { error: describeError(error) });
    await this.storage.check().catch(() => undefined);
    return expired + orphans.removed;
  }
}
