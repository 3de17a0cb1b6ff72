import type { PhotoDto, UploadPart } from '@photobook/shared';
import type { ClientError } from '../../core/client-result';

export interface UploadTuning {
  /**
   * Waits between attempts after a network blip or a server failure (each times a jitter of 0.5
   * to 1); its length is the retry count. The last step is also the steady cadence while the
   * server's storage is full (no retry limit).
   */
  readonly retryDelaysMs: readonly number[];
  readonly requestTimeoutMs: number;
}

/** About two minutes of patience: long enough to walk back into Wi-Fi range. */
export const DEFAULT_UPLOAD_TUNING: UploadTuning = {
  retryDelaysMs: [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000],
  requestTimeoutMs: 20_000,
};

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
