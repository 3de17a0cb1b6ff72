import { Injectable, InjectionToken, inject } from '@angular/core';
import { ErrorCode, MAX_FILE_NAME_LENGTH, type PhotoDto, type UploadPart } from '@photobook/shared';
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
import { UPLOAD_JITTER, backoffDelay } from './backoff';
import { CANCELLED, untilAborted, type Cancelled } from './cancellable';
import { RESTART, canRetry, failed, sendChunks } from './chunk-window';
import { OnlineStatus } from './online-status';

export interface UploadTuning {
  /**
   * Waits between attempts after a network blip or a server failure (each times a jitter of 0.5
   * to 1); its length is the retry count. The last step is also the steady cadence while the
   * server's storage is full (no retry limit).
   */
  readonly retryDelaysMs: readonly number[];
  readonly requestTimeoutMs: number;
}

export const UPLOAD_TUNING = new InjectionToken<UploadTuning>('UPLOAD_TUNING', {
  providedIn: 'root',
  // About two minutes of patience: long enough to walk back into Wi-Fi range.
  factory: () => ({ retryDelaysMs: [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000], requestTimeoutMs: 20_000 }),
});

/**
 * The abort reason of a page that goes away: the upload stops here, but the server keeps what it
 * holds (no upload:abort), so the next visit resumes from there.
 */
export const LEAVING = 'leaving';

export interface UploadJob {
  readonly file: Blob;
  readonly name: string;
  /** Stable per picked file, so a retried begin resumes the same upload instead of starting over. */
  readonly clientUploadId: string;
  readonly caption: string;
  readonly author: string;
  /** Which bytes these are (UP22): the preview, then the original; absent: the photo whole. */
  readonly part?: UploadPart;
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

const MAX_RESTARTS = 3;

/** Runs the begin -> chunk window -> commit protocol for one file (spec/UPLOAD-PROTOCOL.md). */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly realtime = inject(RealtimeService);
  private readonly tuning = inject(UPLOAD_TUNING);
  private readonly jitter = inject(UPLOAD_JITTER);
  private readonly network = inject(OnlineStatus);

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
    if (outcome.kind === 'cancelled' && opened.uploadId !== null && signal?.reason !== LEAVING) {
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

      const chunk = (payload: RequestPayload<'upload:chunk'>) => this.realtime.request('upload:chunk', payload, this.tuning.requestTimeoutMs);
      const end = await sendChunks(chunk, job.file, begin.value, observer, signal);
      if (end.kind === 'cancelled' || end.kind === 'failed' || end.kind === 'done') return end;
      if (end.kind === 'resume') {
        if (end.error.code === ErrorCode.StorageFull) {
          // Nothing is lost, only delayed: wait for room however long it takes, outside the retry budget.
          if ((await this.waitForRoom(observer, signal)) === CANCELLED) return { kind: 'cancelled' };
          continue;
        }
        if (this.offline(end.error)) {
          // The phone has no network at all: no retry is spent until it is back.
          if ((await this.whileOffline(signal)) === CANCELLED) return { kind: 'cancelled' };
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
      // A commit repeated after an original was taken answers UPLOAD_NOT_FOUND: begin then says committed.
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
      // Absent means whole, which every server understands.
      ...(job.part && job.part !== 'whole' ? { part: job.part } : {}),
    };
  }

  /**
   * One protocol step, retried with backoff while the network or server is the problem. Paused
   * uploads, full storage and a phone without network are waits, not failures: they use no retry budget.
   */
  private async send<K extends RequestName>(
    event: K,
    payload: RequestPayload<K>,
    observer: UploadObserver,
    signal: AbortSignal | undefined,
  ): Promise<ClientResult<ReplyValue<K>> | Cancelled> {
    for (let attempt = 0; ; attempt++) {
      if ((await this.whileOffline(signal)) === CANCELLED || signal?.aborted) return CANCELLED;
      const result = await untilAborted(this.realtime.request(event, payload, this.tuning.requestTimeoutMs), signal);
      if (result === CANCELLED) return CANCELLED;
      if (!result.ok && this.offline(result.error)) {
        attempt = -1; // waits at the top of the loop until the phone is back online
        continue;
      }
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

  /** A lost request while the browser says it has no network: wait for it rather than retry. */
  private offline(error: ClientError): boolean {
    return error.code === ClientErrorCode.Network && !this.network.online();
  }

  private whileOffline(signal: AbortSignal | undefined): Promise<void | Cancelled> {
    return this.network.online() ? Promise.resolve() : untilAborted(this.network.whenOnline(signal), signal);
  }

  /** Jittered backoff, then wait for the socket, reporting the retrying state meanwhile. */
  private pause(attempt: number, observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onRetrying?.(true);
    return this.waitThenConnected(backoffDelay(this.tuning.retryDelaysMs, attempt, this.jitter), signal);
  }

  /**
   * The server's disk is down to its reserve. The host has to make room, which takes minutes, so
   * ask again at the slowest backoff step, as often as it takes, rather than hammering the server.
   */
  private waitForRoom(observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onStorageFull?.(true);
    const steps = this.tuning.retryDelaysMs;
    return this.waitThenConnected(backoffDelay(steps, steps.length - 1, this.jitter), signal);
  }

  /** The wait ends early when the browser comes back online: the retry then goes at once. */
  private async waitThenConnected(delayMs: number, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    if ((await untilAborted(this.network.sleep(delayMs, signal), signal)) === CANCELLED) return CANCELLED;
    return untilAborted(this.realtime.whenConnected(this.tuning.requestTimeoutMs).then(() => undefined), signal);
  }

  private untilResumed(): Promise<unknown> {
    return firstValueFrom(this.realtime.settings$.pipe(filter((s) => !s.paused)));
  }
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
