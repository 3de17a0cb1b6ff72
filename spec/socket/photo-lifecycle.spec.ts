/** Editing and deleting one's own photos over Socket.IO, live on walls and on the owner's other tabs. */
import { ErrorCode, type MyPhotoDto, type PhotoDto, type PhotoRemovedDto, type WallSnapshot } from '@photobook/shared';
import { noisyJpeg } from '../fixtures/hostile-files';
import { connectClient, guestCookie, request, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('the photo lifecycle over Socket.IO', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const connect = async (cookie: string) => {
    const socket = await connectClient(server.url, { cookie });
    sockets.push(socket);
    return socket;
  };
  let owner: { cookie: string; uid: string };
  let guest: TestSocket;
  let photo: PhotoDto;

  beforeEach(async () => {
    server = await startTestServer();
    owner = guestCookie();
    guest = await connect(owner.cookie);
    const uploaded = await uploadFile(guest, await noisyJpeg(320, 240), { caption: 'Fisrt dance', author: 'Ana' });
    if (!uploaded.ok) throw new Error(uploaded.error.code);
    photo = uploaded.value;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  const next = <T>(socket: TestSocket, event: string) =>
    new Promise<T>((resolve) => (socket as unknown as { once(e: string, f: (v: T) => void): void }).once(event, resolve));
  const joinWall = async () => {
    const wall = await connect(guestCookie().cookie);
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    return wall;
  };

  it('lets the owner fix a caption: walls get photo:updated and the owner’s other tab mine:updated', async () => {
    const wall = await joinWall();
    const otherTab = await connect(owner.cookie);
    const listed = await request<MyPhotoDto[]>(otherTab, 'mine:list', {});
    expect(listed.ok && listed.value.map((p) => [p.id, p.state])).toEqual([[photo.id, 'visible']]);
    const onWall = next<PhotoDto>(wall, 'photo:updated');
    const onTab = next<MyPhotoDto>(otherTab, 'mine:updated');
    const edited = await request<MyPhotoDto>(guest, 'photo:update', { id: photo.id, caption: 'First dance' });
    expect(edited.ok && edited.value.caption).toBe('First dance');
    expect((await onWall).caption).toBe('First dance');
    expect((await onTab).caption).toBe('First dance');
    expect((await onWall).seq).toBeGreaterThan(photo.seq);
  });

  it('answers a stranger’s edit or delete with NOT_FOUND, exactly like a missing photo, and changes nothing', async () => {
    const stranger = await connect(guestCookie().cookie);
    const wall = await joinWall();
    let told = 0;
    wall.on('photo:updated', () => told++);
    wall.on('photo:removed', () => told++);
    const attempts = [
      await request(stranger, 'photo:update', { id: photo.id, caption: 'mine now' }),
      await request(stranger, 'photo:remove', { id: photo.id }),
      await request(stranger, 'photo:update', { id: 'noSuchPhoto99', caption: 'x' }),
      await request(stranger, 'photo:remove', { id: 'noSuchPhoto99' }),
    ];
    expect(attempts.map(code)).toEqual(Array(4).fill(ErrorCode.NotFound));
    expect(attempts.map((r) => (r.ok ? '' : r.error.message))).toEqual(Array(4).fill(attempts[0]!.ok ? '' : attempts[0]!.error.message));
    const mine = await request<MyPhotoDto[]>(stranger, 'mine:list', {});
    expect(mine.ok && mine.value).toEqual([]);
    expect((await server.store.getPhoto(photo.id))?.caption).toBe('Fisrt dance');
    expect(told).toBe(0);
  });

  it('refuses edits of the wrong shape with their own codes', async () => {
    const cases: Array<[unknown, string]> = [
      [{ id: { $ne: null }, caption: 'x' }, ErrorCode.BadRequest],
      [{ id: [photo.id], caption: 'x' }, ErrorCode.BadRequest],
      [{ id: photo.id }, ErrorCode.BadRequest],
      [{ id: photo.id, caption: { $set: 'x' } }, ErrorCode.BadRequest],
      [{ id: photo.id, caption: 'a'.repeat(501) }, ErrorCode.CaptionTooLong],
      [{ id: photo.id, author: 'b'.repeat(61) }, ErrorCode.AuthorTooLong],
      [{ id: photo.id, caption: `Z${'\u0301'.repeat(40)}` }, ErrorCode.TooManyMarks],
      ['not an object', ErrorCode.BadRequest],
    ];
    for (const [payload, expected] of cases) {
      expect(code(await request(guest, 'photo:update', payload))).withContext(JSON.stringify(payload).slice(0, 60)).toBe(expected);
    }
    expect(code(await request(guest, 'photo:remove', { id: { $gt: '' } }))).toBe(ErrorCode.BadRequest);
    expect((await server.store.getPhoto(photo.id))?.caption).toBe('Fisrt dance');
  });

  it('deletes a photo: walls and other tabs are told once, its images answer 404, a second delete is ok', async () => {
    const wall = await joinWall();
    const otherTab = await connect(owner.cookie);
    await request(otherTab, 'mine:list', {});
    const leftWall = next<PhotoRemovedDto>(wall, 'photo:removed');
    const leftTab = next<PhotoRemovedDto>(otherTab, 'mine:removed');
    expect(code(await request(guest, 'photo:remove', { id: photo.id }))).toBe('ok');
    expect((await leftWall).id).toBe(photo.id);
    expect((await leftTab).id).toBe(photo.id);
    for (const url of [photo.displayUrl, photo.thumbUrl]) expect((await fetch(server.url + url)).status).withContext(url).toBe(404);
    let again = 0;
    wall.on('photo:removed', () => again++);
    expect(code(await request(guest, 'photo:remove', { id: photo.id }))).toBe('ok');
    await new Promise((r) => setTimeout(r, 50));
    expect(again).withContext('a second delete tells nobody').toBe(0);
  });

  it('brings a wall that was away during an edit and a delete to exactly the right photos on rejoin', async () => {
    const second = await uploadFile(guest, await noisyJpeg(240, 320), { caption: 'Cake' });
    if (!second.ok) throw new Error(second.error.code);
    const wall = await connect(guestCookie().cookie);
    const first = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    if (!first.ok) throw new Error(first.error.code);
    wall.disconnect();
    await request(guest, 'photo:update', { id: second.value.id, caption: 'The cake' });
    await request(guest, 'photo:remove', { id: photo.id });
    const back = await connect(guestCookie().cookie);
    const rejoin = await request<WallSnapshot>(back, 'wall:join', { sinceSeq: first.value.seq });
    if (!rejoin.ok) throw new Error(rejoin.error.code);
    expect(rejoin.value.photos.map((p) => [p.id, p.caption])).toEqual([[second.value.id, 'The cake']]);
    expect(rejoin.value.removed).toEqual([photo.id]);
  });

  it('tells the owner’s listing tabs about a new upload from another tab', async () => {
    const otherTab = await connect(owner.cookie);
    await request(otherTab, 'mine:list', {});
    const added = next<MyPhotoDto>(otherTab, 'mine:updated');
    const uploaded = await uploadFile(guest, await noisyJpeg(200, 200), { caption: 'Another' });
    expect((await added).id).toBe(uploaded.ok ? uploaded.value.id : '');
  });
});
