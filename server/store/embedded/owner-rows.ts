/** Recovery codes and the browsers linked to an owner by one, and blocked owners, in SQLite. */
import type Database from 'better-sqlite3';
import { handOverGuest } from './guest-rows';

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

/**
 * One transaction: link the browser, and move what it owned (photos, open uploads, links) to the
 * owner. The owner keeps its guest number (or takes the browser's), and a block on the browser
 * follows it, so recovering does not lift the host's block.
 */
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
      handOverGuest(db, previous, owner);
      db.prepare('UPDATE OR IGNORE blocked_owners SET owner_id = ? WHERE owner_id = ?').run(owner, previous);
      db.prepare('DELETE FROM blocked_owners WHERE owner_id = ?').run(previous);
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
 * are rewritten to keys once, so those guests keep their photos, guest numbers and blocks. Returns
 * how many photos and uploads changed.
 */
export function rekeyLegacyOwners(db: Database.Database, keyOf: (uid: string) => string): number {
  db.function('pb_owner_key', (uid: unknown) => keyOf(String(uid)));
  return db.transaction(() => {
    let changed = 0;
    for (const table of ['photos', 'uploads']) {
      changed += db.prepare(`UPDATE ${table} SET owner_id = pb_owner_key(owner_id) WHERE length(owner_id) = 22`).run().changes;
    }
    // One row per owner: where the key already has its own, that one stays and the legacy row goes.
    for (const table of ['guests', 'blocked_owners']) {
      db.prepare(`UPDATE OR IGNORE ${table} SET owner_id = pb_owner_key(owner_id) WHERE length(owner_id) = 22`).run();
      db.prepare(`DELETE FROM ${table} WHERE length(owner_id) = 22`).run();
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

/** True when the photo exists (its owner is not blocked afterwards, whether it was or not). */
export function unblockOwnerOf(db: Database.Database, photoId: string): boolean {
  const row = db.prepare<[string], { owner_id: string }>('SELECT owner_id FROM photos WHERE id = ?').get(photoId);
  if (!row) return false;
  db.prepare('DELETE FROM blocked_owners WHERE owner_id = ?').run(row.owner_id);
  return true;
}
