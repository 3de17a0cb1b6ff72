/**
 * Reads a laptop event (the embedded store's DATA_DIR) for `npm run migrate`, changing nothing: every
 * table is read in one read transaction (one consistent snapshot, even beside a running server), and
 * image files are streamed from media/ in pieces when asked. The records are plain data; the tool
 * hands them to the MongoDB importer.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PhotoState } from '@photobook/shared';
import { READ_PIECE_BYTES } from '../blob-body';
import type { HostSettings, PhotoRecord, VariantKind, VariantRecord } from '../types';
import { readAdminRow } from './admin-rows';
import { inspectDataDir } from './data-dir';
import type { PhotoRow, VariantRow } from './schema';
import { readSettingsRow } from './settings-rows';

export interface EventVariant extends VariantRecord {
  /** Where the bytes are, relative to DATA_DIR (media/<first two characters of the key>/<key>), for messages. */
  readonly file: string;
  /** The file in pieces of READ_PIECE_BYTES; fails (ENOENT) when the file is gone. */
  readonly body: () => AsyncIterable<Uint8Array>;
}

/** A pending archive job (lease dropped: whoever held it on the laptop is not coming along). */
export interface EventJob {
  readonly dueAt: number;
  readonly attempts: number;
  readonly lastError: string | null;
  /** When it came after its photo (a full copy attached later); null: queued with the photo. */
  readonly queuedAt: number | null;
}

export interface EventPhoto extends Omit<PhotoRecord, 'guest' | 'variants'> {
  readonly variants: readonly EventVariant[];
  readonly archiveJob: EventJob | null;
}

export interface EventSnapshot {
  /** Photos in seq order, tombstones included. */
  readonly photos: readonly EventPhoto[];
  readonly guests: readonly { readonly ownerId: string; readonly number: number }[];
  /** The highest alias number ever handed out (a recovery may have retired it since). */
  readonly guestCounter: number;
  readonly blocks: readonly { readonly ownerId: string; readonly at: number }[];
  readonly codes: readonly { readonly ownerId: string; readonly codeHash: string; readonly createdAt: number }[];
  readonly links: readonly { readonly browserKey: string; readonly ownerId: string }[];
  readonly settings: HostSettings;
  readonly adminHash: string | null;
  /** DATA_DIR/cookie-secret; null when the laptop ran with COOKIE_SECRET instead. */
  readonly cookieSecret: string | null;
  /** Not migrated (the tool says so): partial uploads and signed-in admin sessions. */
  readonly partialUploads: number;
  readonly adminSessions: number;
}

const DB = 'photobook.sqlite';
/** Tables every database the current server has opened holds (SqliteStore.open creates them). */
const TABLES = ['photos', 'variants', 'counters', 'guests', 'blocked_owners', 'recovery_codes', 'owner_links', 'jobs', 'settings', 'uploads', 'admin_sessions'];
const UPGRADE_FIRST = 'Start the current Photobook once on this DATA_DIR (npm start, then stop it) so it upgrades the database, then migrate again.';

/** Refuses a DATA_DIR without a usable database (the same checks as the server's start), then reads it all. */
export async function readEvent(dataDir: string): Promise<EventSnapshot> {
  await inspectDataDir(dataDir);
  const file = path.join(dataDir, DB);
  const size = (await fs.stat(file).catch(() => null))?.size ?? 0;
  if (size === 0) throw new Error(`DATA_DIR ${dataDir} holds no Photobook database (${DB} is missing or empty): nothing to migrate.`);
  const { db, done } = await openReadOnly(dataDir);
  try {
    const snapshot = db.transaction(() => readTables(db, dataDir))();
    return { ...snapshot, cookieSecret: await readCookieSecret(dataDir) };
  } finally {
    db.close();
    await done();
  }
}

/**
 * Read-only in place. Where SQLite cannot open a WAL database read-only (no -shm it may create or
 * write), a copy of the database and its -wal outside DATA_DIR is read instead, as inspectDataDir does.
 */
async function openReadOnly(dataDir: string): Promise<{ db: Database.Database; done: () => Promise<void> }> {
  const file = path.join(dataDir, DB);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return { db, done: async () => undefined };
  } catch {
    db?.close();
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-migrate-'));
    const copy = path.join(scratch, DB);
    await fs.copyFile(file, copy);
    await fs.copyFile(`${file}-wal`, `${copy}-wal`).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    return { db: new Database(copy, { fileMustExist: true }), done: () => fs.rm(scratch, { recursive: true, force: true }) };
  }
}

function readTables(db: Database.Database, dataDir: string): Omit<EventSnapshot, 'cookieSecret'> {
  refuseOldSchema(db, dataDir);
  const rows = <T>(sql: string) => db.prepare<[], T>(sql).all();
  const count = (table: string) => db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0;
  return {
    photos: readPhotos(db, dataDir),
    guests: rows<{ ownerId: string; number: number }>('SELECT owner_id AS ownerId, number FROM guests ORDER BY number'),
    guestCounter: db.prepare<[], { value: number }>(`SELECT value FROM counters WHERE name = 'guest'`).get()?.value ?? 0,
    blocks: rows<{ ownerId: string; at: number }>('SELECT owner_id AS ownerId, blocked_at AS at FROM blocked_owners'),
    codes: rows<{ ownerId: string; codeHash: string; createdAt: number }>(
      'SELECT owner_id AS ownerId, code_hash AS codeHash, created_at AS createdAt FROM recovery_codes',
    ),
    links: rows<{ browserKey: string; ownerId: string }>('SELECT browser_key AS browserKey, owner_id AS ownerId FROM owner_links'),
    settings: readSettingsRow(db),
    adminHash: readAdminRow(db),
    partialUploads: count('uploads'),
    adminSessions: count('admin_sessions'),
  };
}

/**
 * The server upgrades a database when it opens it (new tables, owner ids rekeyed with the cookie
 * secret, guest numbers backfilled); a read-only reader cannot, so it asks for that start first.
 */
function refuseOldSchema(db: Database.Database, dataDir: string): void {
  const present = new Set(db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`).all().map((t) => t.name));
  const missing = TABLES.filter((t) => !present.has(t));
  if (missing.length > 0) throw new Error(`DATA_DIR ${dataDir} holds a database from an older Photobook (no ${missing.join(', ')} table). ${UPGRADE_FIRST}`);
  const legacy = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM photos WHERE length(owner_id) = 22').get()?.n ?? 0;
  const unnumbered = db
    .prepare<[], { n: number }>('SELECT COUNT(DISTINCT owner_id) AS n FROM photos WHERE owner_id NOT IN (SELECT owner_id FROM guests)')
    .get()?.n ?? 0;
  if (legacy > 0 || unnumbered > 0) throw new Error(`DATA_DIR ${dataDir} holds photos from an older Photobook (owner ids or guest numbers not upgraded). ${UPGRADE_FIRST}`);
}

function readPhotos(db: Database.Database, dataDir: string): EventPhoto[] {
  const variants = new Map<string, EventVariant[]>();
  for (const v of db.prepare<[], VariantRow>('SELECT * FROM variants ORDER BY photo_id, kind').all()) {
    const list = variants.get(v.photo_id) ?? [];
    list.push(eventVariant(dataDir, v));
    variants.set(v.photo_id, list);
  }
  const jobs = new Map<string, EventJob>();
  // A database the server last opened before queued_at existed has none: every job came with its photo there.
  const queued = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('jobs')`).all().some((c) => c.name === 'queued_at');
  const jobRows = db.prepare<[], { photo_id: string; due_at: number; attempts: number; last_error: string | null; queued_at: number | null }>(
    `SELECT photo_id, due_at, attempts, last_error, ${queued ? 'queued_at' : 'NULL AS queued_at'} FROM jobs WHERE kind = 'archive'`,
  );
  for (const j of jobRows.all()) jobs.set(j.photo_id, { dueAt: j.due_at, attempts: j.attempts, lastError: j.last_error, queuedAt: j.queued_at });
  return db
    .prepare<[], PhotoRow>('SELECT * FROM photos ORDER BY seq')
    .all()
    .map((p) => {
      const own = variants.get(p.id) ?? [];
      // The photo's invariant, as on both stores: a job exactly while a source waits for its archive copy.
      const hasSource = p.state !== 'removed' && own.some((v) => v.kind === 'source');
      const job = hasSource ? (jobs.get(p.id) ?? { dueAt: p.created_at, attempts: 0, lastError: null, queuedAt: null }) : null;
      return {
        id: p.id,
        seq: p.seq,
        ownerId: p.owner_id,
        state: p.state as PhotoState,
        clientUploadId: p.client_upload_id,
        caption: p.caption,
        author: p.author,
        createdAt: p.created_at,
        variants: own,
        archiveJob: job,
      };
    });
}

/** The file's place follows BlobFiles.file: media/<first two characters of the key>/<key>. */
function eventVariant(dataDir: string, v: VariantRow): EventVariant {
  const file = path.join('media', v.key.slice(0, 2), v.key);
  const full = path.join(dataDir, file);
  return {
    kind: v.kind as VariantKind,
    key: v.key,
    contentType: v.content_type,
    width: v.width,
    height: v.height,
    bytes: v.bytes,
    file,
    body: () => createReadStream(full, { highWaterMark: READ_PIECE_BYTES }),
  };
}

async function readCookieSecret(dataDir: string): Promise<string | null> {
  try {
    return (await fs.readFile(path.join(dataDir, 'cookie-secret'), 'utf8')).trim() || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
