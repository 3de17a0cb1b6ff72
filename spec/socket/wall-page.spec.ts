/** wall:page: a wall that cycles through the whole event pages through it, newest upload first. */
import { ErrorCode, WALL_PAGE_LIMIT, type PhotoDto, type Result, type WallPage } from '@photobook/shared';
import type { PhotoRecord } from '../../server/store/types';
import { solidPng } from '../fixtures/images';
import { request, uploadFile, useServerWithGuests, type TestSocket } from '../fixtures/server';
import { storePhoto } from '../fixtures/wall-photos';

/** Newest upload first, then the higher id. */
const wallOrder = (a: PhotoRecord, b: PhotoRecord) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe('wall:page', () => {
  const suite = useServerWithGuests();

  async function pageThrough(socket: TestSocket, limit: number): Promise<{ pages: number[]; ids: string[] }> {
    const pages: number[] = [];
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Result<WallPage> = await request<WallPage>(socket, 'wall:page', { cursor, limit });
      if (!page.ok) throw new Error(`wall:page failed: ${page.error.message}`);
      pages.push(page.value.photos.length);
      ids.push(...page.value.photos.map((p) => p.id));
      cursor = page.value.next;
      if (pages.length > 100) throw new Error('wall:page never ended');
    } while (cursor !== null);
    return { pages, ids };
  }

  it('pages through 25 visible photos ten at a time, newest upload first, missing none and repeating none', async () => {
    const store = suite.server.store;
    const visible: PhotoRecord[] = [];
    for (let i = 0; i < 25; i++) {
      // Every third photo shares its upload time with the one before: the id breaks the tie.
      visible.push(await storePhoto(store, { createdAt: 1_000_000 + Math.floor(i / 3) * 1_000 }));
      if (i % 5 === 0) await storePhoto(store, { state: (['pending', 'hidden', 'removed'] as const)[i % 3], createdAt: 1_000_000 + i * 500 });
    }
    const wall = await suite.connect();
    const paged = await pageThrough(wall, 10);
    expect(paged.pages).toEqual([10, 10, 5]);
    expect(paged.ids).toEqual([...visible].sort(wallOrder).map((p) => p.id));
    expect(new Set(paged.ids).size).toBe(25);
  });

  it('says the last page is the last even when it is full, and an empty wall has one empty page', async () => {
    const wall = await suite.connect();
    expect(await request<WallPage>(wall, 'wall:page', { cursor: null, limit: 10 })).toEqual({ ok: true, value: { photos: [], next: null } });
    for (let i = 0; i < 20; i++) await storePhoto(suite.server.store);
    expect((await pageThrough(wall, 10)).pages).toEqual([10, 10]);
    expect((await pageThrough(wall, 20)).pages).toEqual([20]);
    expect((await pageThrough(wall, WALL_PAGE_LIMIT)).pages).toEqual([20]);
  });

  it('goes on from a cursor whose photo left the wall meanwhile, and never shows photos that left', async () => {
    const store = suite.server.store;
    const photos: PhotoRecord[] = [];
    for (let i = 0; i < 6; i++) photos.push(await storePhoto(store, { createdAt: 5_000 + i }));
    const wall = await suite.connect();
    const first = await request<WallPage>(wall, 'wall:page', { cursor: null, limit: 3 });
    if (!first.ok) return fail(first.error);
    expect(first.value.photos.map((p) => p.id)).toEqual([photos[5]!.id, photos[4]!.id, photos[3]!.id]);
    await store.removePhoto(photos[3]!.id, { kind: 'host' });
    await store.updatePhoto(photos[1]!.id, { kind: 'host' }, { state: 'hidden' });
    const rest = await request<WallPage>(wall, 'wall:page', { cursor: first.value.next, limit: 3 });
    expect(rest.ok && rest.value).toEqual({ photos: [jasmine.objectContaining({ id: photos[2]!.id }), jasmine.objectContaining({ id: photos[0]!.id })], next: null });
  });

  it('answers any socket with wall photos as walls see them, without joining it to the live feed', async () => {
    const pager = await suite.connect();
    const wall = await suite.connect();
    await request(wall, 'wall:join', { sinceSeq: null });
    const added: PhotoDto[] = [];
    pager.on('photo:added', (photo) => added.push(photo));
    const page = await request<WallPage>(pager, 'wall:page', { cursor: null, limit: 5 });
    expect(page).toEqual({ ok: true, value: { photos: [], next: null } });

    const shown = new Promise<PhotoDto>((resolve) => wall.once('photo:added', resolve));
    const uploaded = await uploadFile(await suite.connect(), await solidPng(30, 20), { caption: 'Paged' });
    if (!uploaded.ok) return fail(uploaded.error);
    expect((await shown).id).toBe(uploaded.value.id);
    const again = await request<WallPage>(pager, 'wall:page', { cursor: null, limit: 5 });
    expect(again.ok && again.value.photos).toEqual([uploaded.value]);
    expect(added).withContext('wall:page joins no room').toEqual([]);
  });

  describe('refuses a request it cannot page with BAD_REQUEST and says what is wrong', () => {
    const cases: readonly [string, unknown, string][] = [
      ['no request at all', null, 'object'],
      ['text instead of a request', 'page please', 'object'],
      ['a list instead of a request', [null, 10], 'object'],
      ['no limit', { cursor: null }, 'limit'],
      ['a limit of 0', { cursor: null, limit: 0 }, 'limit'],
      ['a negative limit', { cursor: null, limit: -5 }, 'limit'],
      [`a limit above ${WALL_PAGE_LIMIT}`, { cursor: null, limit: WALL_PAGE_LIMIT + 1 }, 'limit'],
      ['a fractional limit', { cursor: null, limit: 2.5 }, 'limit'],
      ['a limit as text', { cursor: null, limit: '10' }, 'limit'],
      ['a cursor that is not one', { cursor: 'page-2', limit: 10 }, 'cursor'],
      ['a cursor with a short id', { cursor: '1000_abc', limit: 10 }, 'cursor'],
      ['a cursor with a query operator', { cursor: { $gt: '' }, limit: 10 }, 'cursor'],
      ['a cursor as a number', { cursor: 1000, limit: 10 }, 'cursor'],
    ];
    for (const [what, payload, mentions] of cases) {
      it(`such as ${what}`, async () => {
        const reply = await request(await suite.connect(), 'wall:page', payload);
        expect(reply.ok ? null : reply.error.code).toBe(ErrorCode.BadRequest);
        expect(reply.ok ? '' : reply.error.message).toContain(mentions);
      });
    }
  });
});
