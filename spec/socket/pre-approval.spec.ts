/** Pre-approval (issue 10): new photos wait for the host; walls see them only once approved. */
import type { MyPhotoDto, PhotoDto, WallSnapshot } from '@photobook/shared';
import { noisyJpeg } from '../fixtures/hostile-files';
import { guestCookie, request, uploadFile, useServerWithGuests } from '../fixtures/server';

describe('pre-approval', () => {
  const suite = useServerWithGuests();

  it('keeps a new photo off every wall until the host approves it, then shows it within a second', async () => {
    expect((await suite.server.app.settings.requireApproval(true)).ok).toBeTrue();
    const wall = await suite.connect(guestCookie().cookie);
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    const added: PhotoDto[] = [];
    const updated: PhotoDto[] = [];
    wall.on('photo:added', (p) => added.push(p));
    wall.on('photo:updated', (p) => updated.push(p));

    const owner = guestCookie().cookie;
    const guest = await suite.connect(owner);
    const uploaded = await uploadFile(guest, await noisyJpeg(300, 200), { caption: 'Waiting' });
    if (!uploaded.ok) throw new Error(uploaded.error.code);
    const mine = await request<MyPhotoDto[]>(await suite.connect(owner), 'mine:list', {});
    expect(mine.ok && mine.value.map((p) => p.state)).withContext('the guest sees it waiting').toEqual(['pending']);
    const lateWall = await suite.connect(guestCookie().cookie);
    const snapshot = await request<WallSnapshot>(lateWall, 'wall:join', { sinceSeq: null });
    expect(snapshot.ok && snapshot.value.photos).withContext('a wall joining now').toEqual([]);
    expect((await fetch(suite.server.url + uploaded.value.displayUrl)).status).withContext('its image').toBe(404);
    await new Promise((r) => setTimeout(r, 100));
    expect(added).toEqual([]);

    const approvedAt = Date.now();
    const shown = new Promise<PhotoDto>((resolve) => wall.once('photo:updated', resolve));
    expect((await suite.server.app.photos.moderate({ id: uploaded.value.id, state: 'visible' })).ok).toBeTrue();
    expect((await shown).caption).toBe('Waiting');
    expect(Date.now() - approvedAt).toBeLessThan(1000);
    expect((await fetch(suite.server.url + uploaded.value.displayUrl)).status).toBe(200);
  });

  it('puts photos straight on the wall again once pre-approval is off', async () => {
    await suite.server.app.settings.requireApproval(true);
    await suite.server.app.settings.requireApproval(false);
    const guest = await suite.connect(guestCookie().cookie);
    const uploaded = await uploadFile(guest, await noisyJpeg(200, 200));
    expect(uploaded.ok && (await suite.server.store.getPhoto(uploaded.value.id))?.state).toBe('visible');
  });

  it('refuses a state that is not one, and a photo id that is not one', async () => {
    expect((await suite.server.app.photos.moderate({ id: 'noSuchPhoto1', state: 'visible' })).ok).toBeFalse();
    expect((await suite.server.app.photos.moderate({ id: 'noSuchPhoto1', state: 'removed' })).ok).toBeFalse();
    expect((await suite.server.app.settings.requireApproval('yes')).ok).toBeFalse();
  });
});

describe('blocking an uploader', () => {
  const suite = useServerWithGuests();

  it('refuses the blocked guest’s next begin with GUEST_BLOCKED and can take all their photos off the walls at once', async () => {
    const wall = await suite.connect(guestCookie().cookie);
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    const pest = await suite.connect(guestCookie().cookie);
    const first = await uploadFile(pest, await noisyJpeg(200, 150));
    const second = await uploadFile(pest, await noisyJpeg(150, 200));
    const other = await suite.connect(guestCookie().cookie);
    const fine = await uploadFile(other, await noisyJpeg(180, 180));
    if (!first.ok || !second.ok || !fine.ok) throw new Error('upload failed');
    const removed: string[] = [];
    wall.on('photo:removed', (p) => removed.push(p.id));

    const blocked = await suite.server.app.photos.blockUploader({ id: first.value.id, hide: true });
    expect(blocked.ok && blocked.value.hidden).toBe(2);
    const begin = await request(pest, 'upload:begin', { clientUploadId: 'blocked-begin-1', name: 'a.jpg', size: 1000, type: 'image/jpeg' });
    expect(begin.ok ? 'ok' : begin.error.code).toBe('GUEST_BLOCKED');
    await new Promise((r) => setTimeout(r, 100));
    expect(removed.sort()).toEqual([first.value.id, second.value.id].sort());
    expect((await suite.server.store.listPhotos(10)).map((p) => p.id)).toEqual([fine.value.id]);
    const still = await request(other, 'upload:begin', { clientUploadId: 'not-blocked-01', name: 'b.jpg', size: 1000, type: 'image/jpeg' });
    expect(still.ok).withContext('other guests upload as before').toBeTrue();
  });
});
