import { Injectable, InjectionToken, inject } from '@angular/core';
import { CHUNK_SIZE, ErrorCode, MAX_FILE_NAME_LENGTH, type PhotoDto } from '@photobook/shared';
import {
  ClientErrorCode,
  type ClientError,
  type ClientResult,
  type ReplyValue,
  type RequestName,
  type RequestPayload,
} from '../core/client-result';
import { RealtimeService } from '../core/realtime.service';

export interface UploadTuning {
  /** Waits between retries of one step after a network blip; its length is the retry count. */
  readonly retryDelaysMs: readonly number[];
  readonly requestTimeoutMs: number;
}

export const UPLOAD_TUNING = new InjectionToken<UploadTuning>('UPLOAD_TUNING', {
  providedIn: 'root',
  factory: () => ({ retryDelaysMs: [500, 1_500, 3_000, 6_000, 10_000], requestTimeoutMs: 20_000 }),
});

export interface UploadJob {
  readonly file: Blob;
  readonly name: string;
  /** Stable per picked file, so a retried begin resumes the same upload instead of starting over. */
  readonly clientUploadId: string;
  readonly caption: string;
  readonly author: string;
}

export interface UploadObserver {
  /** Bytes the server has confirmed. */
  onProgress?(confirmedBytes: number): void;
  /** True while a step waits to be retried after a network error. */
  onRetrying?(retrying: boolean): void;
}

export type UploadOutcome =
  | { readonly kind: 'done'; readonly photo: PhotoDto }
  | { readonly kind: 'failed'; readonly error: ClientError }
  | { readonly kind: 'cancelled' };

/** Transient failures worth retrying: the server's chunk and begin handling are idempotent. */
const RETRYABLE: ReadonlySet<string> = new Set([ClientErrorCode.Network, ErrorCode.RateLimited]);

/** Gives up when the server's offsets stop moving forward, rather than looping forever. */
const MAX_STALLED_STEPS = 5;

const CANCELLED = Symbol('cancelled');
type Cancelled = typeof CANCELLED;

const failed = (code: ClientError['code'], message: string): UploadOutcome => ({
  kind: 'failed',
  error: { code, message },
});

/** Runs the begin -> chunk* -> commit protocol for one file. */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly realtime = inject(RealtimeService);
  private readonly tuning = inject(UPLOAD_TUNING);

  async upload(job: UploadJob, observer: UploadObserver = {}, signal?: AbortSignal): Promise<UploadOutcome> {
    const size = job.file.size;
    const begin = await this.send(
      'upload:begin',
      {
        clientUploadId: job.clientUploadId,
        name: job.name.slice(0, MAX_FILE_NAME_LENGTH),
        size,
        type: job.file.type,
        caption: job.caption,
        author: job.author,
      },
      observer,
      signal,
    );
    if (begin === CANCELLED) return { kind: 'cancelled' };
    if (!begin.ok) return { kind: 'failed', error: begin.error };

    const { uploadId } = begin.value;
    const outcome = await this.sendChunksAndCommit(job.file, uploadId, begin.value, observer, signal);
    if (outcome.kind === 'cancelled') {
      // Frees the server's partial file; nobody waits for the answer.
      void this.realtime.request('upload:abort', { uploadId }, this.tuning.requestTimeoutMs);
    }
    return outcome;
  }

  private async sendChunksAndCommit(
    file: Blob,
    uploadId: string,
    begin: { offset: number; chunkSize: number },
    observer: UploadObserver,
    signal: AbortSignal | undefined,
  ): Promise<UploadOutcome> {
    const size = file.size;
    const chunkSize = Number.isSafeInteger(begin.chunkSize) && begin.chunkSize > 0
      ? Math.min(begin.chunkSize, CHUNK_SIZE)
      : CHUNK_SIZE;
    let offset = begin.offset;
    let stalled = 0;

    while (offset < size) {
      if (!isValidOffset(offset, size)) return failed(ErrorCode.Internal, `Invalid offset ${offset}.`);
      observer.onProgress?.(offset);
      let data: ArrayBuffer;
      try {
        data = await file.slice(offset, Math.min(offset + chunkSize, size)).arrayBuffer();
      } catch {
        return failed(ClientErrorCode.FileUnreadable, 'The file could not be read.');
      }
      // Awaiting each ack is the throttle: one chunk in flight per upload.
      const reply = await this.send('upload:chunk', { uploadId, offset, data }, observer, signal);
      if (reply === CANCELLED) return { kind: 'cancelled' };

      let next: number;
      if (reply.ok) {
        next = reply.value.offset;
      } else if (reply.error.code === ErrorCode.OffsetMismatch && reply.error.expectedOffset !== undefined) {
        next = reply.error.expectedOffset;
      } else {
        return { kind: 'failed', error: reply.error };
      }
      stalled = next > offset ? 0 : stalled + 1;
      if (stalled > MAX_STALLED_STEPS) return failed(ErrorCode.OffsetMismatch, 'The upload stopped advancing.');
      offset = next;
    }
    if (offset !== size) return failed(ErrorCode.Internal, `Invalid offset ${offset}.`);
    observer.onProgress?.(size);

    const commit = await this.send('upload:commit', { uploadId }, observer, signal);
    if (commit === CANCELLED) return { kind: 'cancelled' };
    return commit.ok ? { kind: 'done', photo: commit.value } : { kind: 'failed', error: commit.error };
  }

  /** One protocol step, retried with backoff on transient errors. */
  private async send<K extends RequestName>(
    event: K,
    payload: RequestPayload<K>,
    observer: UploadObserver,
    signal: AbortSignal | undefined,
  ): Promise<ClientResult<ReplyValue<K>> | Cancelled> {
    const delays = this.tuning.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) return CANCELLED;
      const result = await untilAborted(this.realtime.request(event, payload, this.tuning.requestTimeoutMs), signal);
      if (result === CANCELLED) return CANCELLED;
      const delay = delays[attempt];
      if (result.ok || !RETRYABLE.has(result.error.code) || delay === undefined) {
        if (attempt > 0) observer.onRetrying?.(false);
        return result;
      }
      observer.onRetrying?.(true);
      if ((await untilAborted(sleep(delay), signal)) === CANCELLED) return CANCELLED;
    }
  }
}

function isValidOffset(offset: number, size: number): boolean {
  return Number.isSafeInteger(offset) && offset >= 0 && offset <= size;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets a cancel take effect at once instead of after the pending ack. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | Cancelled> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(CANCELLED);
  return new Promise<T | Cancelled>((resolve, reject) => {
    const onAbort = () => resolve(CANCELLED);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
