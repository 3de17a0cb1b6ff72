/**
 * The upload state machine's rules, free of I/O: what to do with an incoming chunk, and when an
 * upload has expired. Rules are numbered in spec/UPLOAD-PROTOCOL.md.
 */
import { CHUNK_SIZE, ErrorCode, err, isId, ok, type Result } from '@photobook/shared';

export type ChunkDecision =
  /** Write the chunk from byte `skip` on, at the current end (UP4: overlap keeps only new bytes). */
  | { readonly kind: 'append'; readonly skip: number }
  /** Every byte is already held: ack without writing (UP5). */
  | { readonly kind: 'duplicate' }
  /** The chunk starts after the end: the client must go back to `expected` (UP6). */
  | { readonly kind: 'gap'; readonly expected: number }
  /** The chunk ends past the declared size: the upload is aborted (UP7). */
  | { readonly kind: 'overflow' };

export function decideChunk(received: number, size: number, offset: number, length: number): ChunkDecision {
  if (offset + length > size) return { kind: 'overflow' };
  if (offset > received) return { kind: 'gap', expected: received };
  if (offset + length <= received) return { kind: 'duplicate' };
  return { kind: 'append', skip: received - offset };
}

export interface UploadTimes {
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface UploadTimeLimits {
  readonly idleMs: number;
  readonly deadlineMs: number;
}

/** UP12: idle too long, or open past the absolute deadline however busy. */
export function isExpired(upload: UploadTimes, now: number, limits: UploadTimeLimits): boolean {
  return now - upload.updatedAt > limits.idleMs || now - upload.createdAt > limits.deadlineMs;
}

export interface ParsedChunk {
  readonly uploadId: string;
  readonly offset: number;
  readonly data: Uint8Array;
}

/** UP2: chunks must be binary (Socket.IO hands Node a Buffer); strings, arrays and objects are refused. */
export function parseChunk(input: unknown): Result<ParsedChunk> {
  if (typeof input !== 'object' || input === null) {
    return err(ErrorCode.BadRequest, 'A chunk needs uploadId, offset and binary data.');
  }
  const { uploadId, offset, data } = input as Record<string, unknown>;
  if (!isId(uploadId) || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    return err(ErrorCode.BadRequest, 'A chunk needs uploadId, offset and binary data.');
  }
  if (!Buffer.isBuffer(data)) return err(ErrorCode.BadRequest, 'Chunk data must be binary.');
  if (data.byteLength === 0 || data.byteLength > CHUNK_SIZE) {
    return err(ErrorCode.BadRequest, `A chunk holds 1 to ${CHUNK_SIZE} bytes.`);
  }
  return ok({ uploadId, offset, data });
}
