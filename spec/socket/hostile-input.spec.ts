/**
 * A corpus of hostile files and payloads, each sent by a real Socket.IO client to a real server
 * (port 0, embedded store in a temporary directory). Every case checks, besides its own answer:
 *   (a) the error code it must get (or, for the few that are legitimately accepted, what is stored);
 *   (b) the server is still up: the same socket (or a fresh one when the case cost it its
 *       connection) uploads a small valid PNG afterwards;
 *   (c) nothing hostile is stored: the only photos are the control photo and, for accepted cases,
 *       the one photo the case made;
 *   (d) temporary space is empty again: no part files, no upload records (for every guest the case
 *       used), and the media directory holds exactly the blobs the stored photos refer to.
 * Cases that leave a legitimately resumable upload clean it up the way the protocol does (abort, or
 * the sweeper with the clock advanced) before (d) is checked. Rules: spec/UPLOAD-PROTOCOL.md.
 */
import path from 'node:path';
import { CHUNK_SIZE, type PhotoDto, type UploadBeginReply } from '@photobook/shared';
import { solidPng } from '../fixtures/images';
import {
  connectClient,
  filesUnder,
  guestCookie,
  request,
  sendChunks,
  startTestServer,
  uploadFile,
  type TestServer,
  type TestSocket,
} from '../fixtures/server';
import { BYTE_CASES } from './hostile/cases-bytes';
import { FIELD_CASES } from './hostile/cases-fields';
import { STATE_CASES } from './hostile/cases-state';
import { TEXT_CASES } from './hostile/cases-text';
import { CONTROL_CAPTION, code, expectOpen, nextId, watchRss, type Ctx, type HostileCase } from './hostile/harness';

/** In the corpus's order: begin fields and chunk shape, text in those fields, then bytes, then upload state. */
const CASES: readonly HostileCase[] = [...FIELD_CASES, ...TEXT_CASES, ...BYTE_CASES, ...STATE_CASES];

function title(c: HostileCase): string {
  if ('code' in c.outcome) {
    const { code: expected } = c.outcome;
    return `${c.rule}: ${c.does.includes('{code}') ? c.does.replace('{code}', expected) : `${c.does} with ${expected}`}`;
  }
  return `${c.rule}: ${c.does}`;
}

describe('hostile input over Socket.IO (a corpus run against a real server)', () => {
  let skew = 0;
  let server: TestServer | null = null;
  const sockets: TestSocket[] = [];

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server?.close();
    server = null;
    skew = 0;
  });

  it('has at least 32 cases with distinct names that quote their rule and code', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(32);
    expect(new Set(CASES.map(title)).size).toBe(CASES.length);
    for (const c of CASES) {
      expect(title(c)).toMatch(/^UP\d+: /);
      if ('code' in c.outcome) expect(title(c)).toContain(c.outcome.code);
    }
  });

  for (const c of CASES) {
    it(title(c), async () => {
      const srv = await startTestServer({ now: () => Date.now() + skew, ...(c.config ? { config: c.config } : {}) });
      server = srv;
      const owners = new Set<string>();
      const connect = async (cookie: string) => {
        const socket = await connectClient(srv.url, { cookie });
        sockets.push(socket);
        return socket;
      };
      const newGuest = () => {
        const { cookie, uid } = guestCookie();
        owners.add(srv.app.ownerKeys.keyOf(uid));
        return cookie;
      };
      const cookie = newGuest();
      const socket = await connect(cookie);
      const ctx: Ctx = {
        server: srv,
        socket,
        reconnect: () => connect(cookie),
        guest: () => connect(newGuest()),
        advance: (ms) => {
          skew += ms;
        },
        begin: (overrides = {}, s = socket) =>
          request<UploadBeginReply>(s, 'upload:begin', {
            clientUploadId: nextId(),
            name: 'photo.jpg',
            size: 1000,
            type: 'image/jpeg',
            caption: 'hostile',
            author: 'Mallory',
            ...overrides,
          }),
        open: async (size, s = socket) => expectOpen(await ctx.begin({ size }, s), 'begin').uploadId,
        chunk: (uploadId, offset, data, s = socket) => request<{ offset: number }>(s, 'upload:chunk', { uploadId, offset, data }),
        commit: (uploadId, s = socket) => request<PhotoDto>(s, 'upload:commit', { uploadId }),
        abort: (uploadId, s = socket) => request<null>(s, 'upload:abort', { uploadId }),
        async firstChunk(bytes) {
          const uploadId = await ctx.open(bytes.length);
          return ctx.chunk(uploadId, 0, bytes.subarray(0, CHUNK_SIZE));
        },
        async sendAndCommit(bytes) {
          const uploadId = await ctx.open(bytes.length);
          expect(code(await sendChunks(socket, uploadId, bytes))).withContext('every chunk accepted').toBe('ok');
          return ctx.commit(uploadId);
        },
      };

      const rss = watchRss();
      const replies = [await c.act(ctx)].flat();
      const grewMb = rss();

      // (a) the answer
      if ('code' in c.outcome) {
        expect(replies.length).withContext('replies').toBeGreaterThan(0);
        for (const [i, reply] of replies.entries()) expect(code(reply)).withContext(`reply ${i}`).toBe(c.outcome.code);
      } else if ('stored' in c.outcome || 'allowed' in c.outcome) {
        for (const [i, reply] of replies.entries()) expect(code(reply)).withContext(`reply ${i}`).toBe('ok');
      } else {
        expect(socket.connected).withContext('socket dropped').toBeFalse();
      }
      if (c.maxRssGrowthMb !== undefined) expect(grewMb).withContext('RSS growth in MB').toBeLessThan(c.maxRssGrowthMb);

      // (b) still serving: the same socket (or, if the case cost it the connection, a fresh one) uploads
      const controlSocket = socket.connected ? socket : await connect(cookie);
      const control = await uploadFile(controlSocket, await solidPng(8, 8), { caption: CONTROL_CAPTION });
      expect(code(control)).withContext('control upload').toBe('ok');

      // (c) nothing hostile stored
      const photos = await srv.store.listPhotos(100);
      expect(photos.filter((p) => p.caption === CONTROL_CAPTION).length).withContext('control photos').toBe(1);
      expect(photos.filter((p) => p.caption !== CONTROL_CAPTION).length)
        .withContext('photos the case stored')
        .toBe('stored' in c.outcome || c.makesPhoto ? 1 : 0);

      // (d) temporary space back to empty, media holds exactly the stored photos' blobs
      expect(await srv.partialPieces()).withContext('partial upload pieces').toBe(0);
      const everyUpload = { idleBefore: Number.MAX_SAFE_INTEGER, createdBefore: Number.MAX_SAFE_INTEGER };
      expect(await srv.store.listStaleUploads(everyUpload)).withContext('upload records').toEqual([]);
      for (const owner of owners) expect(await srv.store.countUploads(owner)).withContext('open uploads of a guest').toBe(0);
      const keys = new Set(photos.flatMap((p) => p.variants.map((v) => v.key)));
      if (srv.storeKind === 'embedded') {
        expect((await filesUnder(path.join(srv.dataDir, 'media'))).sort()).withContext('media files').toEqual([...keys].sort());
      }
    }, 20_000);
  }
});
