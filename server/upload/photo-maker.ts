import { ErrorCode, isRetryable } from '@photobook/shared';
import { AppError, describeError, type Logger } from '../errors';
import { checkOriginal, processImage, type ImageInput, type MediaLimits, type ProcessedImage } from '../media/pipeline';
import { IMAGES_AT_ONCE } from '../media/libvips';
import { probeImage } from '../media/probe';
import type { UploadMetrics } from '../observability/upload-metrics';
import { hasFullCopy } from '../photos/dto';
import type { NewBlob, NewPhoto, PhotoRecord, PhotoStore, StagedFile, UploadRecord, UploadStore } from '../store/types';
import { sniffImageType } from '../media/sniff';
import { FairScheduler } from '../util/fair-scheduler';
import { Semaphore } from '../util/concurrency';
import { partOf } from './parts';

/** Holds the header of any PNG, GIF or WebP and of nearly every JPEG (its SOF follows EXIF, ICC and XMP). */
const HEADER_BYTES = 512 * 1024;

export interface Stored {
  readonly record: PhotoRecord;
  /** False when an earlier commit made it (the broadcast then went out already, or goes out again harmlessly). */
  readonly isNew: boolean;
}

export interface PhotoMakerDeps {
  readonly store: Pick<UploadStore, 'readUploadHead' | 'readUpload' | 'uploadFile' | 'deleteUpload'> &
    Pick<PhotoStore, 'findPhotoByUpload' | 'createPhoto' | 'attachSource' | 'stageBlob' | 'discardStaged'>;
  readonly limits: MediaLimits;
  readonly logger: Logger;
  readonly now: () => number;
  readonly metrics: Pick<UploadMetrics, 'processed'>;
  /** Images processed at once, however small (defaults to 2: one per core here). */
  readonly processingSlots?: number;
}

/**
 * A complete upload becomes a photo: probed, processed in fair turns, stored with its source (a whole
 * upload) or without (a preview, UP23). A complete original becomes the full copy of the photo its
 * preview made (UP25).
 */
export class PhotoMaker {
  /** Image work, in turns between guests, within a budget of pixels in flight. */
  private readonly processing: FairScheduler;
  /**
   * Of the images being processed, one decodes at a time while the other encodes its variants
   * (processImage's two steps, about 90 and 35 ms for 12 MP here). The decode holds most of an
   * image's memory, so the peak holds one decode and the cores stay busy: measured here
   * (burst-rss, 10 x 12 MP at once, 5 runs each) 170-177 MB against 181-199 MB with both decoding
   * at once, the burst figure's display p95 about 1.0 s against 0.9 s.
   */
  private readonly decodes = new Semaphore(1);

  constructor(private readonly deps: PhotoMakerDeps) {
    // The largest allowed image fills the budget and runs alone: at most one such decode's memory.
    this.processing = new FairScheduler({ capacity: deps.limits.maxPixels, maxRunning: deps.processingSlots ?? IMAGES_AT_ONCE });
  }

  /** Image work running and waiting (for the host's stats, and for specs that wait on the queue). */
  get processingLoad(): FairScheduler['load'] {
    return this.processing.load;
  }

  /**
   * Processes and stores. A photo that cannot be processed leaves nothing behind (UP9); a failure of
   * the server (storage full, I/O) keeps the acknowledged upload, so the retried commit sends no byte
   * again (UP17).
   */
  async make(upload: UploadRecord, state: NewPhoto['state']): Promise<Stored> {
    const { store, limits } = this.deps;
    const { part, clientUploadId } = partOf(upload);
    let stored: Stored;
    try {
      const existing = await store.findPhotoByUpload(upload.ownerId, clientUploadId);
      // The upload is still here, so the commit that stored this photo never finished (a crash, a
      // lost answer from the database): finish it now, the broadcast included (walls key by id).
      if (existing) return await this.finish(upload, { record: existing, isNew: existing.id === upload.id });
      // The header alone refuses a bomb at once, without waiting for a turn, and weighs the turn.
      const head = await store.readUploadHead(upload.id, HEADER_BYTES);
      const probed = await probeImage(head, upload.size, limits);
      const { image, source } = await this.processing.run(upload.ownerId, probed?.pixels ?? limits.maxPixels, () =>
        this.fromFile(upload, head, async (input) => {
          // The upload as sent, private, until the archive job makes the host's copy of it, is
          // stored while its variants are made: the wall then waits for neither after the other. A
          // preview is no such copy: the photo's full copy comes with its original.
          const type = part === 'whole' ? sniffImageType(head) : null;
          const staging = type ? this.stageSource(upload, MIME[type]) : undefined;
          // Its failure is met below, once the variants are made (or have failed): not a crash meanwhile.
          staging?.catch(() => undefined);
          try {
            // Timed from the decode's turn, not from the wait for it: the metric is the work itself.
            let started = 0;
            const processed = await processImage(input, limits, (decode) =>
              this.decodes.run(() => {
                started = performance.now();
                return decode();
              }),
            );
            this.deps.metrics.processed((performance.now() - started) / 1000);
            return { image: processed, source: await staging };
          } catch (e) {
            await staging?.then((staged) => store.discardStaged(staged)).catch(() => undefined);
            throw e;
          }
        }),
      );
      const record = await store.createPhoto({
        id: upload.id,
        state,
        ownerId: upload.ownerId,
        clientUploadId,
        caption: upload.caption,
        author: upload.author,
        createdAt: this.deps.now(),
        blobs: source
          ? [...image.blobs, { ...sourceMeta(upload, image.source), staged: source }]
          : part === 'whole'
            ? [...image.blobs, sourceBlob(upload, image.source, () => store.readUpload(upload.id))]
            : image.blobs,
      });
      stored = { record, isNew: record.id === upload.id };
    } catch (e) {
      const permanent = e instanceof AppError && !isRetryable(e.code);
      if (permanent) await store.deleteUpload(upload.id);
      throw e;
    }
    return this.finish(upload, stored);
  }

  /**
   * UP25: checked like any upload (type, pixel budget, a decode), and refused with ORIGINAL_MISMATCH
   * when its photo is gone or shows another picture (another shape than the preview on the wall): the
   * host's archive must hold what the host saw. isNew: this call attached it (a repeat changes nothing).
   */
  async attach(upload: UploadRecord): Promise<Stored> {
    const { store, limits } = this.deps;
    let stored: Stored;
    try {
      const photo = await store.findPhotoByUpload(upload.ownerId, partOf(upload).clientUploadId);
      if (!photo || photo.state === 'removed') throw noPhoto();
      if (hasFullCopy(photo)) return await this.finish(upload, { record: photo, isNew: false });
      const head = await store.readUploadHead(upload.id, HEADER_BYTES);
      const probed = await probeImage(head, upload.size, limits);
      const checked = await this.processing.run(upload.ownerId, probed?.pixels ?? limits.maxPixels, () =>
        this.fromFile(upload, head, (input) => checkOriginal(input, limits, (decode) => this.decodes.run(decode))),
      );
      const display = photo.variants.find((v) => v.kind === 'display');
      if (display && !sameShape(checked.upright, display)) {
        throw new AppError(ErrorCode.OriginalMismatch, 'This original is not the picture its preview showed (another shape); the wall keeps the preview.');
      }
      const record = await store.attachSource(photo.id, upload.ownerId, sourceBlob(upload, checked.source, () => store.readUpload(upload.id)));
      if (!record) throw noPhoto();
      stored = { record, isNew: record.seq !== photo.seq };
    } catch (e) {
      if (e instanceof AppError && !isRetryable(e.code)) await store.deleteUpload(upload.id);
      throw e;
    }
    return this.finish(upload, stored);
  }

  /** Writes the upload's bytes as the photo's source blob (its type read from the header, as processImage reads it). */
  private stageSource(upload: UploadRecord, contentType: string): Promise<StagedFile> {
    const { store } = this.deps;
    return store.stageBlob({ kind: 'source', contentType, bytes: upload.size, body: () => store.readUpload(upload.id) }, this.deps.now());
  }

  /** The photo is safe; a partial upload left behind here only waits for the sweep. */
  private async finish(upload: UploadRecord, stored: Stored): Promise<Stored> {
    await this.deps.store.deleteUpload(upload.id).catch((e: unknown) => {
      this.deps.logger.error('could not delete a committed upload', { uploadId: upload.id, error: describeError(e) });
    });
    return stored;
  }

  /**
   * Hands the decoder every byte of an upload as a file it reads in order, never one Buffer of the
   * whole upload (20 MB, and as much again in the pieces it was joined from). Taken inside the turn,
   * so only uploads whose pixels fit the budget are open at once. Bytes that vanished meanwhile are
   * the server's failure, not a bad photo.
   */
  private async fromFile<T>(upload: UploadRecord, head: Uint8Array, work: (input: ImageInput) => Promise<T>): Promise<T> {
    const file = await this.deps.store.uploadFile(upload.id);
    try {
      if (file.bytes !== upload.size) {
        throw new AppError(ErrorCode.Internal, `The upload holds ${file.bytes} of ${upload.size} bytes; please try again.`);
      }
      return await work({ file: file.path, head, bytes: file.bytes });
    } finally {
      await file.release().catch((e: unknown) => {
        this.deps.logger.error('could not remove a temporary copy of an upload', { uploadId: upload.id, error: describeError(e) });
      });
    }
  }
}

const noPhoto = () => new AppError(ErrorCode.OriginalMismatch, 'The photo this original belongs to is not there (removed, or its preview never arrived).');

/**
 * The same picture up to rounding: the preview was scaled (twice, by the phone and for the wall), never
 * cropped. 2% plus one pixel of the smaller side of the display.
 */
function sameShape(original: { width: number; height: number }, display: { width: number; height: number }): boolean {
  const ratio = original.width / original.height;
  const shown = display.width / display.height;
  return Math.abs(ratio - shown) / shown <= 0.02 + 1 / Math.min(display.width, display.height);
}

const MIME: Readonly<Record<ProcessedImage['source']['type'], string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  avif: 'image/avif',
};

function sourceMeta(upload: UploadRecord, source: ProcessedImage['source']): Omit<NewBlob, 'body'> {
  return { kind: 'source', contentType: MIME[source.type], width: source.width, height: source.height, bytes: upload.size };
}

function sourceBlob(upload: UploadRecord, source: ProcessedImage['source'], body: () => AsyncIterable<Uint8Array>): NewBlob {
  return { ...sourceMeta(upload, source), body };
}
