import { randomBytes } from 'node:crypto';
import {
  CHUNK_SIZE,
  ErrorCode,
  isId,
  ok,
  validateBeginRequest,
  validateUploadRef,
  type PhotoDto,
  type Result,
  type UploadBeginReply,
  type UploadChunkReply,
} from '@photobook/shared';
import { AppError, type Logger } from '../errors';
import { checkType, processImage, type MediaLimits } from '../media/pipeline';
import { toPhotoDto } from '../photos/dto';
import { KeyedQueue, Semaphore } from '../util/concurrency';
import type { PhotoStore, UploadRecord } from '../store/types';
import { decideChunk } from './protocol';

export interface UploadServiceDeps {
  readonly store: PhotoStore;
  readonly limits: MediaLimits & { readonly maxUploadBytes: number };
  readonly logger: Logger;
  readonly now: () => number;
  /** Called after a photo is durably stored; the socket layer broadcasts it. */
  readonly onPhotoAdded: (photo: PhotoDto) => void;
  /** Images decoded at once (defaults to 2: one per core here). */
  readonly processingSlots?: number;
}

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

const fail = <T>(e: unknown, logger: Logger): Result<T> => {
  if (e instanceof AppError) return e.toResult();
  logger.error('upload failed', { error: e instanceof Error ? e.stack : String(e) });
  return new AppError(ErrorCode.Internal, 'Something went wrong on the server.').toResult();
};

/** Begin, chunk, commit and abort for one guest's uploads. Peer input yields Results, never throws. */
export class UploadService {
  private readonly commits = new KeyedQueue();
  private readonly processing: Semaphore;

  constructor(private readonly deps: UploadServiceDeps) {
    this.processing = new Semaphore(deps.processingSlots ?? 2);
  }

  async begin(ownerId: string, input: unknown): Promise<Result<UploadBeginReply>> {
    const request = validateBeginRequest(input, this.deps.limits.maxUploadBytes);
    if (!request.ok) return request;
    try {
      const upload = await this.deps.store.beginUpload({
        id: newId(),
        ownerId,
        ...request.value,
        createdAt: this.deps.now(),
      });
      return ok({ uploadId: upload.id, offset: upload.received, chunkSize: CHUNK_SIZE });
    } catch (e) {
      return fail(e, this.deps.logger);
    }
  }

  private async ownUpload(ownerId: string, uploadId: string): Promise<UploadRecord> {
    const upload = await this.deps.store.getUpload(uploadId);
    // Another guest's upload looks exactly like a missing one.
    if (!upload || upload.ownerId !== ownerId) {
      throw new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
    }
    return upload;
  }

  async chunk(ownerId: string, input: unknown): Promise<Result<UploadChunkReply>> {
    const parsed = parseChunk(input);
    if (!parsed.ok) return parsed;
    const { uploadId, offset, data } = parsed.value;
    try {
      const upload = await this.ownUpload(ownerId, uploadId);
      const decision = decideChunk(upload.received, upload.size, offset, data.byteLength);
      switch (decision.kind) {
        case 'duplicate':
          return ok({ offset: upload.received });
        case 'gap':
          throw new AppError(ErrorCode.OffsetMismatch, `Expected the chunk at byte ${decision.expected}.`, decision.expected);
        case 'overflow':
          await this.deps.store.deleteUpload(uploadId);
          throw new AppError(ErrorCode.TooLarge, 'The upload sent more bytes than it declared; it was cancelled.');
        case 'append': {
          if (upload.received === 0) checkType(data.subarray(decision.skip, decision.skip + 16));
          const at = offset + decision.skip;
          const received = await this.deps.store.appendUpload(uploadId, at, data.subarray(decision.skip));
          if (received < at + data.byteLength - decision.skip) {
            throw new AppError(ErrorCode.OffsetMismatch, `Expected the chunk at byte ${received}.`, received);
          }
          return ok({ offset: received });
        }
      }
    } catch (e) {
      if (e instanceof AppError && (e.code === ErrorCode.UnsupportedType || e.code === ErrorCode.HeicUnsupported)) {
        await this.deps.store.deleteUpload(uploadId);
      }
      return fail(e, this.deps.logger);
    }
  }

  async commit(ownerId: string, input: unknown): Promise<Result<PhotoDto>> {
    const ref = validateUploadRef(input);
    if (!ref.ok) return ref;
    const { uploadId } = ref.value;
    return this.commits.run(uploadId, async () => {
      try {
        const upload = await this.ownUpload(ownerId, uploadId);
        if (upload.received < upload.size) {
          throw new AppError(ErrorCode.UploadIncomplete, `Only ${upload.received} of ${upload.size} bytes arrived.`, upload.received);
        }
        const photo = await this.store(upload);
        this.deps.onPhotoAdded(photo);
        return ok(photo);
      } catch (e) {
        return fail(e, this.deps.logger);
      }
    });
  }

  /** Processes and stores; a photo that cannot be processed leaves nothing behind. */
  private async store(upload: UploadRecord): Promise<PhotoDto> {
    const existing = await this.deps.store.findPhotoByUpload(upload.ownerId, upload.clientUploadId);
    if (existing) return toPhotoDto(existing);
    try {
      const input = await this.deps.store.readUpload(upload.id);
      const image = await this.processing.run(() => processImage(input, this.deps.limits));
      const record = await this.deps.store.createPhoto({
        id: newId(),
        ownerId: upload.ownerId,
        clientUploadId: upload.clientUploadId,
        caption: upload.caption,
        author: upload.author,
        createdAt: this.deps.now(),
        blobs: image.blobs,
      });
      return toPhotoDto(record);
    } finally {
      await this.deps.store.deleteUpload(upload.id);
    }
  }

  async abort(ownerId: string, input: unknown): Promise<Result<null>> {
    const ref = validateUploadRef(input);
    if (!ref.ok) return ref;
    try {
      await this.ownUpload(ownerId, ref.value.uploadId);
      await this.deps.store.deleteUpload(ref.value.uploadId);
      return ok(null);
    } catch (e) {
      return fail(e, this.deps.logger);
    }
  }

  /** Deletes partial uploads idle since before `cutoff`; returns how many. */
  async sweep(cutoff: number): Promise<number> {
    const stale = await this.deps.store.listStaleUploads(cutoff);
    for (const upload of stale) await this.deps.store.deleteUpload(upload.id);
    return stale.length;
  }
}

interface ParsedChunk {
  readonly uploadId: string;
  readonly offset: number;
  readonly data: Uint8Array;
}

/** Chunks must be binary: Socket.IO hands Node a Buffer; strings, arrays and objects are refused. */
function parseChunk(input: unknown): Result<ParsedChunk> {
  const bad = new AppError(ErrorCode.BadRequest, 'A chunk needs uploadId, offset and binary data.');
  if (typeof input !== 'object' || input === null) return bad.toResult();
  const { uploadId, offset, data } = input as Record<string, unknown>;
  if (!isId(uploadId) || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    return bad.toResult();
  }
  if (!Buffer.isBuffer(data)) return new AppError(ErrorCode.BadRequest, 'Chunk data must be binary.').toResult();
  if (data.byteLength === 0 || data.byteLength > CHUNK_SIZE) {
    return new AppError(ErrorCode.BadRequest, `A chunk holds 1 to ${CHUNK_SIZE} bytes.`).toResult();
  }
  return ok({ uploadId, offset, data });
}
