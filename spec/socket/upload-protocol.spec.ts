/** The upload protocol, rule by rule (spec/UPLOAD-PROTOCOL.md), with real clients on port 0. */
import { collect } from '../../server/store/blob-body';
import {
  CHUNK_SIZE,
  ErrorCode,
  UPLOAD_WINDOW,
  type PhotoDto,
  type Result,
  type UploadBeginReply,
  type UploadSettings,
} from '@photobook/shared';
import { sidewaysJpegWithGps, solidPng } from '../fixtures/images';
import {
  beginUpload,
  connectClient,
  guestCookie,
  request,
  sendChunks,
  settingsOf,
  startTestServer,
  type TestServer,
  type TestSocket,
} from '../fixtures/server';

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

/** A JPEG of a few chunks: noise does not compress, so the file stays big. */
async function noiseJpeg(width = 900, height = 700): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + (i >> 5) * 104729) % 251;
  const sharp = (await import('sharp')).default;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

describe('the upload protocol', () => {
  let server: TestServer;
  let clock = Date.now();
  const sockets: TestSocket[] = [];
  const client = async (headers: Record<string, string> = {}) => {
    const socket = await connectClient(server.url, headers);
    sockets.push(socket);
    return socket;
  };
  const begin = (socket: TestSocket, clientUploadId: string, size: number) =>
    request<UploadBeginReply>(socket, 'upload:begin', { clientUploadId, name: 'p.jpg', size, type: 'image/jpeg', caption: 'c', author: 'a' });

  beforeEach(async () => {
    clock = Date.now();
    server = await startTestServer({ now: () => clock });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it('UP1: answers begin with the upload id, offset 0, the chunk size and the window', async () => {
    const guest = await client();
    const reply = await begin(guest, 'up1-fresh-01', 1000);
    expect(reply).toEqual({
      ok: true,
      value: { state: 'open', uploadId: jasmine.stringMatching(/^[A-Za-z0-9_-]{22}$/), offset: 0, chunkSize: CHUNK_SIZE, window: UPLOAD_WINDOW },
    });
  });

  it('UP1: resumes from the bytes held when the guest begins again on a new connection', async () => {
    const jpeg = await noiseJpeg();
    const { cookie } = guestCookie();
    const first = await client({ cookie });
    const uploadId = await beginUpload(first, 'up1-resume-1', jpeg.length);
    const sent = await sendChunks(first, uploadId, jpeg, 0, CHUNK_SIZE + 1000);
    expect(sent).toEqual({ ok: true, value: { offset: CHUNK_SIZE + 1000 } });
    first.disconnect();

    const again = await client({ cookie });
    const resumed = await begin(again, 'up1-resume-1', jpeg.length);
    expect(resumed.ok && resumed.value).toEqual(jasmine.objectContaining({ state: 'open', uploadId, offset: CHUNK_SIZE + 1000 }));
    expect(codeOf(await sendChunks(again, uploadId, jpeg, CHUNK_SIZE + 1000))).toBe('ok');
    const photo = await request<PhotoDto>(again, 'upload:commit', { uploadId });
    expect(photo.ok && photo.value.id).toBe(uploadId);
  });

  it('UP1: stores the caption and name of the latest begin when a guest edits them before resuming', async () => {
    const png = await solidPng(30, 20);
    const guest = await client();
    const first = await request<UploadBeginReply>(guest, 'upload:begin', {
      clientUploadId: 'up1-relabel1', name: 'p.png', size: png.length, type: 'image/png', caption: 'Typo', author: 'An',
    });
    const again = await request<UploadBeginReply>(guest, 'upload:begin', {
      clientUploadId: 'up1-relabel1', name: 'p.png', size: png.length, type: 'image/png', caption: 'First dance', author: 'Ana',
    });
    if (!first.ok || first.value.state !== 'open' || !again.ok || again.value.state !== 'open') return fail('begin failed');
    expect(again.value.uploadId).toBe(first.value.uploadId);
    await sendChunks(guest, again.value.uploadId, png);
    const photo = await request<PhotoDto>(guest, 'upload:commit', { uploadId: again.value.uploadId });
    expect(photo.ok && [photo.value.caption, photo.value.author]).toEqual(['First dance', 'Ana']);
  });

  it('UP1: starts afresh when the same client upload id comes back with a different size', async () => {
    const png = await solidPng(30, 20);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up1-resized1', png.length + 500);
    await sendChunks(guest, uploadId, png, 0, 100);
    const again = await begin(guest, 'up1-resized1', png.length);
    expect(again.ok && again.value).toEqual(jasmine.objectContaining({ state: 'open', offset: 0 }));
    expect(again.ok && again.value.state === 'open' && again.value.uploadId).not.toBe(uploadId);
    expect(await server.store.getUpload(uploadId)).toBeNull();
  });

  it('UP1: resumes after a server restart, because partial uploads live in the store', async () => {
    const jpeg = await noiseJpeg();
    const { cookie } = guestCookie();
    const guest = await client({ cookie });
    const uploadId = await beginUpload(guest, 'up1-restart1', jpeg.length);
    await sendChunks(guest, uploadId, jpeg, 0, 2 * CHUNK_SIZE);
    guest.disconnect();
    await server.stop();

    server = await startTestServer({ dataDir: server.dataDir, now: () => clock });
    const back = await client({ cookie });
    const resumed = await begin(back, 'up1-restart1', jpeg.length);
    expect(resumed.ok && resumed.value).toEqual(jasmine.objectContaining({ uploadId, offset: 2 * CHUNK_SIZE }));
    await sendChunks(back, uploadId, jpeg, 2 * CHUNK_SIZE);
    expect(codeOf(await request(back, 'upload:commit', { uploadId }))).toBe('ok');
    expect((await server.store.listPhotos(10)).length).toBe(1);
  });

  it('UP3: takes a whole window of chunks sent without waiting, in order, and acks each with the next offset', async () => {
    // A JPEG's first bytes, then bytes of every value: nothing is committed, only the chunks count.
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(Array.from({ length: (UPLOAD_WINDOW + 1) * CHUNK_SIZE }, (_, i) => (i * 7919) % 251))]);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up3-window01', bytes.length);
    const offsets = Array.from({ length: UPLOAD_WINDOW }, (_, i) => i * CHUNK_SIZE);
    const acks = await Promise.all(
      offsets.map((offset) => request(guest, 'upload:chunk', { uploadId, offset, data: bytes.subarray(offset, offset + CHUNK_SIZE) })),
    );
    expect(acks).toEqual(offsets.map((o) => ({ ok: true, value: { offset: o + CHUNK_SIZE } })));
    expect((await collect(server.store.readUpload(uploadId))).equals(bytes.subarray(0, UPLOAD_WINDOW * CHUNK_SIZE))).toBeTrue();
  });

  it('UP3: a write that lands while the next chunk’s upload is being read does not make that chunk a gap', async () => {
    // The store reads the upload for chunk 2 before chunk 1 is written, and answers only after it is:
    // the record then says 0 bytes while chunk 1 is already acked (a slow store, FerretDB, did this).
    const store = server.store;
    const read = store.getUpload.bind(store);
    const append = store.appendUpload.bind(store);
    let firstWrite: Promise<unknown> | null = null;
    store.appendUpload = (id, offset, data) => {
      const written = append(id, offset, data);
      if (offset === 0) firstWrite = written;
      return written;
    };
    store.getUpload = async (id) => {
      const record = await read(id);
      if (firstWrite && record?.received === 0) await firstWrite;
      return record;
    };
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3 * CHUNK_SIZE, 9)]);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up3-landing1', bytes.length);
    const offsets = [0, CHUNK_SIZE];
    const acks = await Promise.all(offsets.map((offset) => request(guest, 'upload:chunk', { uploadId, offset, data: bytes.subarray(offset, offset + CHUNK_SIZE) })));
    expect(firstWrite).withContext('the slow read happened').not.toBeNull();
    expect(acks).toEqual(offsets.map((o) => ({ ok: true, value: { offset: o + CHUNK_SIZE } })));
  });

  it('UP3: chunks for made-up upload ids do not shrink the window the next begin answers', async () => {
    const guest = await client();
    for (let i = 0; i < 40; i++) {
      const r = await request(guest, 'upload:chunk', { uploadId: `made-up-upload-${String(i).padStart(7, '0')}`, offset: 0, data: Buffer.alloc(10) });
      expect(codeOf(r)).toBe(ErrorCode.UploadNotFound);
    }
    const reply = await begin(guest, 'up3-window-after-fakes', 1000);
    expect(reply.ok && reply.value.state === 'open' ? reply.value.window : null).toBe(UPLOAD_WINDOW);
  });

  it('UP4, UP5: keeps only new bytes of an overlapping chunk and acks a replayed one without rewriting', async () => {
    const png = await solidPng(300, 300);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up45-overlap', png.length);
    await request(guest, 'upload:chunk', { uploadId, offset: 0, data: png.subarray(0, 100) });
    const overlap = await request(guest, 'upload:chunk', { uploadId, offset: 50, data: png.subarray(50, 150) });
    expect(overlap).toEqual({ ok: true, value: { offset: 150 } });
    const replay = await request(guest, 'upload:chunk', { uploadId, offset: 0, data: Buffer.alloc(100, 0xff) });
    expect(replay).toEqual({ ok: true, value: { offset: 150 } });
    expect((await collect(server.store.readUpload(uploadId))).equals(png.subarray(0, 150))).toBeTrue();
  });

  it('UP6: refuses a chunk past the received count, names the expected offset and writes nothing', async () => {
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up6-gap-0001', 1000);
    const gap = await request(guest, 'upload:chunk', { uploadId, offset: 100, data: Buffer.alloc(10) });
    expect(gap).toEqual({ ok: false, error: jasmine.objectContaining({ code: ErrorCode.OffsetMismatch, expectedOffset: 0 }) });
    expect((await server.store.getUpload(uploadId))?.received).toBe(0);
  });

  it('UP7: aborts an upload whose chunk runs past the declared size', async () => {
    const png = await solidPng(64, 64);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up7-sizelie1', 50);
    const over = await request(guest, 'upload:chunk', { uploadId, offset: 0, data: png.subarray(0, 60) });
    expect(codeOf(over)).toBe(ErrorCode.TooLarge);
    expect(await server.store.getUpload(uploadId)).toBeNull();
    expect(await server.partialPieces()).toBe(0);
  });

  it('UP8: refuses HEIC with its own code and deletes the upload', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(40)]);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up8-heic-001', heic.length);
    expect(codeOf(await request(guest, 'upload:chunk', { uploadId, offset: 0, data: heic }))).toBe(ErrorCode.HeicUnsupported);
    expect(await server.store.getUpload(uploadId)).toBeNull();
  });

  it('UP9: keeps an incomplete upload for resuming and stores the photo once the last byte is in', async () => {
    const png = await solidPng(32, 32);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up9-complete', png.length);
    await sendChunks(guest, uploadId, png, 0, 10);
    const early = await request(guest, 'upload:commit', { uploadId });
    expect(early).toEqual({ ok: false, error: jasmine.objectContaining({ code: ErrorCode.UploadIncomplete }) });
    await sendChunks(guest, uploadId, png, 10);
    expect(codeOf(await request(guest, 'upload:commit', { uploadId }))).toBe('ok');
    expect(await server.partialPieces()).toBe(0);
  });

  it('UP10: answers repeated and racing commits with one photo, broadcast once', async () => {
    const wall = await client();
    await request(wall, 'wall:join', { sinceSeq: null });
    const added: PhotoDto[] = [];
    wall.on('photo:added', (p) => added.push(p));
    const guest = await client();
    const png = await solidPng(30, 30);
    const uploadId = await beginUpload(guest, 'up10-commit1', png.length);
    await sendChunks(guest, uploadId, png);
    const racing = await Promise.all([
      request<PhotoDto>(guest, 'upload:commit', { uploadId }),
      request<PhotoDto>(guest, 'upload:commit', { uploadId }),
    ]);
    const later = await request<PhotoDto>(guest, 'upload:commit', { uploadId });
    const ids = [...racing, later].map((r) => (r.ok ? r.value.id : r.error.code));
    expect(ids).toEqual([uploadId, uploadId, uploadId]);
    expect((await server.store.listPhotos(10)).length).toBe(1);
    await request(wall, 'wall:join', { sinceSeq: null }); // a round trip, so any second broadcast has landed
    expect(added.map((p) => p.id)).toEqual([uploadId]);
  });

  it('UP10: answers a begin whose upload already became a photo with that photo, on any connection', async () => {
    const { cookie } = guestCookie();
    const guest = await client({ cookie });
    const png = await solidPng(30, 31);
    const uploadId = await beginUpload(guest, 'up10-begin01', png.length);
    await sendChunks(guest, uploadId, png);
    await request(guest, 'upload:commit', { uploadId });
    const again = await begin(await client({ cookie }), 'up10-begin01', png.length);
    expect(again).toEqual({ ok: true, value: { state: 'committed', photo: jasmine.objectContaining({ id: uploadId }) } });
    expect(await server.store.countUploads((await server.store.getPhoto(uploadId))!.ownerId)).toBe(0);
  });

  it('UP11: does not let one guest begin-resume, feed, commit or abort another guest upload', async () => {
    const owner = await client();
    const other = await client();
    const uploadId = await beginUpload(owner, 'up11-owner01', 10);
    for (const [event, payload] of [
      ['upload:chunk', { uploadId, offset: 0, data: Buffer.alloc(5) }],
      ['upload:commit', { uploadId }],
      ['upload:abort', { uploadId }],
    ] as const) {
      expect(codeOf(await request(other, event, payload))).withContext(event).toBe(ErrorCode.UploadNotFound);
    }
    const theirs = await begin(other, 'up11-owner01', 10);
    expect(theirs.ok && theirs.value.state === 'open' && theirs.value.uploadId).not.toBe(uploadId);
    expect((await server.store.getUpload(uploadId))?.received).toBe(0);
  });

  it('UP12: expires an idle upload on its next chunk, and a new begin starts it afresh', async () => {
    const png = await solidPng(40, 40);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up12-idle-01', png.length);
    await sendChunks(guest, uploadId, png, 0, 20);
    clock += 16 * 60_000; // past the 15-minute idle timeout
    const late = await request(guest, 'upload:chunk', { uploadId, offset: 20, data: png.subarray(20, 40) });
    expect(codeOf(late)).toBe(ErrorCode.UploadExpired);
    expect(await server.partialPieces()).toBe(0);
    const fresh = await begin(guest, 'up12-idle-01', png.length);
    expect(fresh.ok && fresh.value).toEqual(jasmine.objectContaining({ state: 'open', offset: 0 }));
  });

  it('UP12: expires an upload past its absolute deadline even while it keeps sending', async () => {
    const jpeg = await noiseJpeg();
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up12-deadln', jpeg.length);
    let offset = 0;
    let last: Result<{ offset: number }> | null = null;
    for (let minutes = 0; minutes <= 130; minutes += 10) {
      clock += 10 * 60_000; // busy: never idle for 15 minutes
      last = await request<{ offset: number }>(guest, 'upload:chunk', { uploadId, offset, data: jpeg.subarray(offset, offset + 1000) });
      if (!last.ok) break;
      offset = last.value.offset;
    }
    expect(last && codeOf(last)).toBe(ErrorCode.UploadExpired);
    expect(offset).toBeGreaterThan(0);
    expect(await server.store.getUpload(uploadId)).toBeNull();
  });

  it('UP12: sweeps idle uploads with their bytes, and leaves fresh ones', async () => {
    const guest = await client();
    const png = await solidPng(8, 8);
    const idle = await beginUpload(guest, 'up12-sweep01', 100);
    await sendChunks(guest, idle, png, 0, 20);
    expect(await server.app.uploads.sweep()).toBe(0);
    clock += 16 * 60_000;
    const fresh = await beginUpload(guest, 'up12-sweep02', 100);
    expect(await server.app.uploads.sweep()).toBe(1);
    expect(await server.store.getUpload(idle)).toBeNull();
    expect(await server.store.getUpload(fresh)).not.toBeNull();
    expect(await server.partialPieces()).toBe(0);
  });

  it('UP13: answers a chunk or abort after the commit with UPLOAD_COMMITTED', async () => {
    const png = await solidPng(20, 20);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up13-late-01', png.length);
    await sendChunks(guest, uploadId, png);
    await request(guest, 'upload:commit', { uploadId });
    expect(codeOf(await request(guest, 'upload:chunk', { uploadId, offset: 0, data: png }))).toBe(ErrorCode.UploadCommitted);
    expect(codeOf(await request(guest, 'upload:abort', { uploadId }))).toBe(ErrorCode.UploadCommitted);
    expect((await server.store.listPhotos(10)).length).toBe(1);
  });

  it('UP14: frees everything on abort', async () => {
    const png = await solidPng(50, 50);
    const guest = await client();
    const uploadId = await beginUpload(guest, 'up14-abort01', png.length);
    await sendChunks(guest, uploadId, png, 0, 40);
    expect(await request(guest, 'upload:abort', { uploadId })).toEqual({ ok: true, value: null });
    expect(await server.store.getUpload(uploadId)).toBeNull();
    expect(await server.partialPieces()).toBe(0);
    expect(codeOf(await request(guest, 'upload:chunk', { uploadId, offset: 40, data: png.subarray(40) }))).toBe(ErrorCode.UploadNotFound);
  });

  it('UP15: limits a guest to six open uploads, still lets them resume one, and frees a slot on commit', async () => {
    const guest = await client();
    const png = await solidPng(10, 10);
    const ids = [];
    for (let i = 1; i <= 6; i++) ids.push(await beginUpload(guest, `up15-limit-${i}`, png.length));
    expect(codeOf(await begin(guest, 'up15-limit-7', png.length))).toBe(ErrorCode.TooManyUploads);
    expect(codeOf(await begin(await client(), 'up15-other-1', png.length))).withContext('another guest').toBe('ok');
    expect(codeOf(await begin(guest, 'up15-limit-3', png.length))).withContext('resume').toBe('ok');
    await sendChunks(guest, ids[0]!, png);
    await request(guest, 'upload:commit', { uploadId: ids[0] });
    expect(codeOf(await begin(guest, 'up15-limit-7', png.length))).toBe('ok');
  });

  it('UP16: refuses begin and commit while paused with the host message, keeps the bytes, and tells every page', async () => {
    const guest = await client();
    const settingsSeen: UploadSettings[] = [];
    guest.on('settings:changed', (s) => settingsSeen.push(s));
    const png = await solidPng(25, 25);
    const uploadId = await beginUpload(guest, 'up16-pause01', png.length);
    await sendChunks(guest, uploadId, png, 0, 30);

    await server.app.settings.pauseUploads('Speeches now — back at 9!');
    const refused = await begin(guest, 'up16-pause02', png.length);
    expect(refused).toEqual({ ok: false, error: { code: ErrorCode.UploadsPaused, message: 'Speeches now — back at 9!' } });
    expect(codeOf(await sendChunks(guest, uploadId, png, 30))).withContext('chunks keep flowing').toBe('ok');
    expect(codeOf(await request(guest, 'upload:commit', { uploadId }))).toBe(ErrorCode.UploadsPaused);
    expect(settingsSeen.at(-1)).toEqual(jasmine.objectContaining({ paused: true, pauseMessage: 'Speeches now — back at 9!' }));

    expect((await settingsOf(await client())).paused).withContext('a page that connects later').toBeTrue();

    await server.app.settings.resumeUploads();
    expect(codeOf(await request(guest, 'upload:commit', { uploadId }))).toBe('ok');
    expect(settingsSeen.at(-1)).toEqual(jasmine.objectContaining({ paused: false, pauseMessage: '' }));
  });

  it('UP16: sends each new socket the limits its page must respect', async () => {
    expect(await settingsOf(await client())).toEqual(
      jasmine.objectContaining({
        paused: false,
        pauseMessage: '',
        downscaleAboveBytes: 8 * 1024 * 1024,
        downscaleMaxEdge: 4096,
        maxUploadBytes: 50 * 1024 * 1024,
      }),
    );
  });

  it('stores a real camera photo through the whole protocol without GPS', async () => {
    const guest = await client();
    const jpeg = await sidewaysJpegWithGps();
    const uploadId = await beginUpload(guest, 'whole-photo1', jpeg.length);
    await sendChunks(guest, uploadId, jpeg);
    const photo = await request<PhotoDto>(guest, 'upload:commit', { uploadId });
    expect(photo.ok && [photo.value.width, photo.value.height]).toEqual([400, 600]);
  });
});
