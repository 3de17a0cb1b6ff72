import { createReadStream } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../errors';
import {
  type Actor,
  type JobKind,
  type JobRecord,
  type NewBlob,
  type VariantKind,
  type PhotoPatch,
  PUBLIC_VARIANTS,
  type HostSettings,
  type MediaFile,
  type NewPhoto,
  type NewUpload,
  type PhotoRecord,
  type PhotoStore,
  type StaleUploadQuery,
  type StorageStatus,
  type SweepReport,
  type UploadRecord,
  type VariantRecord,
} from '../types';
import { PIECE_BYTES } from '../blob-body';
import { storageError, storageFull } from '../storage-errors';
import { KeyedQueue } from '../../util/concurrency';
import { BlobFiles } from './blob-files';
import { checkWritable, inspectDataDir } from './data-dir';
import { freeBytes, nodeDisk, type Disk } from './disk';
import { fileSize } from './files';
import { PartFiles } from './part-files';
import * as owners from './owner-rows';
import * as jobs from './job-rows';
import { cacheStatements } from './statements';
import { insertPhoto, removePhoto as removePhotoRow, swapVariant, updatePhoto as updatePhotoRow } from './photo-changes';
import { readSettingsRow, writeSettingsRow } from './settings-rows';
import { readAdminRow, writeAdminRow } from './admin-rows';
import { photosWhere } from './photo-rows';
import { SCHEMA, uploadRecord, type UploadRow } from './schema';

export interface EmbeddedStoreOptions {
  /** Free bytes kept for deletes, aborts and the sweep: uploads stop before the disk does. */
  readonly reserveBytes: number;
  /** fsync every chunk and image (and SQLite synchronous=FULL) before acknowledging it. */
  readonly syncWrites: boolean;
  /** The file system; fault specs pass one that fails on purpose. */
  readonly disk?: Disk;
}

export const DEFAULT_EMBEDDED_OPTIONS: EmbeddedStoreOptions = Object.freeze({ reserveBytes: 256 * 1024 * 1024, syncWrites: true });

/**
 * Embedded store: metadata in SQLite (WAL), image blobs and partial uploads as files under dataDir.
 * One process owns the directory. File-system and SQLite failures leave as STORAGE_FULL or INTERNAL
 * (both retryable); what was acknowledged before stays.
 */
export class SqliteStore implements PhotoStore {
  private readonly uploadQueue = new KeyedQueue();
  private readonly parts: PartFiles;
  private readonly blobs: BlobFiles;
  private readonly disk: Disk;

  private constructor(
    private readonly dataDir: string,
    private readonly db: Database.Database,
    private readonly options: EmbeddedStoreOptions,
  ) {
    this.disk = options.disk ?? nodeDisk;
    this.parts = new PartFiles(this.disk, path.join(dataDir, 'uploads'), options.syncWrites);
    this.blobs = new BlobFiles(db, this.disk, path.join(dataDir, 'media'), options.syncWrites);
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
    cacheStatements(db);
    return new SqliteStore(dataDir, db, options);
  }

  /** Runs a database write, translating SQLITE_FULL and I/O errors. */
  private write<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (e) {
      throw storageError(e, doing);
    }
  }

  async storage(): Promise<StorageStatus> {
    const free = await freeBytes(this.disk, this.dataDir);
    return { freeBytes: free, reserveBytes: this.options.reserveBytes, full: free < this.options.reserveBytes };
  }

  async ensureRoom(bytes: number): Promise<void> {
    const free = await freeBytes(this.disk, this.dataDir).catch((e: unknown) => {
      throw storageError(e, 'check its free space');
    });
    if (free - bytes < this.options.reserveBytes) throw storageFull();
  }

  /** A write failed: below the reserve that is STORAGE_FULL, whatever the call said; else INTERNAL. */
  private async writeFailure(e: unknown, doing: string): Promise<AppError> {
    const error = storageError(e, doing);
    if (error.code === ErrorCode.StorageFull) return error;
    const full = await this.storage().then((s) => s.full, () => false);
    return full ? storageFull() : error;
  }

  private uploadRow(id: string): UploadRow | undefined {
    return this.db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?').get(id);
  }

  private async toUpload(row: UploadRow): Promise<UploadRecord> {
    return uploadRecord(row, await this.parts.stat(row.id));
  }

  async beginUpload(upload: NewUpload): Promise<UploadRecord> {
    this.write('record the upload', () =>
      this.db
        .prepare(
          `INSERT INTO uploads (id, owner_id, client_upload_id, name, size, type, caption, author, created_at)
           VALUES (@id, @ownerId, @clientUploadId, @name, @size, @type, @caption, @author, @createdAt)
           ON CONFLICT (owner_id, client_upload_id) DO NOTHING`,
        )
        .run(upload),
    );
    const found = await this.findUpload(upload.ownerId, upload.clientUploadId);
    if (!found) throw new AppError(ErrorCode.Internal, 'The upload could not be recorded.');
    return found;
  }

  async getUpload(id: string): Promise<UploadRecord | null> {
    const row = this.uploadRow(id);
    return row ? this.toUpload(row) : null;
  }

  async findUpload(ownerId: string, clientUploadId: string): Promise<UploadRecord | null> {
    const row = this.db
      .prepare<[string, string], UploadRow>('SELECT * FROM uploads WHERE owner_id = ? AND client_upload_id = ?')
      .get(ownerId, clientUploadId);
    return row ? this.toUpload(row) : null;
  }

  async relabelUpload(id: string, text: { readonly caption: string; readonly author: string }): Promise<void> {
    this.write('save the caption', () =>
      this.db.prepare('UPDATE uploads SET caption = ?, author = ? WHERE id = ?').run(text.caption, text.author, id),
    );
  }

  touchUpload(id: string, at: number): Promise<void> {
    return this.uploadQueue.run(id, async () => {
      try {
        await this.parts.touch(id, at);
      } catch (e) {
        throw storageError(e, 'keep the upload');
      }
    });
  }

  async outstandingBytes(): Promise<number> {
    const rows = this.db.prepare<[], { id: string; size: number }>('SELECT id, size FROM uploads').all();
    const parts = await Promise.all(rows.map((r) => this.parts.stat(r.id)));
    return rows.reduce((sum, r, i) => sum + Math.max(0, r.size - (parts[i]?.size ?? 0)), 0);
  }

  async reservedUploadBytes(): Promise<number> {
    return this.db.prepare<[], { total: number | null }>('SELECT SUM(size) AS total FROM uploads').get()?.total ?? 0;
  }

  async countUploads(ownerId: string): Promise<number> {
    const row = this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM uploads WHERE owner_id = ?').get(ownerId);
    return row?.n ?? 0;
  }

  appendUpload(id: string, offset: number, data: Uint8Array): Promise<number> {
    return this.uploadQueue.run(id, async () => {
      if (!this.uploadRow(id)) throw new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
      try {
        return await this.parts.append(id, offset, data, () => this.ensureRoom(data.byteLength));
      } catch (e) {
        throw await this.writeFailure(e, 'save the chunk');
      }
    });
  }

  readUpload(id: string): AsyncIterable<Uint8Array> {
    return this.parts.read(id, PIECE_BYTES);
  }

  readUploadHead(id: string, maxBytes: number): Promise<Buffer> {
    return this.parts.head(id, maxBytes);
  }

  deleteUpload(id: string): Promise<void> {
    return this.uploadQueue.run(id, async () => {
      // Bytes first: unlinking frees space even when the disk is too full for SQLite to write. A
      // record left behind holds no bytes and expires like any idle upload.
      try {
        await this.parts.remove(id);
      } catch (e) {
        throw storageError(e, 'delete the upload');
      }
      this.write('delete the upload', () => this.db.prepare('DELETE FROM uploads WHERE id = ?').run(id));
    });
  }

  async listStaleUploads(query: StaleUploadQuery): Promise<readonly UploadRecord[]> {
    // Idleness lives in the part file's mtime, so every open upload is looked at (there are few).
    const rows = this.db.prepare<[], UploadRow>('SELECT * FROM uploads').all();
    const uploads = await Promise.all(rows.map((row) => this.toUpload(row)));
    return uploads.filter((u) => u.updatedAt < query.idleBefore || u.createdAt < query.createdBefore);
  }

  async sweepOrphans(before: number): Promise<SweepReport> {
    const { removed, errors } = await this.blobs.sweep(before);
    return { removed, errors: errors.map((e) => storageError(e, 'sweep an unfinished image')) };
  }

  async createPhoto(photo: NewPhoto): Promise<PhotoRecord> {
    const existing = await this.findPhotoByUpload(photo.ownerId, photo.clientUploadId);
    if (existing) return existing;
    await this.ensureRoom(photo.blobs.reduce((sum, b) => sum + b.bytes, 0));
    const variants: VariantRecord[] = [];
    try {
      for (const blob of photo.blobs) variants.push(await this.blobs.write(blob, photo.createdAt));
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
  }

  async findPhotoByUpload(ownerId: string, clientUploadId: string): Promise<PhotoRecord | null> {
    return photosWhere(this.db, 'p.owner_id = ? AND p.client_upload_id = ?', [ownerId, clientUploadId], 1)[0] ?? null;
  }

  async getPhoto(id: string): Promise<PhotoRecord | null> {
    return photosWhere(this.db, 'p.id = ?', [id], 1)[0] ?? null;
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
    const row = this.db.prepare<[], { value: number }>(`SELECT value FROM counters WHERE name = 'seq'`).get();
    return row?.value ?? 0;
  }

  async openMedia(key: string): Promise<MediaFile | null> {
    const kinds = [...PUBLIC_VARIANTS];
    const row = this.db
      .prepare<unknown[], { content_type: string; bytes: number }>(
        `SELECT v.content_type, v.bytes FROM variants v JOIN photos p ON p.id = v.photo_id
         WHERE v.key = ? AND p.state = 'visible' AND v.kind IN (${kinds.map(() => '?').join(',')}) LIMIT 1`,
      )
      .get(key, ...kinds);
    if (!row) return null;
    const file = this.blobs.file(key);
    if ((await fileSize(this.disk, file)) === null) return null;
    return { contentType: row.content_type, bytes: row.bytes, open: () => createReadStream(file) };
  }

  /** Databases from before owner keys hold cookie ids: rewritten to keys once (see owner-rows). */
  rekeyLegacyOwners(keyOf: (uid: string) => string): number {
    return this.write('upgrade owner ids', () => owners.rekeyLegacyOwners(this.db, keyOf));
  }

  async blockOwnerOf(photoId: string): Promise<{ ownerId: string } | null> {
    return this.write('block the guest', () => owners.blockOwnerOf(this.db, photoId, Date.now()));
  }

  async isBlocked(ownerId: string): Promise<boolean> {
    return owners.isBlocked(this.db, ownerId);
  }

  async resolveOwner(ownerId: string): Promise<string> {
    return owners.resolveOwner(this.db, ownerId);
  }

  async setRecoveryCode(ownerId: string, codeHash: string, at: number): Promise<void> {
    this.write('save the recovery code', () => owners.setRecoveryCode(this.db, ownerId, codeHash, at));
  }

  async recoverOwner(browserKey: string, codeHash: string): Promise<string | null> {
    return this.write('link the browser', () => owners.recoverOwner(this.db, browserKey, codeHash));
  }

  async claimJob(kind: JobKind, worker: string, now: number, leaseMs: number): Promise<JobRecord | null> {
    return this.write('claim a job', () => jobs.claimJob(this.db, kind, worker, now, leaseMs));
  }

  async completeJob(id: string, worker: string): Promise<void> {
    this.write('finish a job', () => jobs.completeJob(this.db, id, worker));
  }

  async failJob(id: string, worker: string, error: string, retryAt: number): Promise<void> {
    this.write('reschedule a job', () => jobs.failJob(this.db, id, worker, error, retryAt));
  }

  async readVariant(photoId: string, kind: VariantKind): Promise<{ contentType: string; body: AsyncIterable<Uint8Array> } | null> {
    const row = this.db
      .prepare<[string, string], { key: string; content_type: string }>('SELECT key, content_type FROM variants WHERE photo_id = ? AND kind = ?')
      .get(photoId, kind);
    return row ? { contentType: row.content_type, body: this.blobs.read(row.key, PIECE_BYTES) } : null;
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

  async readSettings(): Promise<HostSettings> {
    return readSettingsRow(this.db);
  }

  async writeSettings(settings: HostSettings): Promise<void> {
    this.write('save the settings', () => writeSettingsRow(this.db, settings));
  }

  async readAdminSecret(): Promise<string | null> {
    return readAdminRow(this.db);
  }

  async writeAdminSecret(hash: string): Promise<void> {
    this.write('save the admin password', () => writeAdminRow(this.db, hash));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
