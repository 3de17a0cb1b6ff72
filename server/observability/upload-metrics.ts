import type { ErrorCode } from '@photobook/shared';

/**
 * What the upload path reports. Services depend on this, not on Metrics, so they never see
 * prom-client and specs can pass noMetrics.
 */
export interface UploadMetrics {
  /** An upload was accepted at begin. */
  begun(): void;
  /** A commit answered with a photo, `seconds` after the commit request arrived. */
  committed(seconds: number): void;
  /** An upload request failed with this code (the code bounds the label's values). */
  failed(code: ErrorCode): void;
  /** Chunk bytes accepted. */
  received(bytes: number): void;
  /** Image processing (decode, strip, resize) took `seconds`. */
  processed(seconds: number): void;
}

export const noMetrics: UploadMetrics = {
  begun() {},
  committed() {},
  failed() {},
  received() {},
  processed() {},
};
