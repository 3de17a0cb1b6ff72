/**
 * The photo book: asked for through the admin console's socket, made by the durable 'book' job, read
 * back with poppler (pages, paper, pixels, text, embedded images), and the server's memory measured
 * while it makes 200 photos into a book. The 200-photo book is made once per store, by a server in a
 * process of its own (so its RSS is the server's alone).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_BOOK_PATH, type BookStatusDto } from '@photobook/shared';
import { MB, rssOf, sampleRss } from '../../bench/lib/rss';
import { serverAllocator, startServerProcess, type ServerProcess } from '../../bench/lib/processes';
import { prepareAdminPassword } from '../../server/admin/admin-password';
import { PAPER, planPages } from '../../server/print/layout';
import { mongoTarget } from '../fixtures/mongo-server';
import { connectClient, guestCookie, uploadFile } from '../fixtures/server';
import { openSpecStore, specStoreKind } from '../fixtures/spec-store';
import {
  ACCENTED_CAPTION,
  CJK_NAME,
  KOREAN_NAME,
  PASSWORD,
  bookEvents,
  consoleSocket,
  ask,
  finished,
  partyPhoto,
  pdfImages,
  pdfInfo,
  pdfText,
  pixelSpread,
  renderPage,
  requirePoppler,
  seedPhotos,
  type AdminSocket,
  type SeededPhoto,
} from './book-fixtures';

/** 200 here; BOOK_SPEC_PHOTOS=1000 measures a bigger book by hand (README, "Photo book"). */
const PHOTOS = Number(process.env['BOOK_SPEC_PHOTOS'] ?? 200);
/**
 * Of them, sent by guests' phones through the upload protocol to the server under test, the rest
 * stored directly (fast). The server has then processed photos as it has after any party, so what
 * the book adds to its memory is measured, not the first use of libvips and V8 in a fresh process.
 */
const UPLOADED = 10;
const A4_REQUEST = { paper: 'a4', coverPhotoId: null, title: null, date: null, locale: 'en-GB', timeZone: 'Europe/Paris' };
/** FerretDB takes longer over everything; the whole run stays within a few minutes either way. */
const BOOK_TIMEOUT_MS = Math.max(8, PHOTOS / 25) * 60_000;

const squeeze = (text: string) => text.replace(/\s+/g, '');

/**
 * Starts the server child on seeded data with the allocator `npm start` gives it (startServerProcess:
 * jemalloc and its MALLOC_CONF where the machine has it; Debian's redis-server, which the test set-up
 * installs, brings it), else as the README says to run it on Linux (MALLOC_ARENA_MAX=2: without it
 * glibc keeps a heap per libvips thread and RSS says more about the allocator than about the book);
 * with MongoDB, on this process's own test server, which the child finds in MONGODB_URI.
 */
async function serverOn(dataDir: string): Promise<ServerProcess> {
  const env: Record<string, string> = serverAllocator.preload ? {} : { MALLOC_ARENA_MAX: '2' };
  if (specStoreKind() === 'mongo') env['MONGODB_URI'] = (await mongoTarget())!.uri;
  // startServerProcess hands the child this process's environment: set for the fork, then put back.
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await startServerProcess({ dataDir, store: specStoreKind() });
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('The photo book', () => {
  describe(`of ${PHOTOS} photos, made by the job on a server in its own process`, () => {
    let dataDir: string;
    let server: ServerProcess | null = null;
    let socket: AdminSocket | null = null;
    let photos: SeededPhoto[];
    /** Aspects of the uploaded photos, the last ones in time. */
    const uploaded: number[] = [];
    let asked: BookStatusDto;
    let seen: BookStatusDto[];
    let done: BookStatusDto;
    let pdf: string;
    let download: Response;
    let growth: number;

    beforeAll(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-book-'));
      const seeding = await openSpecStore(dataDir);
      try {
        await prepareAdminPassword(seeding.store, PASSWORD);
        await seeding.store.updateSettings({ event: { title: 'Zoë & Ben' } });
        photos = await seedPhotos(seeding.store, PHOTOS - UPLOADED);
      } finally {
        await seeding.store.close();
      }
      server = await serverOn(dataDir);
      const guest = await connectClient(server.url, { cookie: guestCookie().cookie });
      for (let i = 0; i < UPLOADED; i++) {
        const sent = await uploadFile(guest, await partyPhoto(PHOTOS + i), { caption: `Late one #${i}`, author: 'Dana' });
        if (!sent.ok) throw new Error(`upload answered ${sent.error.code}`);
        uploaded.push(sent.value.width / sent.value.height);
      }
      guest.disconnect();
      const console_ = await consoleSocket(server.url);
      socket = console_.socket;
      const events = bookEvents(socket);
      const baseline = rssOf(server.pid);
      const rss = sampleRss(server.pid, 100);
      const started = Date.now();
      const answer = await ask<BookStatusDto>(socket, 'admin:book', A4_REQUEST);
      if (!answer.ok) throw new Error(`admin:book answered ${answer.error.code}`);
      asked = answer.value;
      done = await events.until(finished, BOOK_TIMEOUT_MS);
      const seconds = (Date.now() - started) / 1000;
      rss.stop();
      growth = rss.peak() - baseline;
      seen = events.seen;
      pdf = path.join(dataDir, 'book.pdf');
      download = await fetch(server.url + ADMIN_BOOK_PATH, { headers: { cookie: console_.cookie } });
      await fs.writeFile(pdf, Buffer.from(await download.arrayBuffer()));
      const size = ((done.ready?.bytes ?? 0) / MB).toFixed(1);
      console.log(
        `\nphoto book (${specStoreKind()}): ${PHOTOS} photos, ${size} MB PDF, made in ${seconds.toFixed(1)} s; ` +
          `server RSS ${(baseline / MB).toFixed(0)} MB before, peak growth ${(growth / MB).toFixed(1)} MB`,
      );
    }, BOOK_TIMEOUT_MS + 5 * 60_000);

    afterAll(async () => {
      socket?.disconnect();
      await server?.stop();
      const cleanup = await openSpecStore(dataDir).catch(() => null);
      await cleanup?.store.close();
      await cleanup?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it('is queued by the admin API and made by the job, its progress reaching every console live', () => {
      expect(asked.latest).toEqual(jasmine.objectContaining({ state: 'queued', paper: 'a4', placed: 0 }));
      expect(done.latest).toEqual(jasmine.objectContaining({ id: asked.latest!.id, state: 'ready', placed: PHOTOS, total: PHOTOS, error: null }));
      expect(done.ready?.id).toBe(asked.latest!.id);
      const making = seen.filter((s) => s.latest?.state === 'making').map((s) => s.latest!);
      expect(making.length).withContext('progress while it was made').toBeGreaterThan(2);
      expect(making.every((b) => b.total === PHOTOS)).toBeTrue();
      const placed = making.map((b) => b.placed);
      expect(placed).toEqual([...placed].sort((a, b) => a - b));
      expect(placed.some((n) => n > 0 && n < PHOTOS)).withContext('a count between the start and the end').toBeTrue();
    });

    it(`keeps the server's memory flat: RSS grows by less than 100 MB while it is made`, () => {
      expect(growth).withContext(`peak RSS growth ${(growth / MB).toFixed(1)} MB`).toBeLessThan(100 * MB);
    });

    it('is downloaded by the host as an attachment named after the event', () => {
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(download.headers.get('content-disposition')).toBe('attachment; filename="zoe-ben-photo-book.pdf"');
      expect(Number(download.headers.get('content-length'))).toBe(done.ready!.bytes!);
    });

    it('has the cover and the pages the layout plans for these photos, each A4', async () => {
      if (!(await requirePoppler())) return;
      const inTime = [...photos].sort((a, b) => a.record.createdAt - b.record.createdAt);
      const expected = 1 + planPages([...inTime.map((p) => p.aspect), ...uploaded]).length;
      const info = await pdfInfo(pdf);
      expect(info.pages).toBe(expected);
      expect(info.pages).toBeLessThan(PHOTOS);
      expect([info.width, info.height]).toEqual([PAPER.a4.width, PAPER.a4.height]);
    });

    it('prints photos on its pages, not blank paper', async () => {
      if (!(await requirePoppler())) return;
      const { pages } = await pdfInfo(pdf);
      for (const page of [1, 2, Math.ceil(pages / 2), pages]) {
        const spread = await pixelSpread(await renderPage(pdf, page, 20));
        expect(spread).withContext(`page ${page}`).toBeGreaterThan(15);
      }
    });

    it('embeds every photo once plus the cover, at 300 dpi or at its own size when smaller, never enlarged', async () => {
      if (!(await requirePoppler())) return;
      const images = await pdfImages(pdf);
      expect(images.length).toBe(PHOTOS + 1);
      expect(images.every((i) => i.ppi <= 301)).withContext('never above 300 dpi').toBeTrue();
      expect(images.filter((i) => i.ppi >= 299).length).withContext('large photos at 300 dpi').toBeGreaterThan(PHOTOS / 2);
      const small = images.filter((i) => i.ppi < 295);
      expect(small.length).withContext('small photos at their own size').toBeGreaterThan(0);
      for (const image of small) expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(2000);
      expect((await fs.readFile(pdf)).includes('Exif')).withContext('no EXIF block in any photo').toBeFalse();
    });

    it('holds the captions and names in every script, accents and CJK included, as text', async () => {
      if (!(await requirePoppler())) return;
      const text = squeeze(await pdfText(pdf));
      for (const words of [ACCENTED_CAPTION, CJK_NAME, KOREAN_NAME, 'ZOË & BEN'.toLowerCase()]) {
        expect(text.toLowerCase()).withContext(words).toContain(squeeze(words).toLowerCase());
      }
      expect(text).toContain(squeeze('5 December 2026').toUpperCase());
    });
  });
});
