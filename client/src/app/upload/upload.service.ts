import { Injectable, InjectionToken, inject } from '@angular/core';
import { CHUNK_SIZE, ErrorCode, MAX_FILE_NAME_LENGTH, UPLOAD_WINDOW, isRetryable, type PhotoDto } from '@photobook/shared';
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
import { CANCELLED, sleep, untilAborted, type Cancelled } from './cancellable';

export interface UploadTuning {
  /**
   * Waits between attempts after a network blip or a server failure; its length is the retry count.
   * The last step is also the steady cadence while the server's storage is full (no retry limit).
   */
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
  /** True while the server's storage is full and the photo waits on the phone; called on changes only. */
  onStorageFull?(waiting: boolean): void;
}

export type UploadOutcome =
  | { readonly kind: 'done'; readonly photo: PhotoDto }
  | { readonly kind: 'failed'; readonly error: ClientError }
  | { readonly kind: 'cancelled' };

/** The upload is gone on the server (expired, swept): begin the same clientUploadId afresh. */
const RESTART: ReadonlySet<string> = new Set([ErrorCode.UploadExpired, ErrorCode.UploadNotFound, ErrorCode.UploadIncomplete]);
const MAX_RESTARTS = 3;
/** Gives up when the server's offsets stop moving forward, rather than looping forever. */
const MAX_STALLED_ROUNDS = 5;

/** How sending the bytes ended: all in, or why the upload must go back to begin. */
type SendEnd =
  | { readonly kind: 'sent' }
  /** A retryable failure mid-window: the server kept what it acked, so begin tells where to go on. */
  | { readonly kind: 'resume'; readonly error: ClientError }
  | { readonly kind: 'committed' }
  | { readonly kind: 'restart'; readonly error: ClientError }
  | UploadOutcome;

const failed = (code: ClientError['code'], message: string): UploadOutcome => ({ kind: 'failed', error: { code, message } });

/**
 * Worth the same request again after a wait: a lost connection, or a failure of the server rather
 * than of the photo (shared RETRYABLE_CODES). Every other code is final.
 */
function canRetry(code: string): boolean {
  return code === ClientErrorCode.Network || isRetryable(code);
}

/** Runs the begin -> chunk window -> commit protocol for one file (spec/UPLOAD-PROTOCOL.md). */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly realtime = inject(RealtimeService);
  private readonly tuning = inject(UPLOAD_TUNING);

  async upload(job: UploadJob, caller: UploadObserver = {}, signal?: AbortSignal): Promise<UploadOutcome> {
    // Every reply reports whether storage is full; the caller hears only the changes.
    const observer: UploadObserver = {
      onProgress: (bytes) => caller.onProgress?.(bytes),
      onRetrying: (retrying) => caller.onRetrying?.(retrying),
      onPaused: (message) => caller.onPaused?.(message),
      onStorageFull: changesOnly((waiting) => caller.onStorageFull?.(waiting)),
    };
    const opened: { uploadId: string | null } = { uploadId: null };
    const outcome = await this.run(job, observer, signal, opened);
    observer.onStorageFull?.(false);
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
        if (end.error.code === ErrorCode.StorageFull) {
          // Nothing is lost, only delayed: wait for room however long it takes, outside the retry budget.
          if ((await this.waitForRoom(observer, signal)) === CANCELLED) return { kind: 'cancelled' };
          continue;
        }
        // The connection dropped or the server failed mid-window: back off, then ask where it is.
        if (resumes >= this.tuning.retryDelaysMs.length) {
          return end.error.code === ClientErrorCode.Network
            ? failed(ClientErrorCode.Network, 'The connection keeps dropping.')
            : { kind: 'failed', error: end.error };
        }
        if ((await this.pause(resumes++, observer, signal)) === CANCELLED) return { kind: 'cancelled' };
        continue;
      }
      if (end.kind === 'restart') {
        if (++restarts > MAX_RESTARTS) return { kind: 'failed', error: end.error };
        continue;
      }
      // A failed commit keeps the acknowledged bytes on the server, so send() retries it alone.
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
          if (error.code === ErrorCode.UploadCommitted) return { kind: 'committed' };
          if (RESTART.has(error.code)) return { kind: 'restart', error };
          // The server acked nothing for the refused chunk; begin answers the offset it holds.
          if (canRetry(error.code)) return { kind: 'resume', error };
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

  /**
   * One protocol step, retried with backoff while the network or server is the problem. Paused
   * uploads and full storage are waits, not failures: they use no retry budget.
   */
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
      const code = result.ok ? null : result.error.code;
      observer.onStorageFull?.(code === ErrorCode.StorageFull);
      // A busy server (too much on its way at once) clears by itself: keep asking past the budget.
      const withinBudget = attempt < this.tuning.retryDelaysMs.length || code === ErrorCode.ServerBusy;
      const backOff = code !== null && code !== ErrorCode.StorageFull && canRetry(code) && withinBudget;
      if (attempt > 0 && !backOff) observer.onRetrying?.(false);
      if (!result.ok && code === ErrorCode.UploadsPaused) {
        // Not an error for the guest: the host will resume; wait for that, however long.
        observer.onPaused?.(result.error.message);
        const resumed = await untilAborted(this.untilResumed(), signal);
        observer.onPaused?.(null);
        if (resumed === CANCELLED) return CANCELLED;
        attempt = -1;
        continue;
      }
      if (code === ErrorCode.StorageFull) {
        // The server keeps what it holds (a refused commit keeps the whole upload): ask again later.
        if ((await this.waitForRoom(observer, signal)) === CANCELLED) return CANCELLED;
        attempt = -1;
        continue;
      }
      if (!backOff) return result;
      if ((await this.pause(attempt, observer, signal)) === CANCELLED) return CANCELLED;
    }
  }

  /** Backoff, then wait for the socket, reporting the retrying state meanwhile. */
  private pause(attempt: number, observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onRetrying?.(true);
    const delays = this.tuning.retryDelaysMs;
    return this.waitThenConnected(delays[Math.min(attempt, delays.length - 1)] ?? 0, signal);
  }

  /**
   * The server's disk is down to its reserve. The host has to make room, which takes minutes, so
   * ask again at the slowest backoff step, as often as it takes, rather than hammering the server.
   */
  private waitForRoom(observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onStorageFull?.(true);
    return this.waitThenConnected(this.tuning.retryDelaysMs.at(-1) ?? 0, signal);
  }

  private async waitThenConnected(delayMs: number, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    if ((await untilAborted(sleep(delayMs), signal)) === CANCELLED) return CANCELLED;
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

/** Forwards a boolean state only when it changes, so callers may report it on every reply. */
function changesOnly(report: (value: boolean) => void): (value: boolean) => void {
  let last = false;
  return (value) => {
    if (value === last) return;
    last = value;
    report(value);
  };
}
