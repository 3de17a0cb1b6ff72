import { Injectable, InjectionToken, inject } from '@angular/core';
import { CHUNK_SIZE, ErrorCode, MAX_FILE_NAME_LENGTH, UPLOAD_WINDOW, type PhotoDto } from '@photobook/shared';
import { filter, firstValueFrom } from 'rxjs';
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
  /** Waits between attempts after a network blip or a busy server; its length is the retry count. */
  readonly retryDelaysMs: readonly number[];
  readonly requestTimeoutMs: number;
}

export const UPLOAD_TUNING = new InjectionToken<UploadTuning>('UPLOAD_TUNING', {
  providedIn: 'root',
  // About two minutes of patience: long enough to walk back into Wi-Fi range.
  factory: () => ({ retryDelaysMs: [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000], requestTimeoutMs: 20_000 }),
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
  /** True while waiting to retry after a network error or a busy server. */
  onRetrying?(retrying: boolean): void;
  /** The host's message while uploads are paused (the upload waits), then null. */
  onPaused?(message: string | null): void;
}

export type UploadOutcome =
  | { readonly kind: 'done'; readonly photo: PhotoDto }
  | { readonly kind: 'failed'; readonly error: ClientError }
  | { readonly kind: 'cancelled' };

/** Worth another try after a wait: the connection, or a server that is busy with this guest. */
const RETRYABLE: ReadonlySet<string> = new Set([ClientErrorCode.Network, ErrorCode.RateLimited, ErrorCode.TooManyUploads]);
/** The upload is gone on the server (expired, swept): begin the same clientUploadId afresh. */
const RESTART: ReadonlySet<string> = new Set([ErrorCode.UploadExpired, ErrorCode.UploadNotFound, ErrorCode.UploadIncomplete]);
const MAX_RESTARTS = 3;
/** Gives up when the server's offsets stop moving forward, rather than looping forever. */
const MAX_STALLED_ROUNDS = 5;

const CANCELLED = Symbol('cancelled');
type Cancelled = typeof CANCELLED;

/** How sending the bytes ended: all in, or why the upload must go back to begin. */
type SendEnd =
  | { readonly kind: 'sent' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'committed' }
  | { readonly kind: 'restart'; readonly error: ClientError }
  | UploadOutcome;

const failed = (code: ClientError['code'], message: string): UploadOutcome => ({ kind: 'failed', error: { code, message } });

/** Runs the begin -> chunk window -> commit protocol for one file (spec/UPLOAD-PROTOCOL.md). */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly realtime = inject(RealtimeService);
  private readonly tuning = inject(UPLOAD_TUNING);

  async upload(job: UploadJob, observer: UploadObserver = {}, signal?: AbortSignal): Promise<UploadOutcome> {
    const opened: { uploadId: string | null } = { uploadId: null };
    const outcome = await this.run(job, observer, signal, opened);
    if (outcome.kind === 'cancelled' && opened.uploadId !== null) {
      // Frees the server's partial upload; nobody waits for the answer.
      void this.realtime.request('upload:abort', { uploadId: opened.uploadId }, this.tuning.requestTimeoutMs);
    }
    if (outcome.kind === 'done') observer.onProgress?.(job.file.size);
    return outcome;
  }

  private async run(
    job: UploadJob,
    observer: UploadObserver,
    signal: AbortSignal | undefined,
    opened: { uploadId: string | null },
  ): Promise<UploadOutcome> {
    let restarts = 0;
    let resumes = 0;
    let lastOffset = -1;
    for (;;) {
      // Begin is also the resume request: the server answers with the bytes it holds (UP1).
      const begin = await this.send('upload:begin', this.beginPayload(job), observer, signal);
      if (begin === CANCELLED) return { kind: 'cancelled' };
      if (!begin.ok) return { kind: 'failed', error: begin.error };
      if (begin.value.state === 'committed') return { kind: 'done', photo: begin.value.photo };
      const uploadId = begin.value.uploadId;
      opened.uploadId = uploadId;
      if (resumes > 0) observer.onRetrying?.(false);
      if (begin.value.offset > lastOffset) resumes = 0;
      lastOffset = begin.value.offset;

      const end = await this.sendChunks(job.file, begin.value, observer, signal);
      if (end.kind === 'cancelled' || end.kind === 'failed' || end.kind === 'done') return end;
      if (end.kind === 'resume') {
        // The connection dropped mid-window: wait with backoff, then ask the server where it is.
        if (resumes >= this.tuning.retryDelaysMs.length) return failed(ClientErrorCode.Network, 'The connection keeps dropping.');
        if ((await this.pause(resumes++, observer, signal)) === CANCELLED) return { kind: 'cancelled' };
        continue;
      }
      if (end.kind === 'restart') {
        if (++restarts > MAX_RESTARTS) return { kind: 'failed', error: end.error };
        continue;
      }
      const commit = await this.send('upload:commit', { uploadId }, observer, signal);
      if (commit === CANCELLED) return { kind: 'cancelled' };
      if (commit.ok) return { kind: 'done', photo: commit.value };
      if (!RESTART.has(commit.error.code) || ++restarts > MAX_RESTARTS) return { kind: 'failed', error: commit.error };
    }
  }

  private beginPayload(job: UploadJob): RequestPayload<'upload:begin'> {
    return {
      clientUploadId: job.clientUploadId,
      name: job.name.slice(0, MAX_FILE_NAME_LENGTH),
      size: job.file.size,
      type: job.file.type,
      caption: job.caption,
      author: job.author,
    };
  }

  /**
   * Keeps up to `window` chunks in flight; each ack moves the confirmed offset. Anything unexpected
   * (a short ack, OFFSET_MISMATCH) drains the window and continues from the server's offset.
   */
  private async sendChunks(
    file: Blob,
    begin: { uploadId: string; offset: number; chunkSize: number; window: number },
    observer: UploadObserver,
    signal: AbortSignal | undefined,
  ): Promise<SendEnd> {
    const size = file.size;
    const chunkSize = clamp(begin.chunkSize, 1, CHUNK_SIZE, CHUNK_SIZE);
    const window = clamp(begin.window, 1, UPLOAD_WINDOW, 1);
    const uploadId = begin.uploadId;
    let confirmed = begin.offset;
    let stalled = 0;
    if (!isValidOffset(confirmed, size)) return failed(ErrorCode.Internal, `Invalid offset ${confirmed}.`);

    while (confirmed < size) {
      observer.onProgress?.(confirmed);
      const inFlight: Array<{ end: number; reply: Promise<ClientResult<{ offset: number }> | Cancelled> }> = [];
      let next = confirmed;
      let irregular = false;
      let before = confirmed;
      while (!irregular && (inFlight.length > 0 || next < size)) {
        while (inFlight.length < window && next < size) {
          const end = Math.min(next + chunkSize, size);
          let data: ArrayBuffer;
          try {
            data = await file.slice(next, end).arrayBuffer();
          } catch {
            return failed(ClientErrorCode.FileUnreadable, 'The file could not be read.');
          }
          const request = this.realtime.request('upload:chunk', { uploadId, offset: next, data }, this.tuning.requestTimeoutMs);
          inFlight.push({ end, reply: untilAborted(request, signal) });
          next = end;
        }
        const head = inFlight.shift()!;
        const reply = await head.reply;
        if (reply === CANCELLED) return { kind: 'cancelled' };
        const replies = [reply];
        if (!reply.ok || reply.value.offset !== head.end) {
          // Drain: later chunks of this window were built on a wrong assumption.
          irregular = true;
          for (const rest of inFlight.splice(0)) {
            const r = await rest.reply;
            if (r === CANCELLED) return { kind: 'cancelled' };
            replies.push(r);
          }
        }
        for (const r of replies) {
          if (r.ok) confirmed = Math.max(confirmed, r.value.offset);
          else if (r.error.code === ErrorCode.OffsetMismatch && r.error.expectedOffset !== undefined) {
            confirmed = Math.max(confirmed, r.error.expectedOffset);
          }
        }
        const firstError = replies.find((r) => !r.ok && r.error.code !== ErrorCode.OffsetMismatch);
        if (firstError && !firstError.ok) {
          const { error } = firstError;
          if (error.code === ClientErrorCode.Network) return { kind: 'resume' };
          if (error.code === ErrorCode.UploadCommitted) return { kind: 'committed' };
          if (RESTART.has(error.code)) return { kind: 'restart', error };
          return { kind: 'failed', error };
        }
        if (!isValidOffset(confirmed, size)) return failed(ErrorCode.Internal, `Invalid offset ${confirmed}.`);
        if (confirmed > before) {
          stalled = 0;
          before = confirmed;
          observer.onProgress?.(confirmed);
        } else if (irregular && ++stalled > MAX_STALLED_ROUNDS) {
          return failed(ErrorCode.OffsetMismatch, 'The upload stopped advancing.');
        }
      }
    }
    observer.onProgress?.(size);
    return { kind: 'sent' };
  }

  /** One protocol step, retried with backoff while the network or server is the problem. */
  private async send<K extends RequestName>(
    event: K,
    payload: RequestPayload<K>,
    observer: UploadObserver,
    signal: AbortSignal | undefined,
  ): Promise<ClientResult<ReplyValue<K>> | Cancelled> {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) return CANCELLED;
      const result = await untilAborted(this.realtime.request(event, payload, this.tuning.requestTimeoutMs), signal);
      if (result === CANCELLED) return CANCELLED;
      if (!result.ok && result.error.code === ErrorCode.UploadsPaused) {
        // Not an error for the guest: the host will resume; wait for that, however long.
        observer.onPaused?.(result.error.message);
        const resumed = await untilAborted(this.untilResumed(), signal);
        observer.onPaused?.(null);
        if (resumed === CANCELLED) return CANCELLED;
        attempt = -1;
        continue;
      }
      if (result.ok || !RETRYABLE.has(result.error.code) || attempt >= this.tuning.retryDelaysMs.length) {
        if (attempt > 0) observer.onRetrying?.(false);
        return result;
      }
      if ((await this.pause(attempt, observer, signal)) === CANCELLED) return CANCELLED;
    }
  }

  /** Backoff, then wait for the socket, reporting the retrying state meanwhile. */
  private async pause(attempt: number, observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onRetrying?.(true);
    const delays = this.tuning.retryDelaysMs;
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 0;
    if ((await untilAborted(sleep(delay), signal)) === CANCELLED) return CANCELLED;
    return untilAborted(this.realtime.whenConnected(this.tuning.requestTimeoutMs).then(() => undefined), signal);
  }

  private untilResumed(): Promise<unknown> {
    return firstValueFrom(this.realtime.settings$.pipe(filter((s) => !s.paused)));
  }
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isSafeInteger(value) && value >= min ? Math.min(value, max) : fallback;
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
