/** The console's live side (issue 10): event settings reach every page, photos reach every console. */
import { io as connect, type Socket } from 'socket.io-client';
import {
  ADMIN_NAMESPACE,
  ADMIN_SESSION_PATH,
  ErrorCode,
  type AdminChanges,
  type AdminClientToServerEvents,
  type AdminPhotoDto,
  type AdminPhotoPage,
  type AdminServerToClientEvents,
  type AdminStateDto,
  type AdminStats,
  type PublicSettings,
  type WallSnapshot,
} from '@photobook/shared';
import { noisyJpeg } from '../fixtures/hostile-files';
import { connectClient, guestCookie, request, settingsOf, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';

type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;
const PASSWORD = 'console-spec-password-123';
const MB = 1024 * 1024;

describe('The admin console, live', () => {
  let server: TestServer;
  const sockets: Array<AdminSocket | TestSocket> = [];

  beforeEach(async () => {
    server = await startTestServer({ adminPassword: PASSWORD });
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  async function consoleSocket(): Promise<TestSocket> {
    const res = await fetch(server.url + ADMIN_SESSION_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pb_admin='))!.split(';')[0]!;
    const socket: AdminSocket = connect(server.url + ADMIN_NAMESPACE, { forceNew: true, reconnection: false, extraHeaders: { cookie } });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    // The fixtures' request() is typed for the guest namespace; the wire is the same.
    return socket as unknown as TestSocket;
  }

  async function page(): Promise<TestSocket> {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    sockets.push(socket);
    return socket;
  }

  const nextSettings = (socket: TestSocket) => new Promise<PublicSettings>((resolve) => socket.once('settings:changed', (s) => resolve(s as PublicSettings)));

  it('sends a settings change to walls and guests connected before, and to pages that connect after', async () => {
    const wall = await page();
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    const guest = await page();
    await settingsOf(wall);
    await settingsOf(guest);
    const admin = await consoleSocket();
    const otherConsole = await consoleSocket();
    const consoleTold = new Promise<AdminStateDto>((resolve) => (otherConsole as unknown as AdminSocket).once('state:changed', resolve));
    const [toWall, toGuest] = [nextSettings(wall), nextSettings(guest)];

    const changed = await request<AdminStateDto>(admin, 'admin:settings', {
      title: 'Anna & Ben’s wedding',
      wall: { showCaptions: false, layout: 'mosaic', slideSeconds: 5 },
      maxUploadMb: 2,
      downscaleAboveMb: null,
    });
    expect(changed.ok).toBeTrue();
    for (const seen of [await toWall, await toGuest, await settingsOf(await page())]) {
      expect(seen).toEqual(
        jasmine.objectContaining({
          title: 'Anna & Ben’s wedding',
          maxUploadBytes: 2 * MB,
          downscaleAboveBytes: null,
          wall: jasmine.objectContaining({ showCaptions: false, layout: 'mosaic', slideSeconds: 5, showQr: true }),
        }),
      );
    }
    expect((await consoleTold).settings.title).withContext('another console').toBe('Anna & Ben’s wedding');
    const state = await request<AdminStateDto>(admin, 'admin:state', {});
    expect(state.ok && state.value.settings.wall.layout).withContext('kept in the store').toBe('mosaic');
  });

  it('enforces the host’s largest size and uploads per guest on the next begin', async () => {
    const admin = await consoleSocket();
    expect((await request(admin, 'admin:settings', { maxUploadMb: 1, uploadsPerGuest: 1 })).ok).toBeTrue();
    const guest = await page();
    const begin = (id: string, size: number) =>
      request(guest, 'upload:begin', { clientUploadId: id, name: 'a.jpg', size, type: 'image/jpeg', caption: '', author: '' });
    expect(await begin('too-big-photo', 2 * MB)).toEqual(jasmine.objectContaining({ ok: false, error: jasmine.objectContaining({ code: ErrorCode.TooLarge }) }));
    expect((await begin('first-photo-1', 1000)).ok).toBeTrue();
    const second = await begin('second-photo', 1000);
    expect(second.ok ? 'ok' : second.error.code).toBe(ErrorCode.TooManyUploads);
    expect((await request(admin, 'admin:settings', { uploadsPerGuest: 2 })).ok).toBeTrue();
    expect((await begin('second-photo', 1000)).ok).withContext('after the host raised it').toBeTrue();
  });

  it('saves only what the host chose, so the other fields keep following the server’s configuration', async () => {
    const admin = await consoleSocket();
    expect((await request(admin, 'admin:settings', { wall: { layout: 'mixed' }, title: '  Gala  ' })).ok).toBeTrue();
    expect((await server.store.readSettings()).event).toEqual({ wall: { layout: 'mixed' }, title: 'Gala' });
    expect((await request(admin, 'admin:settings', { wall: { showQr: false } })).ok).toBeTrue();
    expect((await server.store.readSettings()).event).toEqual({ wall: { layout: 'mixed', showQr: false }, title: 'Gala' });
  });

  it('refuses a bad settings change as a whole, naming the field', async () => {
    const admin = await consoleSocket();
    for (const patch of [
      { title: 'ok', maxUploadMb: 10_000 },
      { wall: { layout: 'carousel' } },
      { wall: { slideSeconds: 0.5 } },
      { uploadsPerGuest: -1 },
      { titel: 'typo' },
      { title: 'x'.repeat(81) },
      'not an object',
    ]) {
      const refused = await request(admin, 'admin:settings', patch);
      expect(refused.ok ? 'ok' : refused.error.code).withContext(JSON.stringify(patch)).toBe(ErrorCode.BadRequest);
    }
    const state = await request<AdminStateDto>(admin, 'admin:state', {});
    expect(state.ok && state.value.settings.title).withContext('nothing half-applied').toBe('');
  });

  it('tells consoles of a new photo, which they fetch with the guest’s alias and no id of theirs', async () => {
    const admin = await consoleSocket();
    const initial = await request<AdminPhotoPage>(admin, 'admin:photos', { state: 'all', search: '', guest: null, cursor: null, limit: 10 });
    if (!initial.ok) throw new Error(initial.error.code);
    const hinted = new Promise<{ seq: number }>((resolve) => (admin as unknown as AdminSocket).once('photos:changed', resolve));
    const [anna, ben] = [await page(), await page()];
    expect((await uploadFile(anna, await noisyJpeg(160, 120), { caption: 'First dance', author: 'Anna' })).ok).toBeTrue();
    await hinted;
    expect((await uploadFile(ben, await noisyJpeg(160, 120), { caption: 'Cake 100%', author: 'Ben' })).ok).toBeTrue();
    expect((await uploadFile(anna, await noisyJpeg(160, 120), { caption: 'Sunset', author: 'Anna' })).ok).toBeTrue();

    const changes = await request<AdminChanges>(admin, 'admin:changes', { sinceSeq: initial.value.seq });
    if (!changes.ok) throw new Error(changes.error.code);
    expect(changes.value.photos.map((p) => [p.caption, p.guest])).toEqual([['First dance', 1], ['Cake 100%', 2], ['Sunset', 1]]);
    const json = JSON.stringify(changes.value);
    for (const photo of await server.store.listPhotos(10)) expect(json).not.toContain(photo.ownerId);
    expect(changes.value.photos.every((p) => p.thumbUrl.startsWith('/api/admin/media/'))).toBeTrue();

    const search = await request<AdminPhotoPage>(admin, 'admin:photos', { state: 'all', search: '100%', guest: null, cursor: null, limit: 10 });
    expect(search.ok && search.value.photos.map((p) => p.caption)).withContext('search is literal').toEqual(['Cake 100%']);
    const annas = await request<AdminPhotoPage>(admin, 'admin:photos', { state: 'visible', search: '', guest: 1, cursor: null, limit: 1 });
    if (!annas.ok) throw new Error(annas.error.code);
    expect(annas.value.photos.map((p) => p.caption)).toEqual(['Sunset']);
    const more = await request<AdminPhotoPage>(admin, 'admin:photos', { state: 'visible', search: '', guest: 1, cursor: annas.value.next, limit: 1 });
    expect(more.ok && more.value.photos.map((p) => p.caption)).withContext('the next page').toEqual(['First dance']);
    const bad = await request(admin, 'admin:photos', { state: 'all', search: '', guest: null, cursor: 'x; DROP', limit: 10 });
    expect(bad.ok ? 'ok' : bad.error.code).toBe(ErrorCode.BadRequest);
  });

  it('hides many photos at once, and every wall drops them', async () => {
    const admin = await consoleSocket();
    const guest = await page();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      // Different sizes: the same bytes would share one thumb, visible through the photo left on the wall.
      const uploaded = await uploadFile(guest, await noisyJpeg(120 + i * 8, 90), { caption: `Photo ${i}` });
      if (!uploaded.ok) throw new Error(uploaded.error.code);
      ids.push(uploaded.value.id);
    }
    const wall = await page();
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    const dropped: string[] = [];
    wall.on('photo:removed', (p) => dropped.push(p.id));
    const bulk = await request<{ changed: number }>(admin, 'admin:bulk', { ids: [ids[0], ids[2], 'unknown-photo-id'], action: 'hidden' });
    expect(bulk).toEqual({ ok: true, value: { changed: 2 } });
    await new Promise((r) => setTimeout(r, 200));
    expect(dropped.sort()).toEqual([ids[0]!, ids[2]!].sort());
    const hidden = await request<AdminPhotoPage>(admin, 'admin:photos', { state: 'hidden', search: '', guest: null, cursor: null, limit: 10 });
    expect(hidden.ok && hidden.value.photos.length).toBe(2);
    const thumb = hidden.ok ? hidden.value.photos[0]!.thumbUrl : '';
    const key = thumb.split('/').pop();
    expect((await fetch(`${server.url}/media/${key}`)).status).withContext('a hidden photo is not public').toBe(404);
    const tooMany = await request(admin, 'admin:bulk', { ids: Array.from({ length: 501 }, (_, i) => `photo-id-${i}`), action: 'hidden' });
    expect(tooMany.ok ? 'ok' : tooMany.error.code).toBe(ErrorCode.BadRequest);
  });

  it('blocks and unblocks a guest by one of their photos', async () => {
    const admin = await consoleSocket();
    const guest = await page();
    const uploaded = await uploadFile(guest, await noisyJpeg(120, 90));
    if (!uploaded.ok) throw new Error(uploaded.error.code);
    await request(admin, 'admin:block', { id: uploaded.value.id });
    const page1 = await request<AdminPhotoPage>(admin, 'admin:photos', { state: 'all', search: '', guest: null, cursor: null, limit: 10 });
    expect(page1.ok && page1.value.photos.map((p: AdminPhotoDto) => p.guestBlocked)).toEqual([true]);
    const refused = await uploadFile(guest, await noisyJpeg(120, 90));
    expect(refused.ok ? 'ok' : refused.error.code).toBe(ErrorCode.GuestBlocked);
    expect(await request(admin, 'admin:unblock', { id: uploaded.value.id })).toEqual({ ok: true, value: null });
    expect((await uploadFile(guest, await noisyJpeg(120, 90))).ok).withContext('after unblock').toBeTrue();
    const stats = await request<AdminStats>(admin, 'admin:stats', {});
    expect(stats.ok && [stats.value.photos.visible, stats.value.guests]).toEqual([2, 1]);
    expect(stats.ok && stats.value.storage.usedBytes).toBeGreaterThan(0);
  });
});
