import type Database from 'better-sqlite3';
import type { PhotoState } from '@photobook/shared';
import type { PhotoRecord, VariantKind, VariantRecord } from '../types';
import type { PhotoRow, VariantRow } from './schema';

/**
 * Photos matching a WHERE clause (on `p`, the photos table), with their owner's guest number and
 * their variants, in one query for each table.
 */
export function photosWhere(
  db: Database.Database,
  where: string,
  params: unknown[],
  limit: number,
  order = 'p.seq DESC',
): PhotoRecord[] {
  const rows = db
    .prepare<unknown[], PhotoRow & { guest: number }>(
      `SELECT p.*, COALESCE(g.number, 0) AS guest FROM photos p LEFT JOIN guests g ON g.owner_id = p.owner_id
       WHERE ${where} ORDER BY ${order} LIMIT ?`,
    )
    .all(...params, limit);
  if (rows.length === 0) return [];
  const marks = rows.map(() => '?').join(',');
  const variantRows = db
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
    guest: r.guest,
    state: r.state as PhotoState,
    clientUploadId: r.client_upload_id,
    caption: r.caption,
    author: r.author,
    createdAt: r.created_at,
    variants: byPhoto.get(r.id) ?? [],
  }));
}

export function currentSeq(db: Database.Database): number {
  return db.prepare<[], { value: number }>(`SELECT value FROM counters WHERE name = 'seq'`).get()?.value ?? 0;
}

/** A variant of one of the kinds given, by content key, of a photo in one of the states given. */
export function mediaRow(
  db: Database.Database,
  key: string,
  kinds: readonly VariantKind[],
  states: readonly PhotoState[],
): { content_type: string; bytes: number } | undefined {
  const marks = (list: readonly unknown[]) => list.map(() => '?').join(',');
  return db
    .prepare<unknown[], { content_type: string; bytes: number }>(
      `SELECT v.content_type, v.bytes FROM variants v JOIN photos p ON p.id = v.photo_id
       WHERE v.key = ? AND p.state IN (${marks(states)}) AND v.kind IN (${marks(kinds)}) LIMIT 1`,
    )
    .get(key, ...states, ...kinds);
}

export function variantRow(db: Database.Database, photoId: string, kind: VariantKind): { key: string; content_type: string; bytes: number } | undefined {
  return db
    .prepare<[string, string], { key: string; content_type: string; bytes: number }>('SELECT key, content_type, bytes FROM variants WHERE photo_id = ? AND kind = ?')
    .get(photoId, kind);
}
