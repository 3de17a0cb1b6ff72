import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWritable, DataDirError, inspectDataDir } from '../../server/store/embedded/data-dir';
import { SqliteStore } from '../../server/store/embedded/sqlite-store';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD_TIMEOUT_MS = 20_000;
const SPEC_TIMEOUT_MS = 30_000;
const EX_CONFIG = 78;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** It printed "Photobook is running" (and was then stopped). */
  readonly started: boolean;
}

/** Runs the real server on dataDir until it exits; once it says it is running, stops it. */
function runServer(dataDir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', STATIC_DIR: '/nonexistent' };
  delete env['COOKIE_SECRET']; // so a start that got past the store would write cookie-secret
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server neither exited nor started within ${CHILD_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, CHILD_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!started && stdout.includes('Photobook is running')) {
        started = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, started });
    });
  });
}

/** Every path under root with its mode, size, mtime (ns) and sha256: equal snapshots, unchanged tree. */
async function snapshot(root: string): Promise<string[]> {
  const lines: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    const full = path.join(root, rel);
    const stat = await fs.lstat(full, { bigint: true });
    const sha = stat.isFile() ? createHash('sha256').update(await fs.readFile(full)).digest('hex') : '-';
    lines.push(`${rel || '.'} mode=${stat.mode.toString(8)} size=${stat.size} mtime=${stat.mtimeNs} sha256=${sha}`);
    if (stat.isDirectory()) for (const name of (await fs.readdir(full)).sort()) await visit(path.join(rel, name));
  };
  await visit('');
  return lines;
}

/** Three image blobs laid out like the store does, and one partial upload. */
async function addGuestFiles(dataDir: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const data = randomBytes(64);
    const key = createHash('sha256').update(data).digest('hex');
    await fs.mkdir(path.join(dataDir, 'media', key.slice(0, 2)), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'media', key.slice(0, 2), `${key}.webp`), data);
  }
  await fs.mkdir(path.join(dataDir, 'uploads'), { recursive: true });
  await fs.writeFile(path.join(dataDir, 'uploads', 'upload000001.part'), randomBytes(100));
}

const GUEST_FILES = '3 image files in media/ and 1 partial upload in uploads/';

async function copyIfPresent(from: string, to: string): Promise<void> {
  await fs.copyFile(from, to).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** Copies the database of a store that is still open: a crash-consistent copy, rows still in the -wal. */
async function copyLiveDatabase(work: string, dest: string): Promise<void> {
  const live = path.join(work, 'live');
  const store = await SqliteStore.open(live);
  try {
    await store.beginUpload({
      id: 'upload000001',
      ownerId: 'owner-1',
      addressKey: null,
      clientUploadId: 'client-1',
      name: 'party.jpg',
      size: 100,
      type: 'image/jpeg',
      caption: '',
      author: '',
      createdAt: Date.now(),
    });
    await fs.mkdir(dest, { recursive: true });
    await fs.copyFile(path.join(live, 'photobook.sqlite'), path.join(dest, 'photobook.sqlite'));
    await fs.copyFile(path.join(live, 'photobook.sqlite-wal'), path.join(dest, 'photobook.sqlite-wal'));
  } finally {
    await store.close();
  }
}

async function expectDataDirError(work: Promise<unknown>, kind: DataDirError['kind']): Promise<DataDirError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataDirError);
  expect((error as DataDirError).kind).toBe(kind);
  return error as DataDirError;
}

let work: string;
const mounts: string[] = [];

/** dataDir as a read-only folder: a read-only bind mount as root, mode 0555 otherwise; null if impossible. */
async function readOnly(dataDir: string): Promise<string | null> {
  if (process.getuid?.() !== 0) {
    await fs.chmod(dataDir, 0o555);
    return dataDir;
  }
  const mount = path.join(work, 'read-only');
  await fs.mkdir(mount);
  try {
    execFileSync('mount', ['--bind', dataDir, mount], { stdio: 'ignore' });
    mounts.push(mount);
    execFileSync('mount', ['-o', 'remount,ro,bind', mount], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return mount;
}

describe('the DATA_DIR check before the embedded store opens', () => {
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-datadir-'));
  });

  afterEach(async () => {
    for (const mount of mounts.splice(0)) {
      try {
        execFileSync('umount', [mount], { stdio: 'ignore' });
      } catch {
        // Already gone, or the spec failed before mounting; rm below reports anything left.
      }
    }
    await fs.chmod(path.join(work, 'data'), 0o755).catch(() => undefined);
    await fs.rm(work, { recursive: true, force: true });
  });

  describe('starting the server on a DATA_DIR (nothing a guest sent is ever lost)', () => {
    async function expectRefused(dataDir: string, ...mentions: string[]): Promise<void> {
      const before = await snapshot(dataDir);
      const run = await runServer(dataDir);
      expect(run.code).toBe(EX_CONFIG);
      expect(run.started).toBe(false);
      const lines = run.stderr.split('\n').filter((line) => line.length > 0);
      expect(lines.length).withContext(run.stderr).toBe(1);
      for (const mention of mentions) expect(lines[0]).toContain(mention);
      expect(await snapshot(dataDir)).toEqual(before);
      await expectAsync(fs.stat(path.join(dataDir, 'cookie-secret'))).toBeRejected();
    }

    it('refuses images without photobook.sqlite, exits 78 with one line, and changes no file', async () => {
      const data = path.join(work, 'data');
      await addGuestFiles(data);
      await expectRefused(data, GUEST_FILES, 'photobook.sqlite is missing', 'Nothing was changed');
    }, SPEC_TIMEOUT_MS);

    it('refuses images beside a 0-byte photobook.sqlite and changes no file', async () => {
      const data = path.join(work, 'data');
      await addGuestFiles(data);
      await fs.writeFile(path.join(data, 'photobook.sqlite'), '');
      await expectRefused(data, GUEST_FILES, 'photobook.sqlite is 0 bytes');
    }, SPEC_TIMEOUT_MS);

    it('refuses images beside a database with the schema but no rows and changes no file', async () => {
      const fresh = path.join(work, 'fresh');
      await (await SqliteStore.open(fresh)).close();
      const data = path.join(work, 'data');
      await addGuestFiles(data);
      await fs.copyFile(path.join(fresh, 'photobook.sqlite'), path.join(data, 'photobook.sqlite'));
      await copyIfPresent(path.join(fresh, 'photobook.sqlite-wal'), path.join(data, 'photobook.sqlite-wal'));
      await expectRefused(data, GUEST_FILES, 'photobook.sqlite has no photos, uploads or pending writes');
    }, SPEC_TIMEOUT_MS);

    it('refuses a photobook.sqlite-wal without its photobook.sqlite and changes no file', async () => {
      const data = path.join(work, 'data');
      await addGuestFiles(data);
      await fs.writeFile(path.join(data, 'photobook.sqlite-wal'), randomBytes(4096));
      await expectRefused(data, 'photobook.sqlite-wal', 'photobook.sqlite is missing', 'half-copied');
    }, SPEC_TIMEOUT_MS);

    it('refuses a read-only DATA_DIR with one line naming the path and the write access it needs', async () => {
      const data = path.join(work, 'data');
      await copyLiveDatabase(work, data);
      await addGuestFiles(data);
      const dataDir = await readOnly(data);
      if (!dataDir) return pending('this machine does not allow a read-only bind mount');
      const before = await snapshot(dataDir);
      const run = await runServer(dataDir);
      expect(run.code).toBe(EX_CONFIG);
      expect(run.stderr.trimEnd().split('\n')).toEqual([jasmine.stringContaining(`DATA_DIR ${dataDir} is not writable`)]);
      expect(run.stderr).toContain(`read and write access to ${dataDir} for `);
      expect(await snapshot(dataDir)).toEqual(before);
    }, SPEC_TIMEOUT_MS);

    it('starts on a fresh, empty DATA_DIR', async () => {
      const data = path.join(work, 'data');
      await fs.mkdir(data);
      const run = await runServer(data);
      expect(run.started).withContext(run.stderr).toBe(true);
      // SIGTERM can land before main.ts installs its handler, right after the banner: both stop cleanly.
      expect(run.code === 0 || run.signal === 'SIGTERM').withContext(`code ${run.code}, signal ${run.signal}`).toBe(true);
      await expectAsync(fs.stat(path.join(data, 'photobook.sqlite'))).toBeResolved();
    }, SPEC_TIMEOUT_MS);
  });

  describe('inspectDataDir', () => {
    it('passes a DATA_DIR that does not exist yet, or is empty, and creates nothing', async () => {
      await inspectDataDir(path.join(work, 'not-yet'));
      await expectAsync(fs.stat(path.join(work, 'not-yet'))).toBeRejected();
      await fs.mkdir(path.join(work, 'empty'));
      await inspectDataDir(path.join(work, 'empty'));
      expect(await fs.readdir(path.join(work, 'empty'))).toEqual([]);
    });

    it('passes a new DATA_DIR whose media/ holds only hidden files a file browser left (.DS_Store, @eaDir)', async () => {
      const dir = path.join(work, 'browsed');
      await fs.mkdir(path.join(dir, 'media', '@eaDir'), { recursive: true });
      await fs.writeFile(path.join(dir, 'media', '.DS_Store'), 'finder');
      await fs.writeFile(path.join(dir, 'media', '@eaDir', 'thumb'), 'synology');
      await expectAsync(inspectDataDir(dir)).toBeResolved();
    });

    it('reads rows that are only in the -wal file, creating no -shm and changing no file', async () => {
      const data = path.join(work, 'data');
      await copyLiveDatabase(work, data);
      await addGuestFiles(data);
      expect((await fs.stat(path.join(data, 'photobook.sqlite-wal'))).size).toBeGreaterThan(0);
      const before = await snapshot(data);
      await inspectDataDir(data);
      expect(await snapshot(data)).toEqual(before);
    });

    it('refuses that same database without its -wal file, which held its rows', async () => {
      const data = path.join(work, 'data');
      await copyLiveDatabase(work, data);
      await addGuestFiles(data);
      await fs.rm(path.join(data, 'photobook.sqlite-wal'));
      const error = await expectDataDirError(inspectDataDir(data), 'empty-database');
      expect(error.message).toContain(GUEST_FILES);
    });

    it('refuses a photobook.sqlite that is not a SQLite database, even with no images', async () => {
      const data = path.join(work, 'data');
      await fs.mkdir(data);
      await fs.writeFile(path.join(data, 'photobook.sqlite'), 'these are not the photos you are looking for');
      await expectDataDirError(inspectDataDir(data), 'not-a-database');
    });

    it('refuses a 0-byte photobook.sqlite beside a -wal file, because opening it would delete the -wal', async () => {
      const data = path.join(work, 'data');
      await fs.mkdir(data);
      await fs.writeFile(path.join(data, 'photobook.sqlite'), '');
      await fs.writeFile(path.join(data, 'photobook.sqlite-wal'), randomBytes(4096));
      const error = await expectDataDirError(inspectDataDir(data), 'half-copied');
      expect(error.message).toContain('photobook.sqlite is 0 bytes');
    });

    it('counts thousands with separators and partial uploads alone as files a database must own', async () => {
      const data = path.join(work, 'data');
      await fs.mkdir(path.join(data, 'uploads'), { recursive: true });
      for (let i = 0; i < 1234; i++) await fs.writeFile(path.join(data, 'uploads', `u${i}.part`), '');
      const error = await expectDataDirError(inspectDataDir(data), 'missing-database');
      expect(error.message).toContain(`DATA_DIR ${data} holds 1,234 partial uploads in uploads/ but no database`);
    });
  });

  describe('checkWritable', () => {
    it('creates DATA_DIR, media/ and uploads/ and leaves no probe file behind', async () => {
      const data = path.join(work, 'data');
      await checkWritable(data);
      expect((await fs.readdir(data)).sort()).toEqual(['media', 'uploads']);
      expect(await fs.readdir(path.join(data, 'media'))).toEqual([]);
      expect(await fs.readdir(path.join(data, 'uploads'))).toEqual([]);
    });

    it('names a file that stands where media/ should be', async () => {
      const data = path.join(work, 'data');
      await fs.mkdir(data);
      await fs.writeFile(path.join(data, 'media'), '');
      const error = await expectDataDirError(checkWritable(data), 'not-a-folder');
      expect(error.message).toContain(`${path.join(data, 'media')} (or a folder above it) is a file`);
    });
  });
});
