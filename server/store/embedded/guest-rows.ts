/**
 * Guest alias numbers in SQLite. A counter row keeps numbers from being handed out twice even when
 * the highest one goes (a recovery merges two owners).
 */
import type Database from 'better-sqlite3';
import type { GuestInfo } from '../types';

/** The next number: past both the counter and every number held (a backfill may have gone further). */
const NEXT_NUMBER = `MAX(COALESCE((SELECT value FROM counters WHERE name = 'guest'), 0), COALESCE((SELECT MAX(number) FROM guests), 0)) + 1`;

function raiseCounter(db: Database.Database, to: number): void {
  db.prepare(`INSERT INTO counters (name, value) VALUES ('guest', ?) ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`).run(to);
}

/** Gives the owner the next number unless it has one. Part of the transaction that stores a photo. */
export function assignGuestNumber(db: Database.Database, ownerId: string): void {
  const row = db
    .prepare<[string, string], { number: number }>(
      `INSERT INTO guests (owner_id, number) SELECT ?, ${NEXT_NUMBER}
       WHERE NOT EXISTS (SELECT 1 FROM guests WHERE owner_id = ?) RETURNING number`,
    )
    .get(ownerId, ownerId);
  if (row) raiseCounter(db, row.number);
}

/**
 * Numbers owners of photos from before guest numbers (or whose row is missing) in the order their
 * first photo was stored. That is rowid order: photos are never deleted, and seq is taken anew by
 * every edit. Idempotent, so it runs at every open.
 */
export function backfillGuests(db: Database.Database): void {
  db.transaction(() => {
    const base = db.prepare<[], { top: number }>('SELECT COALESCE(MAX(number), 0) AS top FROM guests').get()?.top ?? 0;
    db.prepare(
      `INSERT OR IGNORE INTO guests (owner_id, number)
       SELECT owner_id, ? + ROW_NUMBER() OVER (ORDER BY first, owner_id)
       FROM (SELECT owner_id, MIN(rowid) AS first FROM photos GROUP BY owner_id)
       WHERE owner_id NOT IN (SELECT owner_id FROM guests)`,
    ).run(base);
    const top = db.prepare<[], { top: number | null }>('SELECT MAX(number) AS top FROM guests').get()?.top;
    if (top) raiseCounter(db, top);
  })();
}

/** Recovery: `to` keeps its number; when it had none it takes `from`'s. `from` owns nothing afterwards. */
export function handOverGuest(db: Database.Database, from: string, to: string): void {
  db.prepare('UPDATE OR IGNORE guests SET owner_id = ? WHERE owner_id = ?').run(to, from);
  db.prepare('DELETE FROM guests WHERE owner_id = ?').run(from);
}

export function guestsOf(db: Database.Database, ownerIds: readonly string[]): Map<string, GuestInfo> {
  const found = new Map<string, GuestInfo>();
  if (ownerIds.length === 0) return found;
  // One JSON parameter instead of an IN list: any number of owners, one compiled statement.
  const rows = db
    .prepare<[string], { owner_id: string; number: number; blocked: number }>(
      `SELECT g.owner_id, g.number, b.owner_id IS NOT NULL AS blocked
       FROM guests g LEFT JOIN blocked_owners b ON b.owner_id = g.owner_id
       WHERE g.owner_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify([...new Set(ownerIds)]));
  for (const r of rows) found.set(r.owner_id, { number: r.number, blocked: r.blocked === 1 });
  return found;
}
