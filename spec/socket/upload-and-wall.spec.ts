import { ErrorCode, type PhotoDto, type WallSnapshot } from '@photobook/shared';
import { metadataBlocks } from '../fixtures/exif';
import { sidewaysJpegWithGps, solidPng } from '../fixtures/images';
import {
  connectClient,
  request,
  startTestServer,
  uploadFile,
  type TestServer,
  type TestSocket,
} from '../fixtures/server';

describe('uploads and the live wall over Socket.IO', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const client = async (headers: Record<string, string> = {}) => {
    const socket = await connectClient(server.url, headers);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  function nextPhoto(socket: TestSocket): Promise<PhotoDto> {
    return new Promise((resolve) => socket.once('photo:added', resolve));
  }

  it('shows a guest photo on a joined wall as photo:added, with no owner id in the payload', async () => {
    const wall = await client();
    const joined = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    expect(joined).toEqual({ ok: true, value: { photos: [], removed: [], seq: 0, full: true, total: 0 } });
    const arrived = nextPhoto(wall);

    const guest = await client();
    const result = await uploadFile(guest, await sidewaysJpegWithGps(), { caption: 'Just married 💍', author: 'Ana' });
    if (!result.ok) fail(result.error);
    const photo = await arrived;
    expect(photo).toEqual(jasmine.objectContaining({ caption: 'Just married 💍', author: 'Ana', width: 400, height: 600 }));
    expect(result.ok && result.value.id).toBe(photo.id);
    expect(Object.keys(photo).sort()).toEqual(['author', 'caption', 'createdAt', 'displayUrl', 'guest', 'height', 'id', 'seq', 'thumbUrl', 'width']);
    const [record] = await server.store.listPhotos(1);
    expect(JSON.stringify(photo)).not.toContain(record!.ownerId);
  });

  it('serves the variants upright, without metadata, with their type, nosniff and immutable caching', async () => {
    const guest = await client();
    const result = await uploadFile(guest, await sidewaysJpegWithGps());
    if (!result.ok) return fail(result.error);
    for (const url of [result.value.displayUrl, result.value.thumbUrl]) {
      const response = await fetch(server.url + url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toContain('immutable');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(metadataBlocks(bytes)).toEqual([]);
    }
  });

  it('keeps the upload as sent, and the host’s archive copy made from it, out of public reach', async () => {
    const guest = await client();
    const result = await uploadFile(guest, await solidPng(64, 48));
    expect(result.ok).toBeTrue();
    const privateKey = async (kind: string) => (await server.store.listPhotos(1))[0]!.variants.find((v) => v.kind === kind)?.key;
    const source = await privateKey('source');
    await server.app.archive.idle();
    const original = await privateKey('original');
    expect(original).withContext('the archive copy replaced the source').toBeDefined();
    // Never served: 404 for a key of a served type, 400 for one no public variant can have (.png).
    for (const key of [source, original]) expect([400, 404]).toContain((await fetch(`${server.url}/media/${key}`)).status);
    expect((await fetch(`${server.url}/media/..%2Fphotobook.sqlite`)).status).toBe(400);
  });

  it('lets a rejoining wall catch up with only the photos it missed', async () => {
    const guest = await client();
    const first = await uploadFile(guest, await solidPng(40, 30));
    if (!first.ok) return fail(first.error);
    const second = await uploadFile(guest, await solidPng(41, 30));
    if (!second.ok) return fail(second.error);
    const wall = await client();
    const full = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    expect(full.ok && full.value.photos.map((p) => p.id)).toEqual([second.value.id, first.value.id]);
    const since = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: first.value.seq });
    expect(since.ok && since.value.photos.map((p) => p.id)).toEqual([second.value.id]);
    const hostile = await request(wall, 'wall:join', { sinceSeq: { $gt: 0 } });
    expect(hostile.ok ? null : hostile.error.code).toBe(ErrorCode.BadRequest);
  });

  it('refuses a socket handshake from a foreign page origin', async () => {
    await expectAsync(connectClient(server.url, { origin: 'https://evil.example' })).toBeRejected();
    const same = await client({ origin: server.url });
    expect(same.connected).toBeTrue();
  });

  it('keeps serving after hostile events without an ack or with garbage payloads', async () => {
    const guest = await client();
    const raw = guest as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('upload:begin', 'garbage');
    raw.emit('upload:chunk', null);
    const weird = await request(guest, 'upload:begin', { clientUploadId: { $ne: 1 } });
    expect(weird.ok ? null : weird.error.code).toBe(ErrorCode.BadRequest);
    expect((await uploadFile(guest, await solidPng(20, 20))).ok).toBeTrue();
  });
});
