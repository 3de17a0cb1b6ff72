import { ErrorCode, MAX_FILE_NAME_LENGTH } from '@photobook/shared';
import {
  ClientErrorCode,
  type ClientError,
  type ClientResult,
  type ReplyValue,
  type RequestName,
  type RequestPayload,
} from '../../core/client-result';
import { backoffDelay, type Jitter } from './retry-delay';
import { CANCELLED, untilAborted, type Cancelled } from './cancellable';
import { RESTART, canRetry, failed, sendChunks } from './chunk-window';
import type { NetworkState } from './network-watch';
import { LEAVING, type UploadJob, type UploadObserver, type UploadOutcome, type UploadTuning } from './upload-job';

/**
 * The socket as the upload protocol needs it: the phone's RealtimeService, or the browser
 * extension's own connection to the event's server.
 */
export interface UploadConnection {
  /** Sends a request and resolves with its Result (a lost connection or no ack in time is NETWORK); never rejects. */
  request<K extends RequestName>(event: K, payload: RequestPayload<K>, timeoutMs: number): Promise<ClientResult<ReplyValue<K>>>;
  /** Resolves true once connected, or false after timeoutMs. */
  whenConnected(timeoutMs: number): Promise<boolean>;
  /** Resolves once the host resumes uploads (settings:changed with paused false). */
  whenUploadsResume(): Promise<unknown>;
}

export interface UploadRunnerDeps {
  readonly connection: UploadConnection;
  readonly network: NetworkState;
  /** Read on every wait, so its delays may change between uploads. */
  readonly tuning: UploadTuning;
  readonly jitter: Jitter;
}

const MAX_RESTARTS = 3;

/**
 * Runs the begin -> chunk window -> commit protocol for one file (spec/UPLOAD-PROTOCOL.md), with
 * its resumes, retries and waits. No framework and no socket library: the phone's UploadService
 * and the browser extension each hand it their connection.
 */
export class UploadRunner {
  constructor(private readonly deps: UploadRunnerDeps) {}

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
      void this.deps.connection.request('upload:abort', { uploadId: opened.uploadId }, this.deps.tuning.requestTimeoutMs);
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
    const { connection, tuning } = this.deps;
    let restarts = 0;
    let resumes = 0;
    let lastOffset = -1;
    for (;;) {
      // Begin is also the resume request: the server answers with the bytes it holds (UP1).
      const begin = await this.send('upload:begin', beginPayload(job), observer, signal);
      if (begin === CANCELLED) return { kind: 'cancelled' };
      if (!begin.ok) return { kind: 'failed', error: begin.error };
      if (begin.value.state === 'committed') return { kind: 'done', photo: begin.value.photo };
      const uploadId = begin.value.uploadId;
      opened.uploadId = uploadId;
      if (resumes > 0) observer.onRetrying?.(false);
      if (begin.value.offset > lastOffset) resumes = 0;
      lastOffset = begin.value.offset;

      const chunk = (payload: RequestPayload<'upload:chunk'>) => connection.request('upload:chunk', payload, tuning.requestTimeoutMs);
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
        if (resumes >= tuning.retryDelaysMs.length) {
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
    const { connection, tuning } = this.deps;
    for (let attempt = 0; ; attempt++) {
      if ((await this.whileOffline(signal)) === CANCELLED || signal?.aborted) return CANCELLED;
      const result = await untilAborted(connection.request(event, payload, tuning.requestTimeoutMs), signal);
      if (result === CANCELLED) return CANCELLED;
      if (!result.ok && this.offline(result.error)) {
        attempt = -1; // waits at the top of the loop until the phone is back online
        continue;
      }
      const code = result.ok ? null : result.error.code;
      observer.onStorageFull?.(code === ErrorCode.StorageFull);
      // A busy server (too much on its way at once) clears by itself: keep asking past the budget.
      const withinBudget = attempt < tuning.retryDelaysMs.length || code === ErrorCode.ServerBusy;
      const backOff = code !== null && code !== ErrorCode.StorageFull && canRetry(code) && withinBudget;
      if (attempt > 0 && !backOff) observer.onRetrying?.(false);
      if (!result.ok && code === ErrorCode.UploadsPaused) {
        // Not an error for the guest: the host will resume; wait for that, however long.
        observer.onPaused?.(result.error.message);
        const resumed = await untilAborted(connection.whenUploadsResume(), signal);
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
    return error.code === ClientErrorCode.Network && !this.deps.network.online();
  }

  private whileOffline(signal: AbortSignal | undefined): Promise<void | Cancelled> {
    const { network } = this.deps;
    return network.online() ? Promise.resolve() : untilAborted(network.whenOnline(signal), signal);
  }

  /** Jittered backoff, then wait for the socket, reporting the retrying state meanwhile. */
  private pause(attempt: number, observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onRetrying?.(true);
    return this.waitThenConnected(backoffDelay(this.deps.tuning.retryDelaysMs, attempt, this.deps.jitter), signal);
  }

  /**
   * The server's disk is down to its reserve. The host has to make room, which takes minutes, so
   * ask again at the slowest backoff step, as often as it takes, rather than hammering the server.
   */
  private waitForRoom(observer: UploadObserver, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    observer.onStorageFull?.(true);
    const steps = this.deps.tuning.retryDelaysMs;
    return this.waitThenConnected(backoffDelay(steps, steps.length - 1, this.deps.jitter), signal);
  }

  /** The wait ends early when the browser comes back online: the retry then goes at once. */
  private async waitThenConnected(delayMs: number, signal: AbortSignal | undefined): Promise<void | Cancelled> {
    const { network, connection, tuning } = this.deps;
    if ((await untilAborted(network.sleep(delayMs, signal), signal)) === CANCELLED) return CANCELLED;
    return untilAborted(connection.whenConnected(tuning.requestTimeoutMs).then(() => undefined), signal);
  }
}

function beginPayload(job: UploadJob): RequestPayload<'upload:begin'> {
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

/** Forwards a boolean state only when it changes, so callers may report it on every reply. */
function changesOnly(report: (value: boolean) => void): (value: boolean) => void {
  let last = false;
  return (value) => {
    if (value === last) return;
    last = value;
    report(value);
  };
}
