/**
 * The embedded store's ground floor: the write wrapper, room checks and partial uploads (records in
 * SQLite, bytes in part files). SqliteHostRows, then SqliteStore, build on it.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../errors';
import type { NewUpload, StaleUploadQuery, StorageStatus, UploadFile, UploadRecord } from '../types';
import { tempCopy } from '../temp-copy';
import { PIECE_BYTES } from '../blob-body';
import { storageFull } from '../storage-errors';
import { embeddedError } from './sqlite-errors';
import { KeyedQueue } from '../../util/concurrency';
import { freeBytes, nodeDisk, type Disk } from './disk';
import { PartFiles } from './part-files';
import { RoomGauge } from '../room-gauge';
import { AppendBatches, type QueuedChunk } from './append-batches';
import * as uploads from './upload-rows';
import { uploadRecord, type UploadRow } from './schema';

export interface EmbeddedStoreOptions {
  /** Free bytes kept for deletes, aborts and the sweep: uploads stop before the disk does. */
  readonly reserveBytes: number;
  /** fsync every chunk and image (and SQLite synchronous=FULL) before acknowledging it. */
  readonly syncWrites: boolean;
  /** The file system; fault specs pass one that fails on purpose. */
  readonly disk?: Disk;
  /** How long a free-space reading that showed room is trusted for chunks (default 1 s; see RoomGauge). */
  readonly roomCheckMs?: number;
}

export const DEFAULT_EMBEDDED_OPTIONS: EmbeddedStoreOptions = Object.freeze({ reserveBytes: 256 * 1024 * 1024, syncWrites: true });

export abstract class SqliteUploads {
  private readonly uploadQueue = new KeyedQueue();
  private readonly batches = new AppendBatches();
  private readonly parts: PartFiles;
  private readonly room: RoomGauge;
  protected readonly disk: Disk;

  protected constructor(
    protected readonly dataDir: string,
    protected readonly db: Database.Database,
    protected readonly options: EmbeddedStoreOptions,
  ) {
    this.disk = options.disk ?? nodeDisk;
    this.parts = new PartFiles(this.disk, path.join(dataDir, 'uploads'), options.syncWrites);
    this.room = new RoomGauge(() => this.freeBytes(), options.reserveBytes, options.roomCheckMs ?? 1000);
  }

  /** Runs a database write, translating SQLITE_FULL and I/O errors. */
  protected write<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (e) {
      throw embeddedError(e, doing);
    }
  }

  /** SQLite answers synchronously; a closed or broken database throws here. */
  async ping(_timeoutMs: number): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async storage(): Promise<StorageStatus> {
    const free = await freeBytes(this.disk, this.dataDir);
    return { freeBytes: free, reserveBytes: this.options.reserveBytes, full: free < this.options.reserveBytes };
  }

  async ensureRoom(bytes: number): Promise<void> {
    if ((await this.freeBytes()) - bytes < this.options.reserveBytes) throw storageFull();
  }

  private freeBytes(): Promise<number> {
    return freeBytes(this.disk, this.dataDir).catch((e: unknown) => {
      throw embeddedError(e, 'check its free space');
    });
  }

  /** Open part files held between chunks (specs check the count stays bounded). */
  get openPartFiles(): number {
    return this.parts.openCount;
  }

  /** Shutdown: closes the part files held open between chunks. */
  protected closeUploads(): Promise<void> {
    return this.parts.close();
  }

  /** A write failed: below the reserve that is STORAGE_FULL, whatever the call said; else INTERNAL. */
  protected async writeFailure(e: unknown, doing: string): Promise<AppError> {
    const error = embeddedError(e, doing);
    if (error.code === ErrorCode.StorageFull) return error;
    const full = await this.storage().then((s) => s.full, () => false);
    return full ? storageFull() : error;
  }

  private async toUpload(row: UploadRow): Promise<UploadRecord> {
    return uploadRecord(row, await this.parts.stat(row.id));
  }

  async beginUpload(upload: NewUpload): Promise<UploadRecord> {
    this.write('record the upload', () => uploads.insertUpload(this.db, upload));
    const found = await this.findUpload(upload.ownerId, upload.clientUploadId);
    if (!found) throw new AppError(ErrorCode.Internal, 'The upload could not be recorded.');
    return found;
  }

  async getUpload(id: string): Promise<UploadRecord | null> {
    const row = uploads.uploadRow(this.db, id);
    return row ? this.toUpload(row) : null;
  }

  async findUpload(ownerId: string, clientUploadId: string): Promise<UploadRecord | null> {
    const row = uploads.uploadByClient(this.db, ownerId, clientUploadId);
    return row ? this.toUpload(row) : null;
  }

  async relabelUpload(id: string, text: { readonly caption: string; readonly author: string }): Promise<void> {
    this.write('save the caption', () => uploads.relabelUpload(this.db, id, text));
  }

  async touchUpload(id: string, at: number): Promise<void> {
    this.write('keep the upload', () => uploads.touchUpload(this.db, id, at));
  }

  async outstandingBytes(): Promise<number> {
    const rows = uploads.allUploads(this.db);
    const parts = await Promise.all(rows.map((r) => this.parts.stat(r.id)));
    return rows.reduce((sum, r, i) => sum + Math.max(0, r.size - (parts[i]?.size ?? 0)), 0);
  }

  async reservedUploadBytes(addressKey?: string): Promise<number> {
    return uploads.reservedUploadBytes(this.db, addressKey);
  }

  async countUploads(ownerId: string): Promise<number> {
    return uploads.countUploads(this.db, ownerId);
  }

  /** Chunks that arrive while the upload's previous write is under way go to disk together. */
  appendUpload(id: string, offset: number, data: Uint8Array): Promise<number> {
    return this.batches.add(id, offset, data, (take) => this.uploadQueue.run(id, () => this.writeChunks(id, take())));
  }

  private async writeChunks(id: string, chunks: readonly QueuedChunk[]): Promise<void> {
    if (!uploads.uploadRow(this.db, id)) throw new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
    let sizes: number[];
    try {
      sizes = await this.parts.appendAll(id, chunks, (bytes) => this.room.ensure(bytes));
    } catch (e) {
      throw await this.writeFailure(e, 'save the chunk');
    }
    chunks.forEach((chunk, i) => chunk.resolve(sizes[i]!));
  }

  readUpload(id: string): AsyncIterable<Uint8Array> {
    return this.parts.read(id, PIECE_BYTES);
  }

  readUploadHead(id: string, maxBytes: number): Promise<Uint8Array> {
    return this.parts.head(id, maxBytes);
  }

  /**
   * The part file itself when it holds what the store counts as received (no copy, nothing to
   * remove); a temporary copy otherwise (a part file kept under another name or still open).
   */
  async uploadFile(id: string): Promise<UploadFile> {
    const file = this.parts.file(id);
    const [own, counted] = await Promise.all([this.disk.stat(file).catch(() => null), this.parts.stat(id)]);
    if (own && counted && own.size === counted.size) return { path: file, bytes: own.size, release: async () => undefined };
    return tempCopy(this.readUpload(id));
  }

  deleteUpload(id: string): Promise<void> {
    this.batches.seal(id);
    return this.uploadQueue.run(id, async () => {
      // Bytes first: unlinking frees space even when the disk is too full for SQLite to write. A
      // record left behind holds no bytes and expires like any idle upload.
      try {
        await this.parts.remove(id);
      } catch (e) {
        throw embeddedError(e, 'delete the upload');
      }
      this.write('delete the upload', () => uploads.deleteUploadRow(this.db, id));
    });
  }

  async listStaleUploads(query: StaleUploadQuery): Promise<readonly UploadRecord[]> {
    // Activity includes the part file's last write, so every open upload is looked at (there are few).
    const rows = uploads.allUploads(this.db);
    const records = await Promise.all(rows.map((row) => this.toUpload(row)));
    return records.filter((u) => u.updatedAt < query.idleBefore || u.createdAt < query.createdBefore);
  }
}
