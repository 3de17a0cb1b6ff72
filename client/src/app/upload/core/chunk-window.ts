import { CHUNK_SIZE, ErrorCode, UPLOAD_WINDOW, UploadPace, isRetryable } from '@photobook/shared';
import { ClientErrorCode, type ClientError, type ClientResult, type ReplyValue, type RequestPayload } from '../../core/client-result';
import { CANCELLED, untilAborted, type Cancelled } from './cancellable';
import type { UploadObserver, UploadOutcome } from './upload-job';

/** The upload is gone on the server (expired, swept): begin the same clientUploadId afresh. */
export const RESTART: ReadonlySet<string> = new Set([ErrorCode.UploadExpired, ErrorCode.UploadNotFound, ErrorCode.UploadIncomplete]);
/** Gives up when the server's offsets stop moving forward, rather than looping forever. */
const MAX_STALLED_ROUNDS = 5;

/** How sending the bytes ended: all in, or why the upload must go back to begin. */
export type SendEnd =
  | { readonly kind: 'sent' }
  /** A retryable failure mid-window: the server kept what it acked, so begin tells where to go on. */
  | { readonly kind: 'resume'; readonly error: ClientError }
  | { readonly kind: 'committed' }
  | { readonly kind: 'restart'; readonly error: ClientError }
  | UploadOutcome;

/** Sends one chunk and resolves with its ack (never rejects). */
export type ChunkRequest = (payload: RequestPayload<'upload:chunk'>) => Promise<ClientResult<ReplyValue<'upload:chunk'>>>;

export interface OpenUpload {
  readonly uploadId: string;
  readonly offset: number;
  readonly chunkSize: number;
  readonly window: number;
}

export const failed = (code: ClientError['code'], message: string): UploadOutcome => ({ kind: 'failed', error: { code, message } });

/**
 * Worth the same request again after a wait: a lost connection, or a failure of the server rather
 * than of the photo (shared RETRYABLE_CODES). Every other code is final.
 */
export function canRetry(code: string): boolean {
  return code === ClientErrorCode.Network || isRetryable(code);
}

/**
 * Keeps chunks in flight, as many as the measured rate needs (UploadPace) up to the server's
 * `window`; each ack moves the confirmed offset. Anything unexpected
 * (a short ack, OFFSET_MISMATCH) drains the window and continues from the server's offset.
 */
export async function sendChunks(
  request: ChunkRequest,
  file: Blob,
  begin: OpenUpload,
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
  const pace = new UploadPace(window, chunkSize, confirmed, performance.now());

  while (confirmed < size) {
    observer.onProgress?.(confirmed);
    const inFlight: Array<{ end: number; reply: Promise<ClientResult<{ offset: number }> | Cancelled> }> = [];
    let next = confirmed;
    let irregular = false;
    let before = confirmed;
    while (!irregular && (inFlight.length > 0 || next < size)) {
      while (inFlight.length < pace.chunksAhead() && next < size) {
        const end = Math.min(next + chunkSize, size);
        let data: ArrayBuffer;
        try {
          data = await file.slice(next, end).arrayBuffer();
        } catch {
          return failed(ClientErrorCode.FileUnreadable, 'The file could not be read.');
        }
        inFlight.push({ end, reply: untilAborted(request({ uploadId, offset: next, data }), signal) });
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
        pace.acked(confirmed, performance.now());
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

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isSafeInteger(value) && value >= min ? Math.min(value, max) : fallback;
}

function isValidOffset(offset: number, size: number): boolean {
  return Number.isSafeInteger(offset) && offset >= 0 && offset <= size;
}
