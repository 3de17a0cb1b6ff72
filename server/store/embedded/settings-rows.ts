import type Database from 'better-sqlite3';
import { DEFAULT_HOST_SETTINGS, type HostSettings } from '../types';

/** The host's settings as one JSON row; unknown or missing fields fall back to the defaults. */
export function readSettingsRow(db: Database.Database): HostSettings {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE name = 'host'`).get();
  if (!row) return DEFAULT_HOST_SETTINGS;
  const saved = JSON.parse(row.value) as Partial<HostSettings>;
  return {
    uploadsPaused: saved.uploadsPaused === true,
    pauseMessage: typeof saved.pauseMessage === 'string' ? saved.pauseMessage : '',
    approvalRequired: saved.approvalRequired === true,
  };
}

export function writeSettingsRow(db: Database.Database, settings: HostSettings): void {
  const { uploadsPaused, pauseMessage, approvalRequired } = settings;
  const value = JSON.stringify({ uploadsPaused, pauseMessage, approvalRequired });
  db.prepare(`INSERT INTO settings (name, value) VALUES ('host', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(value);
}
