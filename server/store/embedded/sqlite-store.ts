import { createReadStream } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
  type VariantRecord,
  FULL_COPY_VARIANTS,
} from '../types';
import { READ_PIECE_BYTES } from '../blob-body';
import { embeddedError } from './sqlite-errors';
import { BlobFiles, type Received } from './blob-files';
import { StagedFiles, unstagedBytes } from '../staged-files';
import { checkWritable, inspectDataDir } from './data-dir';
import { fileSize } from './files';
import * as bookRows from './book-rows';
import { cacheStatements } from './statements';
import { attachSource, insertPhoto, removePhoto as removePhotoRow, swapVariant, updatePhoto as updatePhotoRow } from './photo-changes';
import { backfillGuests } from './guest-rows';
import { registerSearch } from './host-rows';
import { currentSeq, mediaRow, photosWhere, variantRow } from './photo-rows';
import { SCHEMA, UPGRADES } from './schema';
import { SqliteHostRows } from './sqlite-host';
import { DEFAULT_EMBEDDED_OPTIONS, type EmbeddedStoreOptions } from './sqlite-uploads';

export { DEFAULT_EMBEDDED_OPTIONS, type EmbeddedStoreOptions } from './sqlite-uploads';

/** Whose images openMedia serves: the walls see visible photos; the host's console all but removed. */
const PUBLIC_STATES = ['visible'] as const;
const HOST_STATES = ['visible', 'pending', 'hidden'] as const;

/**
 * Embedded store: metadata in SQLite (WAL), image blobs and partial uploads as files under dataDir.
 * One process owns the directory. File-system and SQLite failures leave as STORAGE_FULL or INTERNAL
 * (both retryable); what was acknowledged before stays.
 */
export class SqliteStore extends SqliteHostRows implements Store {
  private readonly blobs: BlobFiles;
  private readonly staged = new StagedFiles<Received>();
  readonly description: string;

  private constructor(dataDir: string, db: Database.Database, options: EmbeddedStoreOptions) {
    super(dataDir, db, options);
    this.blobs = new BlobFiles(db, this.disk, path.join(dataDir, 'media'), options.syncWrites);
    this.description = `embedded store in ${dataDir}`;
  }

  /** Refuses a data directory that lost its database, or that cannot be written, before touching it. */
  static async open(dataDir: string, options: EmbeddedStoreOptions = DEFAULT_EMBEDDED_OPTIONS): Promise<SqliteStore> {
    await inspectDataDir(dataDir);
    await checkWritable(dataDir);
    const db = new Database(path.join(dataDir, 'photobook.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma(options.syncWrites ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    for (const { table, column, definition } of UPGRADES) {
      const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
      if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
    backfillGuests(db);
    registerSearch(db);
    cacheStatements(db);
    return new SqliteStore(dataDir, db, options);
  }

  async sweepOrphans(before: number): Promise<SweepReport> {
    const { removed, errors } = await this.blobs.sweep(before);
    return { removed, errors: errors.map((e) => embeddedError(e, 'sweep an unfinished image')) };
  }

  async createPhoto(photo: NewPhoto): Promise<PhotoRecord> {
    try {
      const existing = await this.findPhotoByUpload(photo.ownerId, photo.clientUploadId);
      if (existing) return existing;
      await this.ensureRoom(unstagedBytes(photo.blobs));
      const variants: VariantRecord[] = [];
      try {
        for (const blob of photo.blobs) variants.push(isStaged(blob) ? await this.placeStaged(blob, photo.createdAt) : await this.blobs.write(blob, photo.createdAt));
      } catch (e) {
        throw await this.writeFailure(e, 'save the photo');
      }
      const insert = () => insertPhoto(this.db, this.blobs, photo, variants);
      try {
        insert();
      } catch (e) {
        const raced = await this.findPhotoByUpload(photo.ownerId, photo.clientUploadId);
        if (raced) return raced;
        throw await this.writeFailure(e, 'save the photo');
      }
      const saved = await this.getPhoto(photo.id);
      if (!saved) throw new AppError(ErrorCode.Internal, 'The photo could not be saved.');
      return saved;
    } finally {
      // Staged bytes this photo did not take (it existed already, or the write failed first) go now.
      for (const staged of this.staged.untaken(photo.blobs)) await this.discardStaged(staged);
    }
  }

  async stageBlob(blob: Omit<NewBlob, 'width' | 'height'>, startedAt: number): Promise<StagedFile> {
    await this.ensureRoom(blob.bytes);
    try {
      const received = await this.blobs.receive(blob, startedAt);
      return this.staged.add(blob, received.bytes, received);
    } catch (e) {
      throw await this.writeFailure(e, 'save the photo');
    }
  }

  async discardStaged(staged: StagedFile): Promise<void> {
    const received = this.staged.release(staged);
    if (received) await this.blobs.drop(received).catch(() => undefined);
  }

  private async placeStaged(blob: StagedBlob, startedAt: number): Promise<VariantRecord> {
    const { key, bytes } = await this.blobs.placeReceived(this.staged.take(blob), startedAt);
    return { kind: blob.kind, key, contentType: blob.contentType, width: blob.width, height: blob.height, bytes };
  }

  async findPhotoByUpload(ownerId: string, clientUploadId: string): Promise<PhotoRecord | null> {
    return photosWhere(this.db, 'p.owner_id = ? AND p.client_upload_id = ?', [ownerId, clientUploadId], 1)[0] ?? null;
  }

  async getPhoto(id: string): Promise<PhotoRecord | null> {
    return photosWhere(this.db, 'p.id = ?', [id], 1)[0] ?? null;
  }

  /** Read first, so that a repeated commit or a refusal writes no bytes; the write checks again. */
  async attachSource(photoId: string, ownerId: string, blob: NewBlob): Promise<PhotoRecord | null> {
    const own = () => photosWhere(this.db, `p.id = ? AND p.owner_id = ? AND p.state != 'removed'`, [photoId, ownerId], 1)[0] ?? null;
    const found = own();
    if (!found || found.variants.some((v) => FULL_COPY_VARIANTS.has(v.kind))) return found;
    await this.ensureRoom(blob.bytes);
    try {
      const source = await this.blobs.write({ ...blob, kind: 'source' }, Date.now());
      // False when refused at the write (removed, or a repeated commit won meanwhile): the file's intent stays for the sweep.
      attachSource(this.db, this.blobs, photoId, ownerId, source, Date.now());
    } catch (e) {
      throw await this.writeFailure(e, 'save the full copy');
    }
    return own();
  }

  async listPhotos(limit: number): Promise<readonly PhotoRecord[]> {
    return photosWhere(this.db, `p.state = 'visible'`, [], limit);
  }

  async listOwnPhotos(ownerId: string, limit: number): Promise<readonly PhotoRecord[]> {
    return photosWhere(this.db, `p.owner_id = ? AND p.state != 'removed'`, [ownerId], limit, 'p.created_at DESC, p.seq DESC');
  }

  async changesSince(seq: number, limit: number): Promise<readonly PhotoRecord[]> {
    return photosWhere(this.db, `p.seq > ?`, [seq], limit, 'p.seq ASC');
  }

  async updatePhoto(id: string, actor: Actor, patch: PhotoPatch): Promise<PhotoRecord | null> {
    return this.write('save the change', () => updatePhotoRow(this.db, id, actor, patch));
  }

  async removePhoto(id: string, actor: Actor): Promise<PhotoRecord | null> {
    const removed = this.write('remove the photo', () => removePhotoRow(this.db, this.blobs, id, actor));
    if (!removed) return null;
    // The tombstone is committed; a file that cannot be deleted now is finished by the sweep.
    await this.blobs.deleteReleased(removed.released);
    return removed.photo;
  }

  async currentSeq(): Promise<number> {
    return currentSeq(this.db);
  }

  async openMedia(key: string, scope: 'public' | 'host' = 'public'): Promise<MediaFile | null> {
    const row = mediaRow(this.db, key, [...PUBLIC_VARIANTS], scope === 'host' ? HOST_STATES : PUBLIC_STATES);
    if (!row) return null;
    const file = this.blobs.file(key);
    if ((await fileSize(this.disk, file)) === null) return null;
    return { contentType: row.content_type, bytes: row.bytes, open: (range) => createReadStream(file, range ?? {}) };
  }

  async requestBook(book: NewBook): Promise<BookRecord | null> {
    return this.write('queue the photo book', () => bookRows.requestBook(this.db, book));
  }

  async getBook(id: string): Promise<BookRecord | null> {
    return bookRows.getBook(this.db, id);
  }

  async books(): Promise<{ latest: BookRecord | null; ready: BookRecord | null }> {
    return bookRows.books(this.db);
  }

  async bookProgress(id: string, worker: string, placed: number, total: number, leaseUntil: number): Promise<boolean> {
    return this.write('save the photo book progress', () => bookRows.bookProgress(this.db, id, worker, placed, total, leaseUntil));
  }

  async finishBook(id: string, worker: string, file: NewFile, at: number): Promise<boolean> {
    await this.ensureRoom(file.bytes);
    let written: { key: string; bytes: number };
    try {
      written = await this.blobs.writeFile(file, at);
    } catch (e) {
      throw await this.writeFailure(e, 'save the photo book');
    }
    // Null when the lease was lost: the file's intent stays, so the sweep removes it.
    const released = this.write('save the photo book', () => bookRows.finishBook(this.db, this.blobs, id, worker, written, at));
    if (released === null) return false;
    await this.blobs.deleteReleased(released);
    return true;
  }

  async giveUpBook(id: string, worker: string, message: string, at: number): Promise<boolean> {
    return this.write('save the photo book', () => bookRows.giveUpBook(this.db, id, worker, message, at));
  }

  async openBook(id: string): Promise<MediaFile | null> {
    const ready = bookRows.readyFile(this.db, id);
    if (!ready) return null;
    const file = this.blobs.file(ready.key);
    if ((await fileSize(this.disk, file)) === null) return null;
    return { contentType: 'application/pdf', bytes: ready.bytes, open: (range) => createReadStream(file, range ?? {}) };
  }

  async readVariant(photoId: string, kind: VariantKind): Promise<{ contentType: string; body: AsyncIterable<Uint8Array> } | null> {
    const row = variantRow(this.db, photoId, kind);
    return row ? { contentType: row.content_type, body: this.blobs.read(row.key, READ_PIECE_BYTES) } : null;
  }

  async openVariant(photoId: string, kind: VariantKind): Promise<MediaFile | null> {
    const row = variantRow(this.db, photoId, kind);
    if (!row) return null;
    const file = this.blobs.file(row.key);
    if ((await fileSize(this.disk, file)) === null) return null;
    return { contentType: row.content_type, bytes: row.bytes, open: (range) => createReadStream(file, range ?? {}) };
  }

  async replaceVariant(photoId: string, replaces: VariantKind, blob: NewBlob): Promise<boolean> {
    await this.ensureRoom(blob.bytes);
    let next: VariantRecord;
    try {
      next = await this.blobs.write(blob, Date.now());
    } catch (e) {
      throw await this.writeFailure(e, 'save the archive copy');
    }
    const released = this.write('save the archive copy', () => swapVariant(this.db, this.blobs, photoId, replaces, next));
    // Not swapped (the photo went meanwhile): the new file's intent stays for the sweep.
    if (released === null) return false;
    await this.blobs.deleteReleased(released);
    return true;
  }

  async close(): Promise<void> {
    await this.closeUploads();
    this.db.close();
  }
}
