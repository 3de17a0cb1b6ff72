/**
 * Scale-out store: metadata in MongoDB collections, image blobs in GridFS, every atomic step one
 * document write (see collections.ts), so it needs neither transactions nor change streams. Several
 * server replicas share it. Driver failures leave as STORAGE_FULL or INTERNAL (both retryable);
 * what was acknowledged before stays.
 */
import type { Db, MongoClient } from 'mongodb';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../errors';
import {
  type Actor,
  type BookRecord,
  type NewBook,
  type NewFile,
  type MediaFile,
  type NewBlob,
  type NewPhoto,
  isStaged,
  type StagedBlob,
  type StagedFile,
  type PhotoPatch,
  type PhotoRecord,
  PUBLIC_VARIANTS,
  type Store,
  type SweepReport,
  type VariantKind,
  FULL_COPY_VARIANTS,
} from '../types';
import { collectionsOf, ensureIndexes, type Collections, type VariantDoc } from './collections';
import { GridFsBlobs, type WrittenFile } from './gridfs-blobs';
import { StagedFiles, unstagedBytes } from '../staged-files';
import { numberClaimedGuests, withGuest } from './guest-docs';
import * as bookDocs from './book-docs';
import { mongoClient, storeDatabase } from './mongo-client';
import { mongoError } from './mongo-errors';
import { MongoHostDocs } from './mongo-host';
import type { MongoStoreOptions } from './mongo-uploads';
import * as owners from './owner-docs';
import { PhotoChanges } from './photo-changes';
import { onePhoto, photosWhere, recordOf } from './photo-docs';
import { SeqTickets } from './seq-tickets';

export type { MongoStoreOptions } from './mongo-uploads';

const PUBLIC_STATES = ['visible'] as const;
const HOST_STATES = ['visible', 'pending', 'hidden'] as const;
/** A recovery's move still on record this long after it began was interrupted: the sweep finishes it. */
const MOVE_STALE_MS = 60_000;

export class MongoStore extends MongoHostDocs implements Store {
  readonly description: string;
  private readonly tickets: SeqTickets;
  private readonly blobs: GridFsBlobs;
  private readonly changes: PhotoChanges;
  private readonly staged = new StagedFiles<WrittenFile>();

  private constructor(
    private readonly client: MongoClient,
    db: Db,
    c: Collections,
    options: MongoStoreOptions,
  ) {
    super(db, c, options);
    this.tickets = new SeqTickets(c.tickets, c.closes);
    this.blobs = new GridFsBlobs(db, c);
    this.changes = new PhotoChanges(c, this.tickets, this.blobs);
    this.description = `MongoDB store (database ${db.databaseName})`;
  }

  /** Connects, creates collections and indexes (idempotent), and finishes guest numbers a crash left. */
  static async open(uri: string, options: MongoStoreOptions & { readonly database?: string | null }): Promise<MongoStore> {
    const client = mongoClient(uri);
    try {
      await client.connect();
      const db = storeDatabase(client, options.database);
      const c = collectionsOf(db);
      await ensureIndexes(c);
      await numberClaimedGuests(c);
      return new MongoStore(client, db, c, options);
    } catch (e) {
      await client.close().catch(() => undefined);
      throw mongoError(e, 'open the MongoDB store');
    }
  }

  async sweepOrphans(before: number): Promise<SweepReport> {
    const { removed, errors } = await this.op('sweep unfinished images', () => this.blobs.sweep(before));
    await this.op('finish interrupted recoveries', async () => {
      await owners.finishMoves(this.c, Date.now() - MOVE_STALE_MS);
      await numberClaimedGuests(this.c);
      await this.tickets.prune();
    });
    return { removed, errors: errors.map((e) => mongoError(e, 'sweep an unfinished image')) };
  }

  /**
   * No look-up first: the upload service has just asked findPhotoByUpload, and a commit racing on
   * another replica meets the unique index (its blobs then go, and the first photo is the answer).
   */
  async createPhoto(photo: NewPhoto): Promise<PhotoRecord> {
    try {
      await this.ensureRoom(unstagedBytes(photo.blobs));
      const variants: VariantDoc[] = [];
      try {
        for (const blob of photo.blobs) variants.push(isStaged(blob) ? await this.takeStaged(blob, photo.createdAt) : await this.blobs.write(blob, photo.createdAt));
      } catch (e) {
        throw await this.writeFailure(e, 'save the photo', variants);
      }
      const inserted = await this.op('save the photo', () => this.changes.insert(photo, variants)).catch(async (e: unknown) => {
        throw await this.writeFailure(e, 'save the photo', variants);
      });
      const fileIds = variants.map((v) => v.fileId);
      // Ours, or (a commit racing on another replica) theirs: what we wrote is then nobody's.
      await this.op('save the photo', async () => {
        if (inserted) await this.blobs.settle(fileIds);
        else await this.blobs.delete(fileIds);
      });
      const saved = inserted ? await this.getPhoto(photo.id) : await this.findPhotoByUpload(photo.ownerId, photo.clientUploadId);
      if (!saved) throw new AppError(ErrorCode.Internal, 'The photo could not be saved.');
      return this.op('number the guest', () => withGuest(this.c, saved));
    } finally {
      // Staged bytes this photo did not take (the write failed before them) go now.
      for (const staged of this.staged.untaken(photo.blobs)) await this.discardStaged(staged);
    }
  }

  async stageBlob(blob: Omit<NewBlob, 'width' | 'height'>, startedAt: number): Promise<StagedFile> {
    await this.ensureRoom(blob.bytes);
    const written = await this.blobs.writeFile(blob.kind, blob, startedAt).catch(async (e: unknown) => {
      throw await this.writeFailure(e, 'save the photo', []);
    });
    return this.staged.add(blob, written.bytes, written);
  }

  async discardStaged(staged: StagedFile): Promise<void> {
    const written = this.staged.release(staged);
    if (written) await this.blobs.delete([written.fileId]).catch(() => undefined);
  }

  private async takeStaged(blob: StagedBlob, startedAt: number): Promise<VariantDoc> {
    const { fileId, key, bytes } = this.staged.take(blob);
    // Swept meanwhile (its photo took longer than the sweep's idle time): the retried commit stages it again.
    if (!(await this.blobs.renew(fileId, startedAt))) throw new AppError(ErrorCode.Internal, 'A stored copy of the upload was lost; please try again.');
    return { kind: blob.kind, key, contentType: blob.contentType, width: blob.width, height: blob.height, bytes, fileId };
  }

  /** Read first, so that a repeated commit or a refusal writes no bytes; the write compares this read's revision. */
  async attachSource(photoId: string, ownerId: string, blob: NewBlob): Promise<PhotoRecord | null> {
    const doing = 'save the full copy';
    let doc = await this.op(doing, () => this.c.photos.findOne({ _id: photoId, ownerId, state: { $ne: 'removed' } }));
    if (doc && !doc.variants.some((v) => FULL_COPY_VARIANTS.has(v.kind))) {
      const read = doc;
      await this.ensureRoom(blob.bytes);
      const source = await this.blobs.write({ ...blob, kind: 'source' }, Date.now()).catch(async (e: unknown) => {
        throw await this.writeFailure(e, doing, []);
      });
      doc = await this.op(doing, () => this.changes.attachSource(read, source, Date.now())).catch(async (e: unknown) => {
        throw await this.writeFailure(e, doing, [source]);
      });
    }
    return doc ? this.op(doing, () => recordOf(this.c, doc)) : null;
  }

  /** A failed write: its blobs go (best effort; the sweep has their intents). */
  private async writeFailure(e: unknown, doing: string, written: readonly VariantDoc[]): Promise<AppError> {
    await this.blobs.delete(written.map((v) => v.fileId)).catch(() => undefined);
    return this.writeError(e, doing);
  }

  async findPhotoByUpload(ownerId: string, clientUploadId: string): Promise<PhotoRecord | null> {
    return this.op('read the photo', () => onePhoto(this.c, { ownerId, clientUploadId }));
  }

  async getPhoto(id: string): Promise<PhotoRecord | null> {
    return this.op('read the photo', () => onePhoto(this.c, { _id: id }));
  }

  async listPhotos(limit: number): Promise<readonly PhotoRecord[]> {
    return this.op('list the photos', () => photosWhere(this.c, { state: 'visible' }, { sort: { seq: -1 }, limit }));
  }

  async listOwnPhotos(ownerId: string, limit: number): Promise<readonly PhotoRecord[]> {
    return this.op('list the photos', () =>
      photosWhere(this.c, { ownerId, state: { $ne: 'removed' } }, { sort: { createdAt: -1, seq: -1 }, limit }),
    );
  }

  async changesSince(seq: number, limit: number): Promise<readonly PhotoRecord[]> {
    return this.op('read the changes', async () => {
      const upTo = await this.tickets.watermark();
      return photosWhere(this.c, { seq: { $gt: seq, $lte: upTo } }, { sort: { seq: 1 }, limit });
    });
  }

  async updatePhoto(id: string, actor: Actor, patch: PhotoPatch): Promise<PhotoRecord | null> {
    const doc = await this.op('save the change', () => this.changes.update(id, actor, patch));
    return doc ? this.op('save the change', () => recordOf(this.c, doc)) : null;
  }

  async removePhoto(id: string, actor: Actor): Promise<PhotoRecord | null> {
    const doc = await this.op('remove the photo', () => this.changes.remove(id, actor));
    return doc ? this.op('remove the photo', () => recordOf(this.c, doc)) : null;
  }

  async currentSeq(): Promise<number> {
    return this.op('read the feed position', () => this.tickets.watermark());
  }

  async openMedia(key: string, scope: 'public' | 'host' = 'public'): Promise<MediaFile | null> {
    const states = scope === 'host' ? HOST_STATES : PUBLIC_STATES;
    const docs = await this.op('find the image', () => this.c.photos.find({ keys: key, state: { $in: [...states] } }, { limit: 8 }).toArray());
    const variant = docs.flatMap((d) => d.variants).find((v) => v.key === key && PUBLIC_VARIANTS.has(v.kind));
    if (!variant) return null;
    return { contentType: variant.contentType, bytes: variant.bytes, open: (range) => this.blobs.read(variant.fileId, range) };
  }

  async readVariant(photoId: string, kind: VariantKind): Promise<{ contentType: string; body: AsyncIterable<Uint8Array> } | null> {
    const doc = await this.op('read the photo', () => this.c.photos.findOne({ _id: photoId }));
    const variant = doc?.variants.find((v) => v.kind === kind);
    return variant ? { contentType: variant.contentType, body: this.blobs.read(variant.fileId) } : null;
  }

  async openVariant(photoId: string, kind: VariantKind): Promise<MediaFile | null> {
    const doc = await this.op('read the photo', () => this.c.photos.findOne({ _id: photoId }));
    const variant = doc?.variants.find((v) => v.kind === kind);
    return variant ? { contentType: variant.contentType, bytes: variant.bytes, open: (range) => this.blobs.read(variant.fileId, range) } : null;
  }

  async requestBook(book: NewBook): Promise<BookRecord | null> {
    return this.op('queue the photo book', () => bookDocs.requestBook(this.c, book));
  }

  async getBook(id: string): Promise<BookRecord | null> {
    return this.op('read the photo book', () => bookDocs.getBook(this.c, id));
  }

  async books(): Promise<{ latest: BookRecord | null; ready: BookRecord | null }> {
    return this.op('read the photo books', () => bookDocs.books(this.c));
  }

  async bookProgress(id: string, worker: string, placed: number, total: number, leaseUntil: number): Promise<boolean> {
    return this.op('save the photo book progress', () => bookDocs.bookProgress(this.c, id, worker, placed, total, leaseUntil));
  }

  async finishBook(id: string, worker: string, file: NewFile, at: number): Promise<boolean> {
    const doing = 'save the photo book';
    await this.ensureRoom(file.bytes);
    const written = await this.blobs.writeFile('book', file, at).catch(async (e: unknown) => {
      throw await this.writeFailure(e, doing, []);
    });
    const finished = await this.op(doing, () => bookDocs.finishBook(this.c, this.blobs, id, worker, written, at));
    // The lease was lost: the file is nobody's.
    if (!finished) await this.op(doing, () => this.blobs.delete([written.fileId]));
    return finished;
  }

  async giveUpBook(id: string, worker: string, message: string, at: number): Promise<boolean> {
    return this.op('save the photo book', () => bookDocs.giveUpBook(this.c, id, worker, message, at));
  }

  async openBook(id: string): Promise<MediaFile | null> {
    return this.op('read the photo book', () => bookDocs.openBook(this.c, this.blobs, id));
  }

  async replaceVariant(photoId: string, replaces: VariantKind, blob: NewBlob): Promise<boolean> {
    await this.ensureRoom(blob.bytes);
    let next: VariantDoc;
    try {
      next = await this.blobs.write(blob, Date.now());
    } catch (e) {
      throw await this.writeFailure(e, 'save the archive copy', []);
    }
    const swapped = await this.op('save the archive copy', () => this.changes.swapVariant(photoId, replaces, next));
    // Not swapped (the photo went meanwhile): the new file is nobody's.
    if (!swapped) await this.op('save the archive copy', () => this.blobs.delete([next.fileId]));
    return swapped;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
