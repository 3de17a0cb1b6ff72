import type Database from 'better-sqlite3';

/** The admin password's hash, in the settings table beside the host's settings (never the password). */
export function readAdminRow(db: Database.Database): string | null {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE name = 'admin'`).get();
  return row?.value ?? null;
}

export function writeAdminRow(db: Database.Database, hash: string): void {
  db.prepare(`INSERT INTO settings (name, value) VALUES ('admin', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(hash);
}
