import { CHUNK_SIZE, ErrorCode, UPLOAD_WINDOW, err, ok, type PhotoDto, type Result, type UploadPart } from '@photobook/shared';
import { NO_REPLY, photo, type FakeHandler } from './fake-socket';

interface FakeUpload {
  readonly clientUploadId: string;
  /** Preview first (UP22): a preview and its original are uploads of their own under one clientUploadId. */
  readonly part: UploadPart;
  readonly size: number;
  readonly caption: string;
  readonly author: string;
  bytes: Uint8Array;
  offset: number;
  photo: PhotoDto | null;
}

/**
 * Plays the server side of the upload protocol in memory, idempotent like the real one, so specs
 * can check that the bytes arrive intact. `intercept` lets a spec replace any single reply.
 */
export class FakeUploadServer {
  chunkSize = CHUNK_SIZE;
  window = UPLOAD_WINDOW;
  readonly uploads = new Map<string, FakeUpload>();
  readonly aborted: string[] = [];
  /** Every chunk byte that reached the server, refused or not: shows what a retry sent again. */
  chunkBytesReceived = 0;
  intercept: FakeHandler | null = null;
  private nextId = 1;

  readonly handle: FakeHandler = (event, payload) => {
    if (event === 'upload:chunk') this.chunkBytesReceived += (payload.data as ArrayBuffer).byteLength;
    const replaced = this.intercept?.(event, payload);
    if (replaced !== undefined) return replaced;
    switch (event) {
      case 'upload:begin':
        return this.begin(payload);
      case 'upload:chunk':
        return this.chunk(payload);
      case 'upload:commit':
        return this.commit(payload);
      case 'upload:abort':
        this.aborted.push(payload.uploadId);
        return ok(null);
      default:
        return NO_REPLY;
    }
  };

  /** The single upload's bytes, for specs that send one file. */
  onlyUpload(): FakeUpload {
    const [upload] = [...this.uploads.values()];
    if (!upload) throw new Error('no upload began');
    return upload;
  }

  /** The photo a whole upload or a preview of this clientUploadId made, if any. */
  photoOf(clientUploadId: string): PhotoDto | null {
    const made = [...this.uploads.values()].find((u) => u.clientUploadId === clientUploadId && u.part !== 'original' && u.photo);
    return made?.photo ?? null;
  }

  private begin(request: any): Result<unknown> {
    const part: UploadPart = request.part ?? 'whole';
    // UP24: an original needs its photo.
    if (part === 'original' && !this.photoOf(request.clientUploadId)) return err(ErrorCode.OriginalMismatch, 'No such photo.');
    for (const [uploadId, upload] of this.uploads) {
      if (upload.clientUploadId === request.clientUploadId && upload.part === part) {
        if (upload.photo) return ok({ state: 'committed', photo: upload.photo });
        return ok({ state: 'open', uploadId, offset: upload.offset, chunkSize: this.chunkSize, window: this.window });
      }
    }
    const uploadId = `upload${this.nextId++}xx`;
    this.uploads.set(uploadId, {
      clientUploadId: request.clientUploadId,
      part,
      size: request.size,
      caption: request.caption,
      author: request.author,
      bytes: new Uint8Array(request.size),
      offset: 0,
      photo: null,
    });
    return ok({ state: 'open', uploadId, offset: 0, chunkSize: this.chunkSize, window: this.window });
  }

  private chunk(request: any): Result<unknown> {
    const upload = this.uploads.get(request.uploadId);
    if (!upload) return err(ErrorCode.UploadNotFound, 'No such upload.');
    if (upload.photo) return err(ErrorCode.UploadCommitted, 'Already a photo.');
    if (request.offset !== upload.offset) {
      return err(ErrorCode.OffsetMismatch, 'Wrong offset.', { expectedOffset: upload.offset });
    }
    const data = new Uint8Array(request.data as ArrayBuffer);
    if (data.byteLength > this.chunkSize) return err(ErrorCode.BadRequest, 'Chunk too big.');
    upload.bytes.set(data, upload.offset);
    upload.offset += data.byteLength;
    return ok({ offset: upload.offset });
  }

  private commit(request: any): Result<unknown> {
    const upload = this.uploads.get(request.uploadId);
    if (!upload) return err(ErrorCode.UploadNotFound, 'No such upload.');
    if (upload.photo) return ok(upload.photo);
    if (upload.offset !== upload.size) return err(ErrorCode.UploadIncomplete, 'Missing bytes.');
    // UP25: an original becomes the full copy of the photo its preview made; no second photo.
    upload.photo =
      upload.part === 'original'
        ? this.photoOf(upload.clientUploadId)
        : photo(this.nextId++, { caption: upload.caption, author: upload.author });
    if (!upload.photo) return err(ErrorCode.OriginalMismatch, 'No such photo.');
    return ok(upload.photo);
  }
}

/** Deterministic bytes so reassembly can be compared exactly. */
export function patternBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
  return bytes;
}
