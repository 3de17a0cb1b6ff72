import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../errors';
import {
  DEFAULT_HOST_SETTINGS,
  PUBLIC_VARIANTS,
  type HostSettings,
  type MediaFile,
  type NewPhoto,
  type NewUpload,
  type PhotoRecord,
  type PhotoStore,
  type StaleUploadQuery,
  type UploadRecord,
  type VariantKind,
  type VariantRecord,
} from '../types';
import { KeyedQueue } from '../../util/concurrency';
import { blobKey, fileSize, writeFileAtomic } from './files';
import { sweepOrphanFiles } from './orphans';
import { SCHEMA, type PhotoRow, type UploadRow, type VariantRow } from './schema';

/**
 * Embedded store: metadata in SQLite (WAL, synchronous=FULL), image blobs and partial uploads as
 * files under dataDir. One process owns the directory.
 */
export class SqliteStore implements PhotoStore {
  private readonly db: Database.Database;
  private readonly mediaDir: string;
  private readonly uploadDir: string;
  private readonly uploadQueue = new KeyedQueue();

  private constructor(dataDir: string, db: Database.Database) {
    this.db = db;
    this.mediaDir = path.join(dataDir, 'media');
    this.uploadDir = path.join(dataDir, 'uploads');
  }

  static async open(dataDir: string): Promise<SqliteStore> {
    await fs.mkdir(path.join(dataDir, 'media'), { recursive: true });
    await fs.mkdir(path.join(dataDir, 'uploads'), { recursive: true });
    const db = new Database(path.join(dataDir, 'photobook.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return new SqliteStore(dataDir, db);
  }

  private uploadFile(id: string): string {
    return path.join(this.uploadDir, `${id}.part`);
  }

  private mediaFile(key: string): string {
    return path.join(this.mediaDir, key.slice(0, 2), key);
  }

  private uploadRow(id: string): UploadRow | undefined {
    return this.db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?').get(id);
  }

  private async toUpload(row: UploadRow): Promise<UploadRecord> {
    const file = this.uploadFile(row.id);
    let received = 0;
    let updatedAt = row.created_at;
    try {
      const stat = await fs.stat(file);
      received = stat.size;
      updatedAt = Math.max(updatedAt, Math.floor(stat.mtimeMs));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return {
      id: row.id,
      ownerId: row.owner_id,
      clientUploadId: row.client_upload_id,
      name: row.name,
      size: row.size,
      type: row.type,
      caption: row.caption,
      author: row.author,
      received,
      createdAt: row.created_at,
      updatedAt,
    };
  }

  async beginUpload(upload: NewUpload): Promise<UploadRecord> {
    this.db
      .prepare(
        `INSERT INTO uploads (id, owner_id, client_upload_id, name, size, type, caption, author, created_at)
         VALUES (@id, @ownerId, @clientUploadId, @name, @size, @type, @caption, @author, @createdAt)
         ON CONFLICT (owner_id, client_upload_id) DO NOTHING`,
      )
      .run(upload);
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
    this.db.prepare('UPDATE uploads SET caption = ?, author = ? WHERE id = ?').run(text.caption, text.author, id);
  }

  async countUploads(ownerId: string): Promise<number> {
    const row = this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM uploads WHERE owner_id = ?').get(ownerId);
    return row?.n ?? 0;
  }

  appendUpload(id: string, offset: number, data: Uint8Array): Promise<number> {
    return this.uploadQueue.run(id, async () => {
      if (!this.uploadRow(id)) throw new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
      const file = this.uploadFile(id);
      const handle = await fs.open(file, 'a+');
      try {
        const { size } = await handle.stat();
        if (size !== offset) return size;
        await handle.write(data, 0, data.byteLength, offset);
        return offset + data.byteLength;
      } finally {
        await handle.close();
      }
    });
  }

  async readUpload(id: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.uploadFile(id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw e;
    }
  }

  async readUploadHead(id: string, maxBytes: number): Promise<Buffer> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.uploadFile(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw e;
    }
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  deleteUpload(id: string): Promise<void> {
    return this.uploadQueue.run(id, async () => {
      this.db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
      await fs.rm(this.uploadFile(id), { force: true });
    });
  }

  async listStaleUploads(query: StaleUploadQuery): Promise<readonly UploadRecord[]> {
    // Idleness lives in the part file's mtime, so every open upload is looked at (there are few).
    const rows = this.db.prepare<[], UploadRow>('SELECT * FROM uploads').all();
    const uploads = await Promise.all(rows.map((row) => this.toUpload(row)));
    return uploads.filter((u) => u.updatedAt < query.idleBefore || u.createdAt < query.createdBefore);
  }

  sweepOrphans(before: number): Promise<number> {
    return sweepOrphanFiles({
      uploadDir: this.uploadDir,
      mediaDir: this.mediaDir,
      before,
      uploadExists: (id) => this.uploadRow(id) !== undefined,
      blobReferenced: (key) =>
        this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM variants WHERE key = ? LIMIT 1').get(key) !== undefined,
    });
  }

  async createPhoto(photo: NewPhoto): Promise<PhotoRecord> {
    const existing = await this.findPhotoByUpload(photo.ownerId, photo.clientUploadId);
    if (existing) return existing;
    const variants: VariantRecord[] = [];
    for (const blob of photo.blobs) {
      const key = blobKey(blob.data, blob.contentType);
      const file = this.mediaFile(key);
      if ((await fileSize(file)) !== blob.data.byteLength) await writeFileAtomic(file, blob.data);
      // A blob reused from an earlier photo is young again, so the orphan sweep leaves it alone.
      else await fs.utimes(file, new Date(), new Date());
      variants.push({ kind: blob.kind, key, contentType: blob.contentType, width: blob.width, height: blob.height, bytes: blob.data.byteLength });
    }
    const insert = this.db.transaction(() => {
      const seq = this.nextSeq();
      this.db
        .prepare(
          `INSERT INTO photos (id, seq, owner_id, client_upload_id, caption, author, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(photo.id, seq, photo.ownerId, photo.clientUploadId, photo.caption, photo.author, photo.createdAt);
      const addVariant = this.db.prepare(
        `INSERT INTO variants (photo_id, kind, key, content_type, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const v of variants) addVariant.run(photo.id, v.kind, v.key, v.contentType, v.width, v.height, v.bytes);
    });
    try {
      insert();
    } catch (e) {
      const raced = await this.findPhotoByUpload(photo.ownerId, photo.clientUploadId);
      if (raced) return raced;
      throw new AppError(ErrorCode.Internal, 'The photo could not be saved.');
    }
    const saved = this.photoWhere('p.id = ?', [photo.id], 1)[0];
    if (!saved) throw new AppError(ErrorCode.Internal, 'The photo could not be saved.');
    return saved;
  }

  private nextSeq(): number {
    const row = this.db
      .prepare<[], { value: number }>(
        `INSERT INTO counters (name, value) VALUES ('seq', 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get();
    if (!row) throw new AppError(ErrorCode.Internal, 'The sequence counter failed.');
    return row.value;
  }

  private photoWhere(where: string, params: unknown[], limit: number, order = 'p.seq DESC'): PhotoRecord[] {
    const rows = this.db
      .prepare<unknown[], PhotoRow>(`SELECT p.* FROM photos p WHERE ${where} ORDER BY ${order} LIMIT ?`)
      .all(...params, limit);
    if (rows.length === 0) return [];
    const marks = rows.map(() => '?').join(',');
    const variantRows = this.db
      .prepare<string[], VariantRow>(`SELECT * FROM variants WHERE photo_id IN (${marks})`)
      .all(...rows.map((r) => r.id));
    const byPhoto = new Map<string, VariantRecord[]>();
    for (const v of variantRows) {
      const list = byPhoto.get(v.photo_id) ?? [];
      list.push({ kind: v.kind as VariantKind, key: v.key, contentType: v.content_type, width: v.width, height: v.height, bytes: v.bytes });
      byPhoto.set(v.photo_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      ownerId: r.owner_id,
      clientUploadId: r.client_upload_id,
      caption: r.caption,
      author: r.author,
      createdAt: r.created_at,
      variants: byPhoto.get(r.id) ?? [],
    }));
  }

  async findPhotoByUpload(ownerId: string, clientUploadId: string): Promise<PhotoRecord | null> {
    return this.photoWhere('p.owner_id = ? AND p.client_upload_id = ?', [ownerId, clientUploadId], 1)[0] ?? null;
  }

  async getPhoto(id: string): Promise<PhotoRecord | null> {
    return this.photoWhere('p.id = ?', [id], 1)[0] ?? null;
  }

  async listPhotos(limit: number): Promise<readonly PhotoRecord[]> {
    return this.photoWhere(`p.state = 'visible'`, [], limit);
  }

  async changesSince(seq: number, limit: number): Promise<readonly PhotoRecord[]> {
    return this.photoWhere(`p.state = 'visible' AND p.seq > ?`, [seq], limit, 'p.seq ASC');
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
    const file = this.mediaFile(key);
    if ((await fileSize(file)) === null) return null;
    return { contentType: row.content_type, bytes: row.bytes, open: () => createReadStream(file) };
  }

  async readSettings(): Promise<HostSettings> {
    const row = this.db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE name = 'host'`).get();
    if (!row) return DEFAULT_HOST_SETTINGS;
    const saved = JSON.parse(row.value) as Partial<HostSettings>;
    return {
      uploadsPaused: saved.uploadsPaused === true,
      pauseMessage: typeof saved.pauseMessage === 'string' ? saved.pauseMessage : '',
    };
  }

  async writeSettings(settings: HostSettings): Promise<void> {
    const value = JSON.stringify({ uploadsPaused: settings.uploadsPaused, pauseMessage: settings.pauseMessage });
    this.db
      .prepare(`INSERT INTO settings (name, value) VALUES ('host', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`)
      .run(value);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
