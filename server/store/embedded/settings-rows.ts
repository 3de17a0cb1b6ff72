import type Database from 'better-sqlite3';
import { DEFAULT_HOST_SETTINGS, SETTINGS_PATH, type HostSettings, type SettingsPatch } from '../types';

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

/** Sets `value` at a SETTINGS_PATH inside `event` (a group that is not an object becomes one). */
function setPath(event: Record<string, unknown>, path: string, value: unknown): void {
  const [group, field] = path.split('.') as [string, string | undefined];
  if (field === undefined) {
    event[group] = value;
    return;
  }
  const inner = isRecord(event[group]) ? { ...event[group] } : {};
  inner[field] = value;
  event[group] = inner;
}

/** Read, patch and write in one transaction: SQLite's single writer makes it one step. */
export function updateSettingsRow(db: Database.Database, patch: SettingsPatch): HostSettings {
  return db.transaction(() => {
    const current = readSettingsRow(db);
    const event = { ...current.event };
    for (const [path, value] of Object.entries(patch.event ?? {})) {
      if (!SETTINGS_PATH.test(path)) throw new Error(`not a settings path: ${path.slice(0, 40)}`);
      setPath(event, path, value);
    }
    const next: HostSettings = {
      uploadsPaused: patch.uploadsPaused ?? current.uploadsPaused,
      pauseMessage: patch.pauseMessage ?? current.pauseMessage,
      approvalRequired: patch.approvalRequired ?? current.approvalRequired,
      event,
    };
    db.prepare(`INSERT INTO settings (name, value) VALUES ('host', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(
      JSON.stringify(next),
    );
    return next;
  })();
}
