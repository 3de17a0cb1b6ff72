/**
 * The photo book's job and its doors, on a server in this process with a few photos: who may ask
 * and download, one book at a time, a crashed worker's book taken over, failures tried again and
 * then shown, a photo removed while the book is made, the paper and the cover's words.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { ADMIN_BOOK_PATH, ADMIN_NAMESPACE, ErrorCode, type BookStatusDto } from '@photobook/shared';
import { silentLogger } from '../../server/errors';
import { BOOK_LEASE_MS, BOOK_TRIES, bookStep, type BookJobDeps } from '../../server/jobs/book-job';
import { printImage } from '../../server/media/print-image';
import { PAPER, planPages } from '../../server/print/layout';
import { connectClient, guestCookie, request, startTestServer, type TestServer } from '../fixtures/server';
import {
  PASSWORD,
  ask,
  bookEvents,
  consoleSocket,
  finished,
  pdfImages,
  pdfInfo,
  pdfText,
  requirePoppler,
  seedPhotos,
  type AdminSocket,
  type SeededPhoto,
} from './book-fixtures';

const REQUEST = { paper: 'a4', coverPhotoId: null, title: null, date: null, locale: 'en-GB', timeZone: 'UTC' } as const;
const MINUTE = 60_000;

describe('The photo book job', () => {
  let server: TestServer;
  let admin: AdminSocket;
  let cookie: string;
  let photos: SeededPhoto[];
  let scratch: string;

  /** A job step as the app runs it, but with this spec's worker name, clock and store. */
  const step = (overrides: Partial<BookJobDeps> = {}) =>
    bookStep({
      store: server.store,
      logger: silentLogger,
      now: Date.now,
      notifier: { bookChanged: () => undefined },
      scratchDir: scratch,
      worker: 'spec-worker',
      render: printImage,
      eventTitle: async () => 'Spec party',
      pace: async () => undefined,
      ...overrides,
    });

  const status = async () => {
    const answer = await ask<BookStatusDto>(admin, 'admin:book-status', {});
    if (!answer.ok) throw new Error(answer.error.code);
    return answer.value;
  };

  const download = async () => {
    const file = path.join(scratch, `download-${Date.now()}.pdf`);
    const res = await fetch(server.url + ADMIN_BOOK_PATH, { headers: { cookie } });
    await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
    return { res, file };
  };

  beforeEach(async () => {
    server = await startTestServer({ adminPassword: PASSWORD });
    // The specs drive the job themselves unless they start the app's runner.
    await server.app.books.stop();
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-book-spec-'));
    ({ socket: admin, cookie } = await consoleSocket(server.url));
  }, 60_000);

  afterEach(async () => {
    admin.disconnect();
    await server.close();
    await fs.rm(scratch, { recursive: true, force: true });
  });

  describe('with a few photos', () => {
    beforeEach(async () => {
      photos = await seedPhotos(server.store, 7);
    }, 60_000);

    it('is for the host alone: a guest cannot reach the console namespace, ask on their own socket, or download', async () => {
      const guest = guestCookie().cookie;
      const intruder = connect(server.url + ADMIN_NAMESPACE, { forceNew: true, reconnection: false, extraHeaders: { cookie: guest } });
      const refused = await new Promise<string>((resolve) => {
        intruder.once('connect', () => resolve('connected'));
        intruder.once('connect_error', (e) => resolve(e.message));
      });
      intruder.close();
      expect(refused).toBe('unauthorized');
      const page = await connectClient(server.url, { cookie: guest });
      await expectAsync(request(page, 'admin:book', REQUEST)).withContext('no such event for guests: no answer').toBeRejected();
      page.disconnect();
      expect((await server.store.books()).latest).toBeNull();

      for (const who of [undefined, guest]) {
        const res = await fetch(server.url + ADMIN_BOOK_PATH, who ? { headers: { cookie: who } } : {});
        expect(res.status).withContext(String(who)).toBe(401);
        expect(await res.json()).toEqual({ code: ErrorCode.Unauthorized, message: jasmine.any(String) });
      }
      const none = await fetch(server.url + ADMIN_BOOK_PATH, { headers: { cookie } });
      expect(none.status).withContext('signed in, nothing ready yet').toBe(404);
      expect((await none.json()).code).toBe(ErrorCode.NotFound);
    }, 30_000);

    it('makes one book at a time (BOOK_BUSY), refuses bad requests with their code, and is made by the runner', async () => {
      const events = bookEvents(admin);
      const first = await ask<BookStatusDto>(admin, 'admin:book', REQUEST);
      expect(first.ok).toBeTrue();
      const again = await ask(admin, 'admin:book', { ...REQUEST, paper: 'letter' });
      expect(again.ok ? null : again.error.code).toBe(ErrorCode.BookBusy);
      for (const [bad, code] of [
        [{ ...REQUEST, paper: 'a3' }, ErrorCode.BadRequest],
        [{ ...REQUEST, coverPhotoId: { $ne: null } }, ErrorCode.BadRequest],
        [{ ...REQUEST, date: '2026-02-30' }, ErrorCode.BadRequest],
        [{ ...REQUEST, timeZone: 'Mars/Olympus' }, ErrorCode.BadRequest],
        [{ ...REQUEST, coverPhotoId: 'noSuchPhoto123' }, ErrorCode.NotFound],
      ] as const) {
        const answer = await ask(admin, 'admin:book', bad);
        expect(answer.ok ? null : answer.error.code).withContext(JSON.stringify(bad)).toBe(code);
      }
      server.app.books.start();
      const done = await events.until(finished, 60_000);
      expect(done.latest).toEqual(jasmine.objectContaining({ state: 'ready', placed: 7, total: 7 }));
      const second = await ask<BookStatusDto>(admin, 'admin:book', { ...REQUEST, paper: 'letter' });
      expect(second.ok).withContext('a new book once the last is made').toBeTrue();
    }, 90_000);

    it('is taken over once the lease of a worker that died runs out, and the dead worker can write nothing more', async () => {
      const asked = await ask<BookStatusDto>(admin, 'admin:book', REQUEST);
      const id = asked.ok ? asked.value.latest!.id : '';
      // A worker claims it and dies at once: a lease of 1 ms.
      const dead = await server.store.claimJob('book', 'dead-worker', Date.now(), 1);
      expect(dead?.subject).toBe(id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await step()).withContext('taken over').toBeTrue();
      const book = await server.store.getBook(id);
      expect(book).toEqual(jasmine.objectContaining({ state: 'ready', placed: 7, total: 7 }));
      expect(await server.store.bookProgress(id, 'dead-worker', 1, 7, Date.now() + BOOK_LEASE_MS)).toBeFalse();
      expect(await step()).withContext('nothing left to do').toBeFalse();
    }, 60_000);

    it('tries a failed book again later, then gives it up with its reason for the host to see', async () => {
      let now = Date.now();
      const clock = () => now;
      let failures = 0;
      const broken = new Proxy(server.store, {
        get(target, key, receiver) {
          if (key !== 'readVariant') return Reflect.get(target, key, receiver) as unknown;
          return async () => {
            failures++;
            throw new Error('EIO: the disk went away');
          };
        },
      });
      const asked = await ask<BookStatusDto>(admin, 'admin:book', REQUEST);
      const id = asked.ok ? asked.value.latest!.id : '';
      now = Date.now();
      for (let attempt = 1; attempt <= BOOK_TRIES; attempt++) {
        expect(await step({ store: broken, now: clock })).withContext(`attempt ${attempt}`).toBeTrue();
        const book = await server.store.getBook(id);
        if (attempt < BOOK_TRIES) {
          expect(book).withContext(`attempt ${attempt}`).toEqual(jasmine.objectContaining({ state: 'queued', error: 'The photo book could not be made. Trying again.' }));
          expect(await step({ now: clock })).withContext('not due before its retry time').toBeFalse();
          now += 60 * MINUTE;
        } else {
          expect(book).toEqual(jasmine.objectContaining({ state: 'failed', error: 'The photo book could not be made.' }));
        }
      }
      expect(failures).toBe(BOOK_TRIES);
      expect((await status()).latest?.state).toBe('failed');
      expect((await server.store.jobQueue()).depth).toBe(0);
      const retried = await ask<BookStatusDto>(admin, 'admin:book', REQUEST);
      expect(retried.ok).withContext('the host may ask again').toBeTrue();
      expect(await step()).toBeTrue();
      expect((await status()).latest?.state).toBe('ready');
    }, 90_000);

    it('leaves out a photo removed while the book is made, without failing', async () => {
      if (!(await requirePoppler())) return;
      const inTime = [...photos].sort((a, b) => a.record.createdAt - b.record.createdAt);
      const gone = inTime[4]!;
      let renders = 0;
      await ask(admin, 'admin:book', REQUEST);
      expect(
        await step({
          render: async (input, frame) => {
            // The host removes the fifth photo while the cover and the first photos are drawn.
            if (++renders === 2) await server.app.photos.remove({ kind: 'host' }, { id: gone.record.id });
            return printImage(input, frame);
          },
        }),
      ).toBeTrue();
      const { latest } = await status();
      expect(latest).toEqual(jasmine.objectContaining({ state: 'ready', placed: 6, total: 6 }));
      const { file } = await download();
      const left = inTime.filter((p) => p !== gone);
      expect((await pdfInfo(file)).pages).toBe(1 + planPages(left.map((p) => p.aspect)).length);
      expect((await pdfImages(file)).length).toBe(6 + 1);
    }, 60_000);

    it('prints on US Letter with the cover the host picked, the title and the day typed, in the host\'s language', async () => {
      if (!(await requirePoppler())) return;
      const portrait = photos.find((p) => p.aspect < 0.9)!;
      await ask(admin, 'admin:book', { ...REQUEST, paper: 'letter', coverPhotoId: portrait.record.id, title: 'Anna & Ben', date: '2027-02-14', locale: 'en-US' });
      await step();
      const { res, file } = await download();
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="anna-ben-photo-book.pdf"');
      const info = await pdfInfo(file);
      expect([info.width, info.height]).toEqual([PAPER.letter.width, PAPER.letter.height]);
      const text = await pdfText(file);
      expect(text).toContain('Anna & Ben');
      expect(text.replace(/\s+/g, '')).toContain('FEBRUARY14,2027');
      const [cover] = await pdfImages(file);
      expect(cover!.page).toBe(1);
      expect(cover!.width / cover!.height).withContext('the portrait the host chose').toBeCloseTo(portrait.aspect, 1);
    }, 60_000);
  });

  it('answers BOOK_EMPTY while no photo is on the wall', async () => {
    const answer = await ask(admin, 'admin:book', REQUEST);
    expect(answer.ok ? null : answer.error.code).toBe(ErrorCode.BookEmpty);
    expect((await status()).latest).toBeNull();
  });
});
