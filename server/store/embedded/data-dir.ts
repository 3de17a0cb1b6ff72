/**
 * Checks a data directory before the embedded store touches it. Images whose database did not come
 * along (a copied photos folder, the wrong DATA_DIR) must never start as an empty wall: the orphan
 * sweep would then delete every one of them. Inspecting only reads; nothing under DATA_DIR changes.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export type DataDirProblem =
  | 'missing-database'
  | 'empty-database'
  | 'not-a-database'
  | 'half-copied'
  | 'not-a-folder'
  | 'unreadable'
  | 'unwritable'
  | 'full';

/** A data directory the store refuses to open. The message is one line for the host. */
export class DataDirError extends Error {
  constructor(
    readonly kind: DataDirProblem,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DataDirError';
  }
}

const DB = 'photobook.sqlite';
const WAL = `${DB}-wal`;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Tables whose rows refer to files on disk: one row anywhere means the database owns the files. */
const OWNING_TABLES = ['photos', 'uploads', 'pending_writes'];

const RESTORE = `Nothing was changed. Restore ${DB} (with its -wal file, if any) from the same copy as media/, or set DATA_DIR to the right folder.`;

/**
 * Throws DataDirError when DATA_DIR holds images or partial uploads but no usable database, or half
 * of a copied one. A missing or empty DATA_DIR (first start) and a database with rows pass.
 * `scratchDir` receives a throwaway copy of the database, because SQLite can create -wal and -shm
 * files even on a read-only open; it must lie outside DATA_DIR (os.tmpdir() does, for any sane one).
 */
export async function inspectDataDir(dataDir: string, scratchDir: string = os.tmpdir()): Promise<void> {
  try {
    await inspect(dataDir, scratchDir);
  } catch (e) {
    throw translate(dataDir, dataDir, e, 'read');
  }
}

async function inspect(dataDir: string, scratchDir: string): Promise<void> {
  const dir = await statOrNull(dataDir);
  if (!dir) return;
  if (!dir.isDirectory()) throw notAFolder(dataDir, dataDir);
  const db = await statOrNull(path.join(dataDir, DB));
  const wal = await statOrNull(path.join(dataDir, WAL));
  if (db && !db.isFile()) throw notADatabase(dataDir);
  if (!db || db.size === 0) {
    // SQLite deletes a -wal file beside an empty database on open: that would lose the rows in it.
    if (wal) throw halfCopied(dataDir, db ? `${DB} is 0 bytes` : `${DB} is missing`);
    if (!(await holdsFiles(dataDir))) return;
    const found = await describeFiles(dataDir);
    if (!db) throw new DataDirError('missing-database', `DATA_DIR ${dataDir} holds ${found} but no database (${DB} is missing). ${RESTORE}`);
    throw new DataDirError('empty-database', `DATA_DIR ${dataDir} holds ${found} but an empty database (${DB} is 0 bytes). ${RESTORE}`);
  }
  if (!(await hasSqliteHeader(path.join(dataDir, DB)))) throw notADatabase(dataDir);
  // Without files there is nothing to lose, so a healthy first start skips copying the database.
  if (!(await holdsFiles(dataDir))) return;
  const contents = await readContents(dataDir, scratchDir);
  if (contents === 'rows') return;
  const found = await describeFiles(dataDir);
  const why = contents === 'no-photos-table' ? `${DB} has no photos table` : `${DB} has no photos, uploads or pending writes`;
  throw new DataDirError(
    'empty-database',
    `DATA_DIR ${dataDir} holds ${found} but an empty database (${why}). ${RESTORE} If the wall is meant to start empty, move media/ and uploads/ out of DATA_DIR and start again.`,
  );
}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await fs.stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function hasSqliteHeader(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(SQLITE_MAGIC);
  } finally {
    await handle.close();
  }
}

/** One file is enough to decide; the full count is only paid for when refusing (describeFiles). */
async function holdsFiles(dataDir: string): Promise<boolean> {
  return (await countFiles(path.join(dataDir, 'media'), 1)) + (await countFiles(path.join(dataDir, 'uploads'), 1)) > 0;
}

/** "1,234 image files in media/ and 2 partial uploads in uploads/". */
async function describeFiles(dataDir: string): Promise<string> {
  const images = await countFiles(path.join(dataDir, 'media'));
  const partials = await countFiles(path.join(dataDir, 'uploads'));
  const found: string[] = [];
  if (images > 0) found.push(`${plural(images, 'image file')} in media/`);
  if (partials > 0) found.push(`${plural(partials, 'partial upload')} in uploads/`);
  return found.join(' and ');
}

/** Files (anything but a folder) under `dir`, counting stops at `limit`. A missing dir holds none. */
async function countFiles(dir: string, limit = Infinity): Promise<number> {
  let handle;
  try {
    handle = await fs.opendir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let count = 0;
  for await (const entry of handle) {
    // Hidden files (.DS_Store, a crashed probe) and folders like @eaDir are not ours and prove nothing.
    if (entry.name.startsWith('.') || entry.name.startsWith('@')) continue;
    count += entry.isDirectory() ? await countFiles(path.join(dir, entry.name), limit - count) : 1;
    if (count >= limit) break;
  }
  return count;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** Queries a copy of the database (and its -wal, so rows not yet checkpointed count) outside DATA_DIR. */
async function readContents(dataDir: string, scratchDir: string): Promise<'rows' | 'empty' | 'no-photos-table'> {
  let scratch: string;
  try {
    scratch = await fs.mkdtemp(path.join(scratchDir, 'photobook-inspect-'));
  } catch {
    // No usable temp folder (a read-only container root, a full /tmp): a healthy wall must still
    // start, so read the database itself, read-only. SQLite may then leave -shm/-wal files beside it.
    return queryContents(dataDir, path.join(dataDir, DB), true);
  }
  try {
    const copy = path.join(scratch, DB);
    await fs.copyFile(path.join(dataDir, DB), copy);
    try {
      await fs.copyFile(path.join(dataDir, WAL), `${copy}-wal`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return queryContents(dataDir, copy);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

function queryContents(dataDir: string, copy: string, readonly = false): 'rows' | 'empty' | 'no-photos-table' {
  let db: Database.Database | undefined;
  try {
    db = new Database(copy, { fileMustExist: true, readonly });
    const tables = db
      .prepare<string[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?)`)
      .all(...OWNING_TABLES)
      .map((t) => t.name);
    if (!tables.includes('photos')) return 'no-photos-table';
    const hasRow = (table: string) => db!.prepare<[], { found: number }>(`SELECT EXISTS (SELECT 1 FROM "${table}") AS found`).get()?.found === 1;
    return tables.some(hasRow) ? 'rows' : 'empty';
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new DataDirError('not-a-database', `DATA_DIR ${dataDir} holds a ${DB} that SQLite cannot read (${(e as Error).message}). ${RESTORE}`, { cause: e });
    }
    throw e;
  } finally {
    db?.close();
  }
}

/**
 * Creates DATA_DIR, media/ and uploads/ if needed and proves each can be written (a probe file is
 * created and removed), and that the database files present open for writing. Throws DataDirError
 * naming the path and the access needed. Runs after inspectDataDir, so it only writes to a folder
 * that passed.
 */
export async function checkWritable(dataDir: string): Promise<void> {
  for (const dir of [dataDir, path.join(dataDir, 'media'), path.join(dataDir, 'uploads')]) {
    try {
      await makeFolder(dir);
      await probeFolder(dir);
    } catch (e) {
      throw translate(dataDir, dir, e, 'write');
    }
  }
  for (const name of [DB, WAL, `${DB}-shm`]) {
    const file = path.join(dataDir, name);
    try {
      await (await fs.open(file, 'r+')).close();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw translate(dataDir, file, e, 'write');
    }
  }
}

/** mkdir -p that reports the real error: Node's recursive mkdir turns EROFS on a missing folder into ENOENT. */
async function makeFolder(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && path.dirname(dir) !== dir) {
      await makeFolder(path.dirname(dir));
      return makeFolder(dir);
    }
    if (code === 'EEXIST' && (await fs.stat(dir)).isDirectory()) return;
    throw e;
  }
}

async function probeFolder(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await fs.open(probe, 'wx');
    try {
      await handle.write(Buffer.from('probe\n'));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } finally {
    await fs.rm(probe, { force: true });
  }
}

const DENIED: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
};

/** A file-system error as a one-line DataDirError; anything unexpected is returned unchanged. */
function translate(dataDir: string, target: string, e: unknown, doing: 'read' | 'write'): unknown {
  if (e instanceof DataDirError) return e;
  const { code, syscall, path: failed } = e as NodeJS.ErrnoException;
  // Creating a folder needs access to its parent; a probe file's own name would only confuse.
  const where = syscall === 'mkdir' && failed ? path.dirname(failed) : doing === 'write' ? target : (failed ?? target);
  const reason = code === undefined ? undefined : DENIED[code];
  if (reason) {
    const able = doing === 'write' ? 'writable' : 'readable';
    return new DataDirError(
      doing === 'write' ? 'unwritable' : 'unreadable',
      `DATA_DIR ${dataDir} is not ${able} (${reason}): Photobook needs read and write access to ${where} for ${whoAmI()}. Make it ${doing === 'write' ? 'writable' : 'readable and writable'} or set DATA_DIR to a folder that is.`,
      { cause: e },
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DataDirError(
      'full',
      `DATA_DIR ${dataDir} is full (${code === 'ENOSPC' ? 'no space left on device' : 'disk quota exceeded'}): Photobook needs to write to ${where} for ${whoAmI()}. Free some space or set DATA_DIR to a folder on a disk with room.`,
      { cause: e },
    );
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') return notAFolder(dataDir, failed ?? target, e);
  return e;
}

function notAFolder(dataDir: string, where: string, cause?: unknown): DataDirError {
  return new DataDirError(
    'not-a-folder',
    `DATA_DIR ${dataDir} is not usable: ${where} (or a folder above it) is a file, not a folder. Move that file away or set DATA_DIR to a folder.`,
    { cause },
  );
}

function notADatabase(dataDir: string): DataDirError {
  return new DataDirError('not-a-database', `DATA_DIR ${dataDir} holds a ${DB} that is not a SQLite database. ${RESTORE}`);
}

function halfCopied(dataDir: string, what: string): DataDirError {
  return new DataDirError(
    'half-copied',
    `DATA_DIR ${dataDir} holds ${WAL} but ${what}: a half-copied database. Nothing was changed. Copy ${DB} from the same place as its -wal file, or set DATA_DIR to the right folder.`,
  );
}

function whoAmI(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return 'the user running Photobook';
  try {
    return `user ${os.userInfo().username} (uid ${uid})`;
  } catch {
    return `uid ${uid}`; // a container user without a passwd entry
  }
}
