import type { UploadRecord } from '../types';
import type { PartStat } from './part-files';

/** SQLite schema of the embedded store. Statements are idempotent so opening an existing file is safe. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS photos (
  id               TEXT PRIMARY KEY,
  seq              INTEGER NOT NULL UNIQUE,
  owner_id         TEXT NOT NULL,
  client_upload_id TEXT NOT NULL,
  caption          TEXT NOT NULL,
  author           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  state            TEXT NOT NULL DEFAULT 'visible',
  UNIQUE (owner_id, client_upload_id)
);
CREATE TABLE IF NOT EXISTS variants (
  photo_id     TEXT NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  key          TEXT NOT NULL,
  content_type TEXT NOT NULL,
  width        INTEGER NOT NULL,
  height       INTEGER NOT NULL,
  bytes        INTEGER NOT NULL,
  PRIMARY KEY (photo_id, kind)
);
CREATE INDEX IF NOT EXISTS variants_by_key ON variants(key);
CREATE INDEX IF NOT EXISTS photos_by_owner ON photos(owner_id, seq);
-- The wall: its newest photos and its count, at any store size.
CREATE INDEX IF NOT EXISTS photos_by_state ON photos(state, seq);
-- The host's grid: newest upload first, paged by (created_at, id).
CREATE INDEX IF NOT EXISTS photos_by_created ON photos(created_at, id);
CREATE TABLE IF NOT EXISTS uploads (
  id               TEXT PRIMARY KEY,
  owner_id         TEXT NOT NULL,
  client_upload_id TEXT NOT NULL,
  name             TEXT NOT NULL,
  size             INTEGER NOT NULL,
  type             TEXT NOT NULL,
  caption          TEXT NOT NULL,
  author           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  -- Activity the guest showed without sending bytes (a resumed begin or a commit waiting for room).
  touched_at       INTEGER NOT NULL DEFAULT 0,
  -- A keyed hash of the client's network address, for the per-address cap; NULL when unknown.
  address_key      TEXT,
  UNIQUE (owner_id, client_upload_id)
);
CREATE INDEX IF NOT EXISTS uploads_by_owner ON uploads(owner_id);
-- Write intents: a blob's key is recorded before its file is written and removed once a photo
-- refers to it, so the sweep deletes only files it can prove were left by an unfinished photo.
CREATE TABLE IF NOT EXISTS pending_writes (
  key        TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL
);
-- Recovery: one code per owner (a keyed hash of it), and browsers that recovered an owner with it.
CREATE TABLE IF NOT EXISTS recovery_codes (
  owner_id   TEXT PRIMARY KEY,
  code_hash  TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS owner_links (
  browser_key TEXT PRIMARY KEY,
  owner_id    TEXT NOT NULL
);
-- Durable jobs (the archive copy): claimed with a lease so a crashed worker's job is taken over.
CREATE TABLE IF NOT EXISTS jobs (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  photo_id    TEXT NOT NULL,
  due_at      INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  -- When a job came after its photo (a full copy attached later); NULL: queued with the photo.
  queued_at   INTEGER,
  UNIQUE (kind, photo_id)
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs(kind, due_at);
-- Photo books (the host's printed PDF), each made by a job (kind 'book', the book's id as subject).
-- options: the host's request as JSON. file_key: the PDF under media/ once ready.
CREATE TABLE IF NOT EXISTS books (
  id          TEXT PRIMARY KEY,
  options     TEXT NOT NULL,
  state       TEXT NOT NULL,
  placed      INTEGER NOT NULL DEFAULT 0,
  total       INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  finished_at INTEGER,
  error       TEXT,
  file_key    TEXT,
  bytes       INTEGER
);
-- One book queued or being made at a time, whoever asks: a second one breaks this index.
CREATE UNIQUE INDEX IF NOT EXISTS one_book_in_the_making ON books((state IN ('queued', 'making'))) WHERE state IN ('queued', 'making');
CREATE INDEX IF NOT EXISTS books_by_file ON books(file_key);
CREATE TABLE IF NOT EXISTS blocked_owners (
  owner_id   TEXT PRIMARY KEY,
  blocked_at INTEGER NOT NULL
);
-- The host's alias for each guest (Guest 1, 2, ...): handed out with the owner's first photo.
CREATE TABLE IF NOT EXISTS guests (
  owner_id TEXT PRIMARY KEY,
  number   INTEGER NOT NULL UNIQUE
);
-- Signed-in admin consoles (the id is a hash of the cookie's token), so every replica sees them.
CREATE TABLE IF NOT EXISTS admin_sessions (
  id         TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_sessions_by_expiry ON admin_sessions(expires_at);
CREATE TABLE IF NOT EXISTS settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** Columns added after a table was first shipped: added to older databases at open. */
export const UPGRADES: readonly { readonly table: string; readonly column: string; readonly definition: string }[] = [
  { table: 'uploads', column: 'touched_at', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'uploads', column: 'address_key', definition: 'TEXT' },
  { table: 'jobs', column: 'queued_at', definition: 'INTEGER' },
];

export interface PhotoRow {
  id: string;
  seq: number;
  owner_id: string;
  state: string;
  client_upload_id: string;
  caption: string;
  author: string;
  created_at: number;
}

export interface VariantRow {
  photo_id: string;
  kind: string;
  key: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
}

export interface UploadRow {
  id: string;
  owner_id: string;
  client_upload_id: string;
  name: string;
  size: number;
  type: string;
  caption: string;
  author: string;
  created_at: number;
  touched_at: number;
  address_key: string | null;
}

/**
 * An upload's record: its row, and how far its part file got. Activity is the latest of its start,
 * a touch, and its last durable append (the part file's modification time).
 */
export function uploadRecord(row: UploadRow, part: PartStat | null): UploadRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    addressKey: row.address_key ?? null,
    clientUploadId: row.client_upload_id,
    name: row.name,
    size: row.size,
    type: row.type,
    caption: row.caption,
    author: row.author,
    received: part?.size ?? 0,
    createdAt: row.created_at,
    updatedAt: Math.max(row.created_at, row.touched_at, Math.floor(part?.mtimeMs ?? 0)),
  };
}
