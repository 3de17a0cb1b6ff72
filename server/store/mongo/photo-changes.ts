/**
 * Changes to photos, each one document write. The actor check is in the filter of the write that
 * acts, together with the revision read (compare-and-set, see revisions.ts), so a change computed
 * from a stale read is tried again instead of overwriting another. Every change that readers must
 * see takes a seq ticket first and closes it after (see seq-tickets.ts).
 */
import type { Filter, UpdateFilter } from 'mongodb';
import { FULL_COPY_VARIANTS, type Actor, type NewPhoto, type PhotoPatch, type VariantKind } from '../types';
import type { Collections, JobDoc, PhotoDoc, VariantDoc } from './collections';
import type { GridFsBlobs } from './gridfs-blobs';
import { isDuplicateKey } from './mongo-errors';
import { MAX_ATTEMPTS, writePhoto, writeWhere } from './revisions';
import type { SeqTickets } from './seq-tickets';

const mayAct = (actor: Actor): Filter<PhotoDoc> => (actor.kind === 'host' ? {} : { ownerId: actor.ownerId });
const fold = (caption: string, author: string) => ({ caption: caption.toLowerCase(), author: author.toLowerCase() });

/** A photo's variants with the fields derived from them (for serving by key, the sweep, the host's counts). */
function variantFields(variants: readonly VariantDoc[]): Pick<PhotoDoc, 'variants' | 'keys' | 'fileIds' | 'bytes'> {
  return {
    variants,
    keys: variants.map((v) => v.key),
    fileIds: variants.map((v) => v.fileId),
    bytes: variants.reduce((sum, v) => sum + v.bytes, 0),
  };
}

export function photoDoc(photo: NewPhoto, seq: number, variants: readonly VariantDoc[]): PhotoDoc {
  const archive: JobDoc = { dueAt: photo.createdAt, leaseOwner: null, leaseUntil: 0, attempts: 0 };
  return {
    _id: photo.id,
    seq,
    rev: 1,
    ownerId: photo.ownerId,
    clientUploadId: photo.clientUploadId,
    state: photo.state ?? 'visible',
    caption: photo.caption,
    author: photo.author,
    fold: fold(photo.caption, photo.author),
    createdAt: photo.createdAt,
    ...variantFields(variants),
    // The source waits for its archive copy; the job is part of the same write as the photo.
    ...(variants.some((v) => v.kind === 'source') ? { jobs: { archive } } : {}),
  };
}

export class PhotoChanges {
  constructor(
    private readonly c: Collections,
    private readonly tickets: SeqTickets,
    private readonly blobs: GridFsBlobs,
  ) {}

  /** Inserts the photo under a new seq; false when the owner already has one for this upload. */
  async insert(photo: NewPhoto, variants: readonly VariantDoc[]): Promise<boolean> {
    const seq = await this.tickets.take();
    try {
      await this.c.photos.insertOne(photoDoc(photo, seq, variants));
    } catch (e) {
      await this.tickets.finish(seq);
      if (isDuplicateKey(e)) return false;
      throw e;
    }
    await this.close(photo.id, seq);
    return true;
  }

  /** The patch as one write, with the next seq; null when the actor may not or the photo is gone. */
  async update(id: string, actor: Actor, patch: PhotoPatch): Promise<PhotoDoc | null> {
    if (patch.state !== undefined && actor.kind !== 'host') return null;
    return this.change({ _id: id, state: { $ne: 'removed' }, ...mayAct(actor) }, (doc) => {
      const caption = patch.caption ?? doc.caption;
      const author = patch.author ?? doc.author;
      return { $set: { caption, author, fold: fold(caption, author), state: patch.state ?? doc.state } };
    });
  }

  /**
   * The tombstone, with the next seq; its files are released before the write (a crash leaves them
   * to the sweep) and deleted after it. Removing a removed photo again changes nothing.
   */
  async remove(id: string, actor: Actor): Promise<PhotoDoc | null> {
    const filter: Filter<PhotoDoc> = { _id: id, ...mayAct(actor) };
    let released: VariantDoc['fileId'][] = [];
    const removed = await this.change({ ...filter, state: { $ne: 'removed' } }, async (doc) => {
      released = [...doc.fileIds];
      await this.blobs.release(released);
      return {
        $set: { state: 'removed', caption: '', author: '', fold: fold('', ''), variants: [], keys: [], fileIds: [], bytes: 0 },
        $unset: { jobs: '' },
      };
    });
    if (!removed) return this.c.photos.findOne({ ...filter, state: 'removed' });
    // The tombstone is written; a file that cannot be deleted now is finished by the sweep.
    await this.blobs.delete(released).catch(() => undefined);
    return removed;
  }

  /**
   * Adds `source` as the photo's source variant with its archive job (queued at `at`), under the next
   * seq, if the owner's photo (`read` is how the caller last saw it) is not removed and holds no
   * source or original. The variant check is made on the revision the write compares, so it is part
   * of the write (not a filter on variants.kind: FerretDB v1 lets every document through one).
   * Returns the photo as it is afterwards, or null when it is missing, removed or not theirs; unless
   * `source` went in, its file is deleted.
   */
  async attachSource(read: PhotoDoc, source: VariantDoc, at: number): Promise<PhotoDoc | null> {
    const filter: Filter<PhotoDoc> = { _id: read._id, ownerId: read.ownerId, state: { $ne: 'removed' } };
    const after = await this.change(
      filter,
      (doc) => {
        if (doc.variants.some((v) => FULL_COPY_VARIANTS.has(v.kind))) return null;
        const archive: JobDoc = { dueAt: at, queuedAt: at, leaseOwner: null, leaseUntil: 0, attempts: 0 };
        return { $set: { ...variantFields([...doc.variants, source]), 'jobs.archive': archive } };
      },
      read,
    );
    if (after?.fileIds.some((id) => id.equals(source.fileId))) await this.blobs.settle([source.fileId]);
    // Refused (removed, or a repeated commit won meanwhile): the file is nobody's; the sweep has its intent.
    else await this.blobs.delete([source.fileId]).catch(() => undefined);
    return after;
  }

  /**
   * Puts `next` in place of the `replaces` variant in one write (no seq: walls never show either).
   * False when the photo is removed or has no such variant any more.
   */
  async swapVariant(photoId: string, replaces: VariantKind, next: VariantDoc): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.c.photos.findOne({ _id: photoId, state: { $ne: 'removed' } });
      const old = doc?.variants.find((v) => v.kind === replaces);
      if (!doc || !old) return false;
      const variants = [...doc.variants.filter((v) => v.kind !== replaces && v.kind !== next.kind), next];
      await this.blobs.release([old.fileId]);
      if (await writePhoto(this.c, doc, { state: { $ne: 'removed' } }, { $set: variantFields(variants) })) {
        await this.blobs.settle([next.fileId]);
        await this.blobs.delete([old.fileId]).catch(() => undefined);
        return true;
      }
    }
    throw new Error('the photo kept changing while its archive copy was saved');
  }

  /**
   * Reads the photo `filter` finds, builds the update from it, and writes it only if nobody wrote
   * in between (same rev), under a new seq. Null when the filter finds nothing; the photo as read,
   * unchanged, when `build` finds nothing to write (a check on the revision the write would compare).
   * `read`: the photo as the caller just read it with this filter, so the first attempt reads nothing.
   */
  private async change(
    filter: Filter<PhotoDoc>,
    build: (doc: PhotoDoc) => UpdateFilter<PhotoDoc> | null | Promise<UpdateFilter<PhotoDoc> | null>,
    read?: PhotoDoc,
  ): Promise<PhotoDoc | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = attempt === 0 && read ? read : await this.c.photos.findOne(filter);
      if (!doc) return null;
      const update = await build(doc);
      if (!update) return doc;
      const seq = await this.tickets.take();
      const result = await writePhoto(this.c, doc, filter, { ...update, $set: { ...update.$set, seq } });
      if (!result) {
        // Lost the race: this seq stays empty (a gap is harmless); read again and retry.
        await this.tickets.finish(seq);
        continue;
      }
      return (await this.close(result._id, seq)) ?? result;
    }
    throw new Error('the photo kept changing under a burst of writes');
  }

  /**
   * Closes the ticket of the change just written. If a reader abandoned it meanwhile (this writer
   * stalled past the grace period), readers may have passed this seq: the photo moves to a new one.
   * Returns the photo as it is after a move, or null when no move was needed.
   */
  private async close(id: string, seq: number): Promise<PhotoDoc | null> {
    let current = seq;
    let moved: PhotoDoc | null = null;
    while (!(await this.tickets.finish(current))) {
      const next = await this.tickets.take();
      const result = await writeWhere(this.c, { _id: id, seq: current }, { $set: { seq: next } });
      // Someone changed it again since: that change has a newer seq of its own.
      if (!result) {
        await this.tickets.finish(next);
        return moved;
      }
      moved = result;
      current = next;
    }
    return moved;
  }
}
