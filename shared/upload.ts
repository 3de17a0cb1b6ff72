import type { WallSettings } from './event-settings';
import type { PhotoDto } from './photo';

/** Upload protocol, version 2: begin (also the resume request) -> a window of acked chunks -> commit. */
export const UPLOAD_PROTOCOL_VERSION = 2;

/** 255 KiB: GridFS's default chunk size, well below Socket.IO's buffer limit. */
export const CHUNK_SIZE = 255 * 1024;

/**
 * The most chunks a client may have in flight (sent, not yet acked) per upload: 4 MiB, what a phone
 * on a fast LAN needs to keep the server's disk busy while acks travel (4 chunks reached half an HTTP
 * POST's speed). How many it actually sends ahead follows the rate it measures (upload-pace.ts), so a
 * slow link never queues seconds of bytes ahead of the next photo's preview.
 */
export const UPLOAD_WINDOW = 16;

/** Socket.IO's maxHttpBufferSize: a chunk plus its envelope fits with room to spare. */
export const MAX_SOCKET_MESSAGE_BYTES = 512 * 1024;

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 100_000_000;
/** Open (begun, not committed) uploads one guest may have at once. */
export const DEFAULT_MAX_UPLOADS_PER_GUEST = 6;
/** A partial upload untouched this long is deleted (a locked phone resumes by beginning again). */
export const DEFAULT_UPLOAD_IDLE_MS = 15 * 60 * 1000;
/** No upload may stay open longer than this, however busy. */
export const DEFAULT_UPLOAD_DEADLINE_MS = 2 * 60 * 60 * 1000;
/** Photos larger than this are downscaled on the phone before upload (party Wi-Fi is slow). */
export const DEFAULT_DOWNSCALE_ABOVE_BYTES = 8 * 1024 * 1024;
/** Long edge of a downscaled photo: sharper than any projector, a fraction of a 48 MP original. */
export const DEFAULT_DOWNSCALE_MAX_EDGE = 4096;

export const MAX_CAPTION_GRAPHEMES = 500;
export const MAX_AUTHOR_GRAPHEMES = 60;
export const MAX_PAUSE_MESSAGE_GRAPHEMES = 200;
export const MAX_TITLE_GRAPHEMES = 80;
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * MIME types offered in the file picker. HEIC is deliberately absent: iOS Safari then converts
 * to JPEG when the guest picks a photo.
 */
export const ACCEPTED_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;

/**
 * Which bytes a begin announces (UP22 to UP27). `whole`, the default: the photo itself, which makes the
 * photo. `preview`: the phone's display-size copy (long edge PREVIEW_EDGE, a few hundred KB), which makes
 * the photo at once, without its full copy. `original`: the file itself, sent after its preview under the
 * same clientUploadId; it becomes the photo's full copy (the archive's source) and changes nothing on the
 * wall.
 */
export type UploadPart = 'whole' | 'preview' | 'original';
export const UPLOAD_PARTS: readonly UploadPart[] = ['whole', 'preview', 'original'];

/** Long edge of the preview a phone makes: the wall's display size. */
export const PREVIEW_EDGE = 1920;
/** JPEG quality of that preview: near the wall's own display variant. */
export const PREVIEW_QUALITY = 0.85;
/** The largest preview the server takes (TOO_LARGE beyond): a preview that big saves no time. */
export const PREVIEW_MAX_BYTES = 4 * 1024 * 1024;
/** Photos at most this big are sent whole: a preview would save the guest nothing worth a second upload. */
export const PREVIEW_ABOVE_BYTES = 1024 * 1024;

export interface UploadBeginRequest {
  /** Chosen by the client; the same id always means the same upload (and the same photo). */
  readonly clientUploadId: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly caption: string;
  readonly author: string;
  /** Absent means 'whole' (clients before preview first). */
  readonly part?: UploadPart;
}

/** Begin answers where to continue, or, when that upload already became a photo, the photo. */
export type UploadBeginReply =
  | {
      readonly state: 'open';
      readonly uploadId: string;
      /** Bytes the server already holds: where the client continues. */
      readonly offset: number;
      readonly chunkSize: number;
      /** Chunks the client may send before waiting for the oldest ack. */
      readonly window: number;
    }
  /** The photo exists already; for an `original`, its full copy is saved too: nothing more to send. */
  | { readonly state: 'committed'; readonly photo: PhotoDto };

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

/** What a guest's page needs to know before and while uploading; sent on connect and on change. */
export interface UploadSettings {
  readonly paused: boolean;
  /** The host's words while paused (may be empty). */
  readonly pauseMessage: string;
  /** Photos above this many bytes are downscaled on the device first; null turns that off. */
  readonly downscaleAboveBytes: number | null;
  readonly downscaleMaxEdge: number;
  /** The largest photo the server takes (the host's setting): bigger ones are refused before sending. */
  readonly maxUploadBytes: number;
}

/** What every page (upload page, wall, My photos) knows of the event; sent on connect and on change. */
export interface PublicSettings extends UploadSettings {
  /** The event's name, e.g. "Anna & Ben's wedding" (may be empty). */
  readonly title: string;
  readonly wall: WallSettings;
  /** Pre-approval is on: new photos reach the wall once the host approves them (pages say so). */
  readonly approvalRequired: boolean;
  /** The host allows share links (/p/:id) and full-quality downloads from the gallery. */
  readonly shareLinks: boolean;
  readonly guestDownloads: boolean;
}
