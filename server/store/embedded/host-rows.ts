/** The host's console in SQLite: the moderation grid and the counts beside it. */
import type Database from 'better-sqlite3';
import type { HostPhotoQuery, PhotoCounts, PhotoRecord } from '../types';
import { photosWhere } from './photo-rows';

/**
 * SQLite's LIKE and lower() fold ASCII only; the host searching "zoë" should find "ZOË". Registered
 * once per connection, before any statement uses it.
 */
export function registerSearch(db: Database.Database): void {
  db.function('pb_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
}

/** `%text%` with LIKE's wildcards (and the escape character itself) taken literally. */
export function likeSubstring(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

const HOST_STATES = new Set(['visible', 'pending', 'hidden']);

export function listForHost(db: Database.Database, query: HostPhotoQuery): PhotoRecord[] {
  const states = [...new Set(query.states)].filter((s) => HOST_STATES.has(s)).sort();
  const limit = Math.floor(query.limit);
  if (states.length === 0 || !(limit > 0)) return [];
  const where = [`p.state IN (${states.map(() => '?').join(',')})`];
  const params: unknown[] = [...states];
  if (query.search !== '') {
    where.push(`(pb_fold(p.caption) LIKE ? ESCAPE '\\' OR pb_fold(p.author) LIKE ? ESCAPE '\\')`);
    const pattern = likeSubstring(query.search);
    params.push(pattern, pattern);
  }
  if (query.guest !== null) {
    where.push('p.owner_id = (SELECT owner_id FROM guests WHERE number = ?)');
    params.push(query.guest);
  }
  if (query.after !== null) {
    // Row values: strictly after in (created_at DESC, id DESC), and photos_by_created serves it.
    where.push('(p.created_at, p.id) < (?, ?)');
    params.push(query.after.createdAt, query.after.id);
  }
  return photosWhere(db, where.join(' AND '), params, limit, 'p.created_at DESC, p.id DESC');
}

export function photoCounts(db: Database.Database): PhotoCounts {
  const counts = db
    .prepare<[], { visible: number; pending: number; hidden: number; guests: number }>(
      `SELECT COALESCE(SUM(state = 'visible'), 0) AS visible, COALESCE(SUM(state = 'pending'), 0) AS pending,
         COALESCE(SUM(state = 'hidden'), 0) AS hidden, COUNT(DISTINCT CASE WHEN state != 'removed' THEN owner_id END) AS guests
       FROM photos`,
    )
    .get() ?? { visible: 0, pending: 0, hidden: 0, guests: 0 };
  // Per photo: two photos sharing bytes count them twice, as each would if stored alone.
  const bytes = db
    .prepare<[], { bytes: number }>(
      `SELECT COALESCE(SUM(v.bytes), 0) AS bytes FROM variants v JOIN photos p ON p.id = v.photo_id WHERE p.state != 'removed'`,
    )
    .get()?.bytes ?? 0;
  return { ...counts, bytes };
}
