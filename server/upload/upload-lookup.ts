/** Which upload a request names, as its guest may see it (UploadService and ChunkIntake). */
import type { PhotoRecord, PhotoStore, UploadRecord, UploadStore } from '../store/types';
import { isExpired, type UploadTimeLimits } from './protocol';
import { committed, expired, notFound } from './upload-errors';

export type Lookup =
  | { readonly kind: 'open'; readonly upload: UploadRecord }
  | { readonly kind: 'committed'; readonly photo: PhotoRecord };

export interface UploadLookupDeps {
  readonly store: Pick<UploadStore, 'getUpload' | 'deleteUpload'> & Pick<PhotoStore, 'getPhoto'>;
  readonly now: () => number;
  readonly limits: UploadTimeLimits;
}

export class UploadLookup {
  constructor(private readonly deps: UploadLookupDeps) {}

  /**
   * The guest's own upload, or the photo it already became. Another guest's upload looks exactly
   * like a missing one (UP11); an expired one is deleted on sight (UP12).
   */
  async find(ownerId: string, uploadId: string): Promise<Lookup> {
    const upload = await this.deps.store.getUpload(uploadId);
    if (!upload || upload.ownerId !== ownerId) {
      const photo = await this.deps.store.getPhoto(uploadId);
      if (photo && photo.ownerId === ownerId) return { kind: 'committed', photo };
      throw notFound();
    }
    if (isExpired(upload, this.deps.now(), this.deps.limits)) {
      await this.deps.store.deleteUpload(uploadId);
      throw expired();
    }
    return { kind: 'open', upload };
  }

  /** For chunk and abort: a committed upload cannot take bytes or be aborted (UP13). */
  async own(ownerId: string, uploadId: string): Promise<UploadRecord> {
    const found = await this.find(ownerId, uploadId);
    if (found.kind === 'committed') throw committed();
    return found.upload;
  }
}
