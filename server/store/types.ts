/**
 * The storage port. Two adapters implement it (embedded: SQLite + files; scale-out: MongoDB + GridFS)
 * and both pass spec/store/store-contract.ts unchanged.
 */
import type { Readable } from 'node:stream';
import type { UploadBeginRequest } from '@photobook/shared';

export type VariantKind = 'original' | 'display' | 'thumb';

/** Variants a guest's browser may fetch. The re-encoded original stays private. */
export const PUBLIC_VARIANTS: ReadonlySet<VariantKind> = new Set(['display', 'thumb']);

export interface VariantRecord {
  readonly kind: VariantKind;
  /** Content address: sha256 of the bytes plus extension, e.g. "ab12...ef.webp". */
  readonly key: string;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export interface PhotoRecord {
  readonly id: string;
  readonly seq: number;
  /** Never leaves the server: DTO mapping drops it. */
  readonly ownerId: string;
  readonly clientUploadId: string;
  readonly caption: string;
  readonly author: string;
  readonly createdAt: number;
  readonly variants: readonly VariantRecord[];
}

export interface NewBlob {
  readonly kind: VariantKind;
  readonly data: Buffer;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

export interface NewPhoto {
  readonly id: string;
  readonly ownerId: string;
  readonly clientUploadId: string;
  readonly caption: string;
  readonly author: string;
  readonly createdAt: number;
  readonly blobs: readonly NewBlob[];
}

/** A partial upload: the validated begin request plus who sent it and how far it got. */
export interface UploadRecord extends UploadBeginRequest {
  readonly id: string;
  readonly ownerId: string;
  /** Bytes durably received so far. */
  readonly received: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type NewUpload = Omit<UploadRecord, 'received' | 'updatedAt'>;

export interface MediaFile {
  readonly contentType: string;
  readonly bytes: number;
  readonly open: () => Readable;
}

export interface PhotoStore {
  /** Creates the upload, or returns the existing one for the same owner and clientUploadId. */
  beginUpload(upload: NewUpload): Promise<UploadRecord>;
  getUpload(id: string): Promise<UploadRecord | null>;
  /**
   * Appends bytes if and only if the upload currently holds exactly `offset` bytes.
   * Returns the upload's received count afterwards (unchanged when offset did not match).
   */
  appendUpload(id: string, offset: number, data: Uint8Array): Promise<number>;
  /** Every received byte of an upload, in order. */
  readUpload(id: string): Promise<Buffer>;
  /** Removes the upload and its bytes; a missing upload is not an error. */
  deleteUpload(id: string): Promise<void>;
  /** Uploads not touched since `before` (epoch ms), for the sweeper. */
  listStaleUploads(before: number): Promise<readonly UploadRecord[]>;

  /**
   * Stores the blobs first and the photo record last, so a reader never sees a photo without its
   * images. If the owner already has a photo for clientUploadId, returns that one and stores nothing.
   */
  createPhoto(photo: NewPhoto): Promise<PhotoRecord>;
  findPhotoByUpload(ownerId: string, clientUploadId: string): Promise<PhotoRecord | null>;
  /** Visible photos, newest first. */
  listPhotos(limit: number): Promise<readonly PhotoRecord[]>;
  /** Visible photos changed after `seq`, oldest first, at most `limit`. */
  changesSince(seq: number, limit: number): Promise<readonly PhotoRecord[]>;
  /** The highest seq handed out so far (0 for an empty store). */
  currentSeq(): Promise<number>;
  /** A public variant of a visible photo by content key; null for anything else. */
  openMedia(key: string): Promise<MediaFile | null>;

  close(): Promise<void>;
}
