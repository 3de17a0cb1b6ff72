/** Upload protocol, version 1: begin -> chunks (each acked) -> commit. */
export const UPLOAD_PROTOCOL_VERSION = 1;

/** 255 KiB: GridFS's default chunk size, well below Socket.IO's buffer limit. */
export const CHUNK_SIZE = 255 * 1024;

/** Socket.IO's maxHttpBufferSize: a chunk plus its envelope fits with room to spare. */
export const MAX_SOCKET_MESSAGE_BYTES = 512 * 1024;

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 100_000_000;
export const MAX_CAPTION_GRAPHEMES = 500;
export const MAX_AUTHOR_GRAPHEMES = 60;
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * MIME types offered in the file picker. HEIC is deliberately absent: iOS Safari then converts
 * to JPEG when the guest picks a photo.
 */
export const ACCEPTED_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;

export interface UploadBeginRequest {
  /** Chosen by the client; the same id always means the same upload (and the same photo). */
  readonly clientUploadId: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly caption: string;
  readonly author: string;
}

export interface UploadBeginReply {
  readonly uploadId: string;
  /** Bytes the server already holds: where the client continues. */
  readonly offset: number;
  readonly chunkSize: number;
}

export interface UploadChunkRequest {
  readonly uploadId: string;
  readonly offset: number;
  readonly data: ArrayBuffer | Uint8Array;
}

export interface UploadChunkReply {
  /** The next offset the server expects. */
  readonly offset: number;
}

export interface UploadRef {
  readonly uploadId: string;
}
