import type Database from 'better-sqlite3';
import { DEFAULT_HOST_SETTINGS, type HostSettings } from '../types';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The host's settings as one JSON row; unknown or missing fields fall back to the defaults. */
export function readSettingsRow(db: Database.Database): HostSettings {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE name = 'host'`).get();
  const parsed: unknown = row ? JSON.parse(row.value) : {};
  const saved: Partial<Record<keyof HostSettings, unknown>> = isRecord(parsed) ? parsed : {};
  return {
    uploadsPaused: saved.uploadsPaused === true,
    pauseMessage: typeof saved.pauseMessage === 'string' ? saved.pauseMessage : DEFAULT_HOST_SETTINGS.pauseMessage,
    approvalRequired: saved.approvalRequired === true,
    // A fresh object each time: callers get their own copy, never the shared default.
    event: isRecord(saved.event) ? saved.event : {},
  };
}

export function writeSettingsRow(db: Database.Database, settings: HostSettings): void {
  const { uploadsPaused, pauseMessage, approvalRequired, event } = settings;
  const value = JSON.stringify({ uploadsPaused, pauseMessage, approvalRequired, event: isRecord(event) ? event : {} });
  db.prepare(`INSERT INTO settings (name, value) VALUES ('host', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(value);
}
