/**
 * What walls are told: the uploader's guest number on every photo (so a wall can give each guest a
 * turn), and whether a join's snapshot is a fresh window or a list of changes, with the wall's total.
 */
import type { PhotoDto, WallSnapshot } from '@photobook/shared';
import { WALL_SNAPSHOT_LIMIT } from '@photobook/shared';
import { WALL_CATCH_UP_LIMIT } from '../../server/photos/wall-service';
import { solidPng } from '../fixtures/images';
import { guestCookie, request, uploadFile, useServerWithGuests, type TestSocket } from '../fixtures/server';
import { storePhoto, storePhotos } from '../fixtures/wall-photos';

describe('wall snapshots and guest numbers', () => {
  const suite = useServerWithGuests();

  async function join(wall: TestSocket, sinceSeq: number | null): Promise<WallSnapshot> {
    const joined = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq });
    if (!joined.ok) throw new Error(`wall:join failed: ${joined.error.message}`);
    return joined.value;
  }

  it('numbers photos by guest on photo:added, photo:updated, snapshots and pages, and never sends the owner id', async () => {
    const received: unknown[] = [];
    const wall = await suite.connect();
    wall.onAny((event: string, ...args: unknown[]) => received.push([event, ...args]));
    const before = await join(wall, null);
    const added: PhotoDto[] = [];
    const arrived = new Promise<void>((resolve) =>
      wall.on('photo:added', (photo) => {
        added.push(photo);
        if (added.length === 3) resolve();
      }),
    );
    const ana = guestCookie();
    const ben = guestCookie();
    const anaSocket = await suite.connect(ana.cookie);
    const benSocket = await suite.connect(ben.cookie);
    const uploads = [
      await uploadFile(anaSocket, await solidPng(30, 20), { caption: 'Ana 1' }),
      await uploadFile(benSocket, await solidPng(31, 20), { caption: 'Ben 1' }),
      await uploadFile(anaSocket, await solidPng(32, 20), { caption: 'Ana 2' }),
    ];
    const [ana1, ben1, ana2] = uploads.map((u) => {
      if (!u.ok) throw new Error(`upload failed: ${u.error.message}`);
      return u.value;
    }) as [PhotoDto, PhotoDto, PhotoDto];
    await arrived;

    expect(ana1.guest).toBeGreaterThan(0);
    expect(ben1.guest).toBeGreaterThan(0);
    expect(ana2.guest).withContext('one guest, one number').toBe(ana1.guest);
    expect(ben1.guest).withContext('another guest, another number').not.toBe(ana1.guest);
    const numbered = (photos: readonly PhotoDto[]) => photos.map((p) => [p.id, p.guest]);
    // Snapshots list by feed position (the edit moves a photo up); only the numbers matter here.
    const byId = (photos: readonly PhotoDto[]) => numbered([...photos].sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(numbered(added)).withContext('photo:added').toEqual(numbered([ana1, ben1, ana2]));

    const updated = new Promise<PhotoDto>((resolve) => wall.once('photo:updated', resolve));
    await request(anaSocket, 'photo:update', { id: ana1.id, caption: 'Ana 1, edited' });
    expect((await updated).guest).withContext('photo:updated').toBe(ana1.guest);

    const fresh = await join(await suite.connect(), null);
    expect(byId(fresh.photos)).withContext('a first join').toEqual(byId([ana1, ben1, ana2]));
    const delta = await join(wall, before.seq);
    expect(byId(delta.photos)).withContext('a rejoin').toEqual(byId([ana1, ben1, ana2]));
    received.push(fresh, delta);
    const page = await request<{ photos: PhotoDto[] }>(wall, 'wall:page', { cursor: null, limit: 10 });
    expect(page.ok && numbered(page.value.photos)).withContext('wall:page').toEqual(numbered([ana2, ben1, ana1]));
    received.push(page);

    const everything = JSON.stringify(received);
    expect(everything).toContain('Ana 1, edited');
    for (const { uid } of [ana, ben]) {
      expect(everything.includes(uid)).withContext('guest id').toBeFalse();
      expect(everything.includes(suite.server.app.ownerKeys.keyOf(uid))).withContext('owner key').toBeFalse();
    }
  });

  it('marks a first join as the full window, with the count of visible photos only', async () => {
    const store = suite.server.store;
    const visible = await storePhotos(store, 3);
    for (const state of ['pending', 'hidden', 'removed'] as const) await storePhoto(store, { state });
    const snapshot = await join(await suite.connect(), null);
    expect(snapshot).toEqual(jasmine.objectContaining({ full: true, total: 3, removed: [], seq: await store.currentSeq() }));
    expect(snapshot.photos.map((p) => p.id)).toEqual(visible.map((p) => p.id).reverse());
  });

  it('gives a first join the newest photos up to the limit it asks for, and refuses a bad limit', async () => {
    const stored = await storePhotos(suite.server.store, 5);
    const wall = await suite.connect();
    const small = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null, limit: 2 });
    expect(small.ok && small.value).toEqual(jasmine.objectContaining({ full: true, total: 5 }));
    expect(small.ok && small.value.photos.map((p) => p.id)).toEqual(stored.slice(-2).map((p) => p.id).reverse());
    const whole = await join(wall, null);
    expect(whole.photos.length).withContext('no limit: the default window').toBe(5);
    for (const limit of [0, WALL_SNAPSHOT_LIMIT + 1, 'all']) {
      const refused = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null, limit } as never);
      expect(!refused.ok && refused.error.code).withContext(String(limit)).toBe('BAD_REQUEST');
    }
  });

  it('marks a rejoin that missed little as a delta, with the total now', async () => {
    const store = suite.server.store;
    const [gone] = await storePhotos(store, 3);
    const wall = await suite.connect();
    const first = await join(wall, null);
    const later = await storePhotos(store, 2);
    await store.removePhoto(gone!.id, { kind: 'host' });
    const rejoin = await join(wall, first.seq);
    expect(rejoin).toEqual(jasmine.objectContaining({ full: false, total: 4, removed: [gone!.id] }));
    expect(rejoin.photos.map((p) => p.id)).toEqual(later.map((p) => p.id).reverse());
  });

  it(`sends a fresh full window to a wall that missed ${WALL_CATCH_UP_LIMIT} changes or more`, async () => {
    const store = suite.server.store;
    await storePhotos(store, 3);
    const wall = await suite.connect();
    const first = await join(wall, null);
    await storePhotos(store, WALL_CATCH_UP_LIMIT - 1);
    const justEnough = await join(wall, first.seq);
    expect([justEnough.full, justEnough.photos.length]).withContext('one change short of the limit').toEqual([false, WALL_CATCH_UP_LIMIT - 1]);
    const last = await storePhoto(store);
    const tooMuch = await join(wall, first.seq);
    expect(tooMuch).toEqual(jasmine.objectContaining({ full: true, removed: [], total: 3 + WALL_CATCH_UP_LIMIT, seq: last.seq }));
    expect(tooMuch.photos.length).toBe(WALL_SNAPSHOT_LIMIT);
    expect(tooMuch.photos[0]!.id).toBe(last.id);
  }, 300_000); // 500 photos stored one by one: on FerretDB, whose queries scan the collection, a minute or two
});
