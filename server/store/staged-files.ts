import { ErrorCode } from '@photobook/shared';
import { AppError } from '../errors';
import { isStaged, type NewBlob, type NewFile, type StagedBlob, type StagedFile, type VariantKind } from './types';

/**
 * A store's staged blobs (PhotoStore.stageBlob): what the caller holds is a plain description; what
 * the store needs to place or remove the bytes (a file under incoming/, a GridFS id) stays here, so a
 * staged blob is taken at most once and only by the store that wrote it.
 */
export class StagedFiles<Written> {
  private readonly held = new WeakMap<StagedFile, Written>();

  /** Records written bytes; returns the description the caller hands back. */
  add(blob: NewFile & { readonly kind: VariantKind }, bytes: number, written: Written): StagedFile {
    const staged: StagedFile = Object.freeze({ kind: blob.kind, contentType: blob.contentType, bytes });
    this.held.set(staged, written);
    return staged;
  }

  /** Takes a staged blob for a photo: from here on, the photo's write owns its bytes. */
  take(blob: StagedBlob): Written {
    const written = this.held.get(blob.staged);
    const { kind, contentType, bytes } = blob.staged;
    if (!written || blob.kind !== kind || blob.contentType !== contentType || blob.bytes !== bytes) {
      throw new AppError(ErrorCode.Internal, 'A staged image was used twice, or does not match its photo.');
    }
    this.held.delete(blob.staged);
    return written;
  }

  /** Forgets a staged blob nobody took; undefined when it was taken or never staged here. */
  release(staged: StagedFile): Written | undefined {
    const written = this.held.get(staged);
    this.held.delete(staged);
    return written;
  }

  /** The staged blobs of a new photo that are still here (not taken by its write). */
  untaken(blobs: readonly (NewBlob | StagedBlob)[]): StagedFile[] {
    return blobs.filter(isStaged).map((b) => b.staged).filter((s) => this.held.has(s));
  }
}

/** Bytes a photo's write still has to store: its staged blobs hold theirs already. */
export const unstagedBytes = (blobs: readonly (NewBlob | StagedBlob)[]): number =>
  blobs.reduce((sum, b) => sum + (isStaged(b) ? 0 : b.bytes), 0);
