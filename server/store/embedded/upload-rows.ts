/** Records of partial uploads in SQLite; their bytes and last activity live in part files. */
import type Database from 'better-sqlite3';
import type { NewUpload } from '../types';
import type { UploadRow } from './schema';

export function uploadRow(db: Database.Database, id: string): UploadRow | undefined {
  return db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?').get(id);
}

export function uploadByClient(db: Database.Database, ownerId: string, clientUploadId: string): UploadRow | undefined {
  return db.prepare<[string, string], UploadRow>('SELECT * FROM uploads WHERE owner_id = ? AND client_upload_id = ?').get(ownerId, clientUploadId);
}

export function allUploads(db: Database.Database): UploadRow[] {
  return db.prepare<[], UploadRow>('SELECT * FROM uploads').all();
}

/** Does nothing when the owner already began this client upload (the caller reads that one back). */
export function insertUpload(db: Database.Database, upload: NewUpload): void {
  db.prepare(
    `INSERT INTO uploads (id, owner_id, client_upload_id, name, size, type, caption, author, created_at, address_key)
     VALUES (@id, @ownerId, @clientUploadId, @name, @size, @type, @caption, @author, @createdAt, @addressKey)
     ON CONFLICT (owner_id, client_upload_id) DO NOTHING`,
  ).run({ ...upload, addressKey: upload.addressKey ?? null });
}

export function relabelUpload(db: Database.Database, id: string, text: { readonly caption: string; readonly author: string }): void {
  db.prepare('UPDATE uploads SET caption = ?, author = ? WHERE id = ?').run(text.caption, text.author, id);
}

/** Never moves activity back (two replies racing, or clocks a little apart). */
export function touchUpload(db: Database.Database, id: string, at: number): void {
  db.prepare('UPDATE uploads SET touched_at = MAX(touched_at, ?) WHERE id = ?').run(at, id);
}

/** All open uploads' declared sizes, or only those of one address (rows without one count only in the total). */
export function reservedUploadBytes(db: Database.Database, addressKey?: string): number {
  const row =
    addressKey === undefined
      ? db.prepare<[], { total: number | null }>('SELECT SUM(size) AS total FROM uploads').get()
      : db.prepare<[string], { total: number | null }>('SELECT SUM(size) AS total FROM uploads WHERE address_key = ?').get(addressKey);
  return row?.total ?? 0;
}

export function countUploads(db: Database.Database, ownerId: string): number {
  return db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM uploads WHERE owner_id = ?').get(ownerId)?.n ?? 0;
}

export function deleteUploadRow(db: Database.Database, id: string): void {
  db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
}
