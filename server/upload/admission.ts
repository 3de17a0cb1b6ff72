import { randomBytes } from 'node:crypto';
import { ErrorCode, type UploadBeginRequest } from '@photobook/shared';
import { AppError } from '../errors';
import type { Turns } from '../limits/shared-turns';
import type { UploadMetrics } from '../observability/upload-metrics';
import type { StorageUpkeep, UploadRecord, UploadStore } from '../store/types';

/** Who is asking, beyond the owner: the keyed hash of the client's address (null: unknown). */
export interface UploadClient {
  readonly addressKey: string | null;
}

export interface AdmissionLimits {
  /** Declared bytes all open partial uploads together may hold (PARTIAL_UPLOADS_MAX_MB). */
  readonly partialUploadsMaxBytes: number;
  /** Declared bytes the open uploads from one address may hold (PARTIAL_UPLOADS_PER_ADDRESS_MB). */
  readonly partialUploadsPerAddressBytes?: number;
}

export interface AdmissionDeps {
  readonly store: Pick<UploadStore, 'beginUpload' | 'reservedUploadBytes' | 'outstandingBytes'> & Pick<StorageUpkeep, 'ensureRoom'>;
  readonly limits: AdmissionLimits;
  readonly now: () => number;
  /** One admission at a time, on every replica (the checks below are check-then-act). */
  readonly turns: Turns;
  readonly metrics: Pick<UploadMetrics, 'begun'>;
}

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * A new upload, admitted one at a time across all guests (UP19): it must fit beside what open
 * uploads still expect, on the disk above the reserve (or several could each take part of the
 * space and none could finish), under the total cap for partial uploads (a new cookie buys no new
 * space), and under the share one address may hold (a venue's shared Wi-Fi, or one script).
 */
export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  admit(ownerId: string, request: Omit<UploadBeginRequest, 'part'>, client: UploadClient): Promise<UploadRecord> {
    const { store, now, limits } = this.deps;
    return this.deps.turns.run('all', async () => {
      const promised = await store.outstandingBytes();
      if ((await store.reservedUploadBytes()) + request.size > limits.partialUploadsMaxBytes) {
        throw new AppError(ErrorCode.ServerBusy, 'Lots of photos are on their way right now; yours goes out in a moment.');
      }
      const perAddress = limits.partialUploadsPerAddressBytes;
      if (client.addressKey !== null && perAddress !== undefined && (await store.reservedUploadBytes(client.addressKey)) + request.size > perAddress) {
        throw new AppError(ErrorCode.ServerBusy, 'Lots of photos are on their way from this network; yours goes out in a moment.');
      }
      await store.ensureRoom(request.size + promised);
      const upload = await store.beginUpload({ id: newId(), ownerId, ...request, addressKey: client.addressKey, createdAt: now() });
      this.deps.metrics.begun();
      return upload;
    });
  }
}
