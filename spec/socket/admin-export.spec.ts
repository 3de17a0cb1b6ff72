/**
 * The host's ZIP export (ADMIN_EXPORT_PATH) and the console's images (ADMIN_MEDIA_PATH): admin only,
 * streamed with backpressure, the archive copy and never the source, and manifests a spreadsheet
 * cannot be tricked by.
 */
import { embeddedOnly } from '../fixtures/spec-store';
import { collect } from '../../server/store/blob-body';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import yauzl from 'yauzl';
import { ADMIN_EXPORT_PATH, ADMIN_MEDIA_PATH } from '@photobook/shared';
import { rssOf, sampleRss } from '../../bench/lib/rss';
import { startServerProcess } from '../../bench/lib/processes';
import { prepareAdminPassword } from '../../server/admin/admin-password';
import type { Logger } from '../../server/errors';
import { AdminCookie } from '../../server/http/admin-cookie';
import { DEFAULT_EMBEDDED_OPTIONS, SqliteStore } from '../../server/store/embedded/sqlite-store';
import type { PhotoRecord, Store } from '../../server/store/types';
import { signInAsAdmin } from '../fixtures/admin';
import { memoryBlob } from '../fixtures/blobs';
import { guestCookie, startTestServer, type TestServer } from '../fixtures/server';

const PASSWORD = 'correct-horse-battery-staple';
const MB = 1024 * 1024;
/** 2026-06-14 21:15 UTC, then one photo a minute. */
const PARTY = Date.UTC(2026, 5, 14, 21, 15);

const CAPTIONS = [
  'Cake, candles, and cousins',
  'She said "yes" (finally)',
  'First line\nsecond line\r\nthird',
  'Dance floor 💃🕺 at midnight',
  '=HYPERLINK("http://evil.example","click me")',
  '+1 for the band',
  '-the end-',
  '@everyone look up',
  '\tindented',
  '',
];
const AUTHORS = ['Anna', 'Zoë & Ben', '', '李雷', "O'Brien-Smith"];

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
/** Random bytes behind a JPEG start marker: the store does not decode what it keeps. */
const fakeJpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(bytes - 3)]);

interface Seeded {
  readonly record: PhotoRecord;
  /** What the export must hold for it: the original's bytes, or the display's while there is none. */
  readonly exported: Buffer;
  /** The upload as sent, while the archive job has not replaced it: never exported. */
  readonly source: Buffer | null;
}

async function addPhoto(
  store: Store,
  i: number,
  options: { originalBytes?: number; source?: boolean; state?: 'visible' | 'pending' | 'hidden' } = {},
): Promise<Seeded> {
  const display = randomBytes(600);
  const original = options.originalBytes ? fakeJpeg(options.originalBytes) : null;
  const source = options.source ? fakeJpeg(5000) : null;
  const record = await store.createPhoto({
    id: `photo-${i}-${randomBytes(4).toString('hex')}`,
    state: options.state === 'pending' ? 'pending' : 'visible',
    ownerId: `owner-${i % 7}`,
    clientUploadId: `export-${i}`,
    caption: `${CAPTIONS[i % CAPTIONS.length]} #${i}`,
    author: AUTHORS[i % AUTHORS.length]!,
    createdAt: PARTY + i * 60_000,
    blobs: [
      memoryBlob('display', display, 1600, 1200),
      memoryBlob('thumb', randomBytes(200), 400, 300),
      ...(original ? [memoryBlob('original', original, 4032, 3024)] : []),
      ...(source ? [memoryBlob('source', source, 4032, 3024)] : []),
    ],
  });
  const seeded = { record, exported: original ?? display, source };
  if (options.state !== 'hidden') return seeded;
  return { ...seeded, record: (await store.updatePhoto(record.id, { kind: 'host' }, { state: 'hidden' }))! };
}

interface ZipEntry {
  readonly name: string;
  /** 0: STORE, 8: deflate. */
  readonly method: number;
  readonly sha256: string;
  /** The bytes, for the entries asked for (the manifests); null for the rest. */
  readonly data: Buffer | null;
}

async function readEntries(zip: yauzl.ZipFile, keep: (name: string) => boolean = () => true): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  for await (const entry of zip.eachEntry()) {
    const bytes = Buffer.concat((await (await zip.openReadStreamPromise(entry)).toArray()) as Buffer[]);
    const name = entry.fileName;
    entries.push({ name, method: entry.compressionMethod, sha256: sha256(bytes), data: keep(name) ? bytes : null });
  }
  return entries;
}

const textOf = (entry: ZipEntry | undefined) => entry!.data!.toString('utf8');

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && !(c === '\r' && text[i + 1] === '\n'))) {
      cell += c;
    } else {
      row.push(cell);
      cell = '';
      if (c === '\r') {
        rows.push(row);
        row = [];
        i++;
      }
    }
  }
  return rows;
}

const recording = (errors: string[]): Logger => ({ info() {}, warn() {}, error: (m) => errors.push(m) });

function get(server: TestServer, route: string, cookie?: string): Promise<Response> {
  return fetch(server.url + route, cookie ? { headers: { cookie } } : {});
}

describe('The host export and admin media', () => {
  describe('on a server with 200 visible photos, one pending and one hidden', () => {
    let server: TestServer;
    let cookie: string;
    let visible: Seeded[];
    let pending: Seeded;
    let hidden: Seeded;
    let response: Response;
    let entries: ZipEntry[];

    beforeAll(async () => {
      server = await startTestServer({ adminPassword: PASSWORD });
      // The last ten still have their source (GPS and all): no archive job runs here to replace it.
      await server.app.archive.stop();
      visible = [];
      for (let i = 0; i < 200; i++) visible.push(await addPhoto(server.store, i, i < 190 ? { originalBytes: 2000 + i * 10 } : { source: true }));
      pending = await addPhoto(server.store, 200, { originalBytes: 3000, state: 'pending' });
      hidden = await addPhoto(server.store, 201, { originalBytes: 3000, state: 'hidden' });
      cookie = await signInAsAdmin(server.url, PASSWORD);
      response = await get(server, ADMIN_EXPORT_PATH, cookie);
      const zip = await yauzl.fromBufferPromise(Buffer.from(await response.arrayBuffer()), { lazyEntries: true });
      entries = await readEntries(zip);
    }, 60_000);
    afterAll(async () => server.close());

    it('sends the ZIP as a download that no cache keeps, named after the day', () => {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="photobook-\d{4}-\d{2}-\d{2}\.zip"$/);
    });

    it("holds every visible photo's archive copy byte for byte (the display image where none exists yet), stored uncompressed", () => {
      const photos = entries.slice(0, -2);
      expect(photos.length).toBe(200);
      expect(new Set(photos.map((e) => e.name)).size).toBe(200);
      photos.forEach((entry, i) => {
        expect(entry.name).toMatch(/^photos\/\d{4}-\d{4}-\d{2}-\d{2}_\d{4}(-[a-z0-9-]+)?\.(jpg|webp)$/);
        expect(entry.method).withContext(entry.name).toBe(0);
        expect(entry.sha256).withContext(entry.name).toBe(sha256(visible[i]!.exported));
      });
      expect(photos[0]!.name).toBe('photos/0001-2026-06-14_2115-anna.jpg');
      expect(photos[1]!.name).toBe('photos/0002-2026-06-14_2116-zoe-ben.jpg');
      expect(photos[2]!.name).toBe('photos/0003-2026-06-14_2117.jpg');
      expect(photos[199]!.name).toBe('photos/0200-2026-06-15_0034-o-brien-smith.webp');
    });

    it('leaves out pending and hidden photos, and never holds a source', () => {
      const hashes = new Set(entries.map((e) => e.sha256));
      const sources = visible.flatMap((v) => (v.source ? [v.source] : []));
      expect(sources.length).toBe(10);
      for (const source of sources) expect(hashes.has(sha256(source))).toBeFalse();
      expect(hashes.has(sha256(pending.exported))).toBeFalse();
      expect(hashes.has(sha256(hidden.exported))).toBeFalse();
      const json = JSON.parse(textOf(entries.at(-1))) as Array<{ id: string }>;
      expect(json.map((r) => r.id)).not.toContain(pending.record.id);
      expect(json.map((r) => r.id)).not.toContain(hidden.record.id);
    });

    it('ends with manifest.json listing every photo as given: id, file, caption, name, time, copy and size', () => {
      const [csv, json] = entries.slice(-2);
      expect([csv!.name, json!.name]).toEqual(['manifest.csv', 'manifest.json']);
      expect(json!.method).withContext('deflated').toBe(8);
      const rows = JSON.parse(textOf(json)) as unknown[];
      expect(rows).toEqual(
        visible.map(({ record }, i) => ({
          id: record.id,
          file: entries[i]!.name,
          caption: record.caption,
          name: record.author,
          time: new Date(record.createdAt).toISOString(),
          copy: i < 190 ? 'original' : 'display',
          width: i < 190 ? 4032 : 1600,
          height: i < 190 ? 3024 : 1200,
        })),
      );
    });

    it('ends with manifest.csv (RFC 4180, UTF-8 with a BOM) whose cells cannot start a spreadsheet formula', () => {
      const csv = entries.at(-2)!;
      expect(csv.method).withContext('deflated').toBe(8);
      const text = textOf(csv);
      expect(text.startsWith('\uFEFFfile,caption,name,time,copy,width,height\r\n')).toBeTrue();
      const [header, ...rows] = parseCsv(text.slice(1));
      expect(header).toEqual(['file', 'caption', 'name', 'time', 'copy', 'width', 'height']);
      expect(rows.length).toBe(200);
      rows.forEach((row, i) => {
        const { record } = visible[i]!;
        const guarded = /^[=+\-@\t\r]/.test(record.caption) ? `'${record.caption}` : record.caption;
        expect(row).toEqual([entries[i]!.name, guarded, record.author, new Date(record.createdAt).toISOString(), i < 190 ? 'original' : 'display', i < 190 ? '4032' : '1600', i < 190 ? '3024' : '1200']);
      });
      expect(rows.map((r) => r[1]![0])).not.toContain('=');
      expect(rows.some((r) => r[1]!.startsWith(`'=HYPERLINK("http://evil.example","click me")`))).toBeTrue();
      expect(rows.some((r) => r[1]!.startsWith('Dance floor 💃🕺 at midnight'))).toBeTrue();
      expect(rows.some((r) => r[1]!.startsWith('First line\nsecond line\r\nthird'))).toBeTrue();
    });

    const strangers: Record<string, () => Promise<string | undefined>> = {
      'no cookie at all': async () => undefined,
      "a guest's owner cookie": async () => guestCookie().cookie,
      'a pb_admin cookie for a real session signed with another secret': async () => {
        const [id, expiresAt] = cookie.slice('pb_admin='.length).split('.');
        return new AdminCookie('not-the-server-secret-not-the-server', false).issue(id!, Number(expiresAt), Date.now()).split(';')[0];
      },
    };
    for (const [who, credential] of Object.entries(strangers)) {
      it(`refuses ${who} with 401 UNAUTHORIZED on the export and on admin media`, async () => {
        const stranger = await credential();
        const thumb = visible[0]!.record.variants.find((v) => v.kind === 'thumb')!.key;
        for (const route of [ADMIN_EXPORT_PATH, `${ADMIN_MEDIA_PATH}/${thumb}`]) {
          const res = await get(server, route, stranger);
          expect(res.status).withContext(route).toBe(401);
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(await res.json()).toEqual({ code: 'UNAUTHORIZED', message: jasmine.any(String) });
        }
      });
    }

    it("serves a pending photo's thumb and a hidden photo's display to the host, privately cached, while /media/ does not", async () => {
      const shown = [
        { photo: pending, kind: 'thumb' },
        { photo: hidden, kind: 'display' },
      ] as const;
      for (const { photo, kind } of shown) {
        const key = photo.record.variants.find((v) => v.kind === kind)!.key;
        expect((await get(server, `/media/${key}`)).status).withContext(`/media/ ${kind}`).toBe(404);
        const res = await get(server, `${ADMIN_MEDIA_PATH}/${key}`, cookie);
        expect(res.status).withContext(kind).toBe(200);
        expect(res.headers.get('cache-control')).toBe('private, no-cache');
        expect(res.headers.get('content-type')).toBe('image/webp');
        const stored = await server.store.openMedia(key, 'host');
        expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(await collect(stored!.open())));
      }
    });

    it("answers 404 to the host for an unknown key, a malformed key and an original's key", async () => {
      const original = visible[0]!.record.variants.find((v) => v.kind === 'original')!.key;
      for (const key of [`${'0'.repeat(64)}.webp`, 'not-a-key.webp', `${'A'.repeat(64)}.jpg`, original]) {
        expect((await get(server, `${ADMIN_MEDIA_PATH}/${key}`, cookie)).status).withContext(key).toBe(404);
      }
    });
  });

  it("exports a photo whose full copy never arrived as its display image, and both manifests say 'preview' (UP26)", async () => {
    const server = await startTestServer({ adminPassword: PASSWORD });
    try {
      await server.app.archive.stop();
      const whole = await addPhoto(server.store, 0, { originalBytes: 3000 });
      // Neither an original nor a source: made from the phone's preview (UP23).
      const preview = await addPhoto(server.store, 1);
      const completed = await addPhoto(server.store, 2);
      const full = fakeJpeg(4000);
      const attached = await server.store.attachSource(completed.record.id, completed.record.ownerId, memoryBlob('source', full, 4032, 3024));
      expect(attached?.variants.some((v) => v.kind === 'source')).toBeTrue();
      const cookie = await signInAsAdmin(server.url, PASSWORD);
      const res = await get(server, ADMIN_EXPORT_PATH, cookie);
      expect(res.status).toBe(200);
      const entries = await readEntries(await yauzl.fromBufferPromise(Buffer.from(await res.arrayBuffer()), { lazyEntries: true }));
      // Export order is change order: the attach moved the third photo to a later seq (it stays third).
      const expected = [
        { seeded: whole, copy: 'original', width: 4032 },
        { seeded: preview, copy: 'preview', width: 1600 },
        { seeded: completed, copy: 'display', width: 1600 },
      ];
      const json = JSON.parse(textOf(entries.at(-1))) as Array<{ id: string; file: string; copy: string; width: number }>;
      expect(json.map((r) => [r.id, r.copy, r.width])).toEqual(expected.map((e) => [e.seeded.record.id, e.copy, e.width]));
      const bytes = new Map(entries.map((e) => [e.name, e.sha256]));
      for (const [i, row] of json.entries()) expect(bytes.get(row.file)).withContext(row.copy).toBe(sha256(expected[i]!.seeded.exported));
      expect(entries.some((e) => e.sha256 === sha256(full))).withContext('never the source').toBeFalse();
      const [, ...rows] = parseCsv(textOf(entries.at(-2)).slice(1));
      expect(rows.map((r) => r[4])).toEqual(['original', 'preview', 'display']);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('stops reading the store and closes every file when the client goes away mid-download, logging no error', async () => {
    const errors: string[] = [];
    const server = await startTestServer({ adminPassword: PASSWORD, logger: recording(errors) });
    try {
      for (let i = 0; i < 40; i++) await addPhoto(server.store, i, { originalBytes: MB });
      const cookie = await signInAsAdmin(server.url, PASSWORD);
      const reads = spyOn(server.store, 'readVariant').and.callThrough();
      const openFiles = async () => (await fs.readdir('/proc/self/fd')).length;
      const before = await openFiles();
      await new Promise<void>((resolve, reject) => {
        const req = http.get(server.url + ADMIN_EXPORT_PATH, { headers: { cookie } }, (res) => {
          let received = 0;
          res.on('error', () => undefined);
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > 3 * MB) {
              req.destroy();
              resolve();
            }
          });
        });
        req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      });
      await sleep(300);
      const readsAfterAbort = reads.calls.count();
      await sleep(300);
      expect(reads.calls.count()).withContext('no reads after the abort').toBe(readsAfterAbort);
      expect(readsAfterAbort).toBeLessThan(40);
      expect(await openFiles()).withContext('open file descriptors').toBeLessThanOrEqual(before);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('destroys the response and logs once when the store fails mid-export, so a broken ZIP never looks complete', async () => {
    const errors: string[] = [];
    const server = await startTestServer({ adminPassword: PASSWORD, logger: recording(errors) });
    try {
      for (let i = 0; i < 3; i++) await addPhoto(server.store, i, { originalBytes: 100_000 });
      const cookie = await signInAsAdmin(server.url, PASSWORD);
      spyOn(server.store, 'readVariant').and.callFake(async () => ({
        contentType: 'image/jpeg',
        body: (async function* failing() {
          yield randomBytes(1000);
          throw new Error('EIO: the disk went away');
        })(),
      }));
      // Cut off before the headers or in the body, depending on how much was sent: never a clean end.
      await expectAsync(get(server, ADMIN_EXPORT_PATH, cookie).then((res) => res.arrayBuffer())).toBeRejected();
      await sleep(100);
      expect(errors).toEqual(['export failed']);
    } finally {
      await server.close();
    }
  }, 30_000);

  /**
   * RSS, not heap: buffering the ZIP would show as 400 MB. The store reads images out in 64 KB
   * pieces (READ_PIECE_BYTES); with 1 MB pieces dead buffers piled up to 40-72 MB before V8
   * collected them.
   */
  it('keeps the server process under 60 MB of RSS growth while a slow client downloads a 400 MB export', async () => {
    embeddedOnly('seeds a DATA_DIR for a server child process');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-export-rss-'));
    const store = await SqliteStore.open(dataDir, { ...DEFAULT_EMBEDDED_OPTIONS, syncWrites: false });
    const expected = new Map<string, string>();
    try {
      await prepareAdminPassword(store, PASSWORD);
      for (let i = 0; i < 200; i++) {
        const { record, exported } = await addPhoto(store, i, { originalBytes: 2 * MB });
        expected.set(record.id, sha256(exported));
      }
    } finally {
      await store.close();
    }
    // Its own process (the bench's server child), so the figure is the server's RSS and no one else's.
    const server = await startServerProcess({ dataDir });
    const zipFile = path.join(os.tmpdir(), `photobook-export-${process.pid}.zip`);
    try {
      const cookie = await signInAsAdmin(server.url, PASSWORD);
      const baseline = rssOf(server.pid);
      const rss = sampleRss(server.pid, 20);
      const res = await new Promise<http.IncomingMessage>((resolve) => http.get(server.url + ADMIN_EXPORT_PATH, { headers: { cookie } }, resolve));
      expect(res.statusCode).toBe(200);
      // About 1 ms per socket read (at most 64 KB): slower than the server can read its disk, so it must wait.
      const slow = new Transform({ transform: (chunk, _enc, done) => void setTimeout(() => done(null, chunk), 1) });
      await pipeline(res, slow, createWriteStream(zipFile));
      rss.stop();
      const growth = rss.peak() - baseline;
      console.log(`export: 200 photos, ${((await fs.stat(zipFile)).size / MB).toFixed(0)} MB ZIP, server RSS grew ${(growth / MB).toFixed(1)} MB`);
      expect(growth).withContext(`RSS grew ${(growth / MB).toFixed(1)} MB`).toBeLessThan(60 * MB);
      const zip = await yauzl.openPromise(zipFile, { lazyEntries: true });
      const entries = await readEntries(zip, (name) => name.startsWith('manifest'));
      zip.close();
      expect((await fs.stat(zipFile)).size).toBeGreaterThan(400 * MB);
      const manifest = JSON.parse(textOf(entries.at(-1))) as Array<{ id: string; file: string }>;
      expect(manifest.length).toBe(200);
      const byFile = new Map(entries.map((e) => [e.name, e.sha256]));
      for (const row of manifest) expect(byFile.get(row.file)).withContext(row.file).toBe(expected.get(row.id));
    } finally {
      await server.stop();
      await fs.rm(zipFile, { force: true });
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
