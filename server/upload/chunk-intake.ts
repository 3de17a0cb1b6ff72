/**
 * The chunk path (UP3-UP8, UP17): each chunk is checked against its upload while the one before it
 * may still be being written, appended, and acknowledged once its bytes and all before them are
 * written; nothing behind a failed write is acknowledged.
 */
import { ErrorCode, ok, type Result, type UploadChunkReply } from '@photobook/shared';
import { AppError, type Logger } from '../errors';
import { checkType } from '../media/pipeline';
import type { UploadMetrics } from '../observability/upload-metrics';
import type { UploadStore } from '../store/types';
import type { PendingWrites } from './pending-writes';
import { decideChunk } from './protocol';
import type { StorageWatch } from './storage-watch';
import { fail } from './upload-errors';
import type { UploadLookup } from './upload-lookup';
import type { WindowShare } from './window-share';

export interface ChunkIntakeDeps {
  readonly store: Pick<UploadStore, 'appendUpload' | 'deleteUpload'>;
  readonly logger: Logger;
  readonly metrics: UploadMetrics;
  readonly storage: StorageWatch;
  readonly windows: WindowShare;
  /** The writes in flight, which commit and abort wait for too. */
  readonly pending: PendingWrites;
  readonly uploads: UploadLookup;
}

export class ChunkIntake {
  constructor(private readonly deps: ChunkIntakeDeps) {}

  /** Runs in the upload's turn, which ends once the write is handed to the store; `written` is the ack. */
  async take(ownerId: string, uploadId: string, offset: number, data: Uint8Array): Promise<{ written: Promise<Result<UploadChunkReply>> }> {
    const now = <T>(r: Result<T>) => ({ written: Promise.resolve(r) });
    try {
      // Read before the lookup: a write in flight may land while the record is read, and the record
      // read before it landed would then send this chunk back as a gap behind bytes already acked.
      const pendingEnd = this.deps.pending.end(uploadId);
      const upload = await this.deps.uploads.own(ownerId, uploadId);
      // Only an upload of this guest's counts as sending: made-up ids must not shrink everyone's window.
      this.deps.windows.sending(uploadId);
      if (pendingEnd !== undefined && pendingEnd !== offset) {
        // Anything but the chunk right after the writes in flight is decided on durable bytes only.
        await this.deps.pending.settled(uploadId);
        return this.take(ownerId, uploadId, offset, data);
      }
      const decision = decideChunk(pendingEnd ?? upload.received, upload.size, offset, data.byteLength);
      switch (decision.kind) {
        case 'duplicate':
          return now(ok({ offset: upload.received }));
        case 'gap':
          throw new AppError(ErrorCode.OffsetMismatch, `Expected the chunk at byte ${decision.expected}.`, decision.expected);
        case 'overflow':
          await this.deps.pending.settled(uploadId);
          await this.deps.store.deleteUpload(uploadId);
          throw new AppError(ErrorCode.TooLarge, 'The upload sent more bytes than it declared; it was cancelled.');
        case 'append': {
          const at = offset + decision.skip;
          const bytes = data.subarray(decision.skip);
          const written = this.append(upload.id, at, bytes);
          this.deps.pending.add(uploadId, at + bytes.byteLength, written);
          return {
            written: written.then(
              (received): Result<UploadChunkReply> => {
                this.deps.metrics.received(bytes.byteLength);
                this.deps.storage.stored();
                return ok({ offset: received });
              },
              (e: unknown) => fail<UploadChunkReply>(e, this.deps.logger),
            ),
          };
        }
      }
    } catch (e) {
      return now(fail<UploadChunkReply>(e, this.deps.logger));
    }
  }

  /** `at` is the upload's end (durable, or once the writes in flight land): 0 means its first bytes. */
  private async append(uploadId: string, at: number, data: Uint8Array): Promise<number> {
    if (at === 0) {
      try {
        checkType(data.subarray(0, 16));
      } catch (e) {
        await this.deps.store.deleteUpload(uploadId);
        throw e;
      }
    }
    const received = await this.deps.store.appendUpload(uploadId, at, data);
    if (received !== at + data.byteLength) {
      throw new AppError(ErrorCode.OffsetMismatch, `Expected the chunk at byte ${received}.`, received);
    }
    return received;
  }
}
