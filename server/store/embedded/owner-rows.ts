/** Recovery codes and the browsers linked to an owner by one, in SQLite. */
import type Database from 'better-sqlite3';

export function resolveOwner(db: Database.Database, key: string): string {
  const row = db.prepare<[string], { owner_id: string }>('SELECT owner_id FROM owner_links WHERE browser_key = ?').get(key);
  return row?.owner_id ?? key;
}

export function setRecoveryCode(db: Database.Database, ownerId: string, codeHash: string, at: number): void {
  db.prepare(
    `INSERT INTO recovery_codes (owner_id, code_hash, created_at) VALUES (?, ?, ?)
     ON CONFLICT (owner_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at`,
  ).run(ownerId, codeHash, at);
}

/** One transaction: link the browser, and move what it owned (photos, open uploads, links) to the owner. */
export function recoverOwner(db: Database.Database, browserKey: string, codeHash: string): string | null {
  return db.transaction((): string | null => {
    const row = db.prepare<[string], { owner_id: string }>('SELECT owner_id FROM recovery_codes WHERE code_hash = ?').get(codeHash);
    if (!row) return null;
    const owner = row.owner_id;
    const previous = resolveOwner(db, browserKey);
    if (previous !== owner) {
      db.prepare('UPDATE photos SET owner_id = ? WHERE owner_id = ?').run(owner, previous);
      db.prepare('UPDATE OR IGNORE uploads SET owner_id = ? WHERE owner_id = ?').run(owner, previous);
      db.prepare('UPDATE owner_links SET owner_id = ? WHERE owner_id = ?').run(owner, previous);
      db.prepare('DELETE FROM recovery_codes WHERE owner_id = ?').run(previous);
    }
    if (browserKey !== owner) {
      db.prepare(
        'INSERT INTO owner_links (browser_key, owner_id) VALUES (?, ?) ON CONFLICT (browser_key) DO UPDATE SET owner_id = excluded.owner_id',
      ).run(browserKey, owner);
    }
    return owner;
  })();
}

/**
 * Databases from before owner keys hold the cookie's id itself (22 characters; keys have 43): they
 * are rewritten to keys once, so those guests keep their photos. Returns how many rows changed.
 */
export function rekeyLegacyOwners(db: Database.Database, keyOf: (uid: string) => string): number {
  db.function('pb_owner_key', (uid: unknown) => keyOf(String(uid)));
  return db.transaction(() => {
    let changed = 0;
    for (const table of ['photos', 'uploads']) {
      changed += db.prepare(`UPDATE ${table} SET owner_id = pb_owner_key(owner_id) WHERE length(owner_id) = 22`).run().changes;
    }
    return changed;
  })();
}

export function blockOwnerOf(db: Database.Database, photoId: string, at: number): { ownerId: string } | null {
  const row = db.prepare<[string], { owner_id: string }>('SELECT owner_id FROM photos WHERE id = ?').get(photoId);
  if (!row) return null;
  db.prepare('INSERT INTO blocked_owners (owner_id, blocked_at) VALUES (?, ?) ON CONFLICT (owner_id) DO NOTHING').run(row.owner_id, at);
  return { ownerId: row.owner_id };
}

export function isBlocked(db: Database.Database, ownerId: string): boolean {
  return db.prepare('SELECT 1 FROM blocked_owners WHERE owner_id = ?').get(ownerId) !== undefined;
}
