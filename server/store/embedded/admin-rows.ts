import fs from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { embeddedError } from './sqlite-errors';

/** The admin password's hash, in the settings table beside the host's settings (never the password). */
export function readAdminRow(db: Database.Database): string | null {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE name = 'admin'`).get();
  return row?.value ?? null;
}

export function writeAdminRow(db: Database.Database, hash: string): void {
  db.prepare(`INSERT INTO settings (name, value) VALUES ('admin', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(hash);
}

/** Stores (or extends) a session and forgets every expired one in the same transaction. */
export function createAdminSession(db: Database.Database, id: string, expiresAt: number, now: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?').run(now);
    db.prepare('INSERT INTO admin_sessions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at').run(
      id,
      expiresAt,
    );
  })();
}

export function adminSessionExpiry(db: Database.Database, id: string, now: number): number | null {
  const row = db
    .prepare<[string, number], { expires_at: number }>('SELECT expires_at FROM admin_sessions WHERE id = ? AND expires_at > ?')
    .get(id, now);
  return row?.expires_at ?? null;
}

export function deleteAdminSession(db: Database.Database, id: string): boolean {
  return db.prepare('DELETE FROM admin_sessions WHERE id = ?').run(id).changes > 0;
}

/** The cookie key stays where it always was: a file in DATA_DIR, made at the first start. */
export async function sharedSecret(dataDir: string, name: 'cookie', create: () => string): Promise<string> {
  const file = path.join(dataDir, `${name}-secret`);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw embeddedError(e, 'read its cookie key');
  }
  const secret = create();
  // wx: a second process starting at the same moment keeps the first one's key.
  await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw embeddedError(e, 'save its cookie key');
  });
  return (await fs.readFile(file, 'utf8')).trim();
}
