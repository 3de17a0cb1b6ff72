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
