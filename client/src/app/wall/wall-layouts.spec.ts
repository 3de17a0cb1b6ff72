import { WALL_PAGE_LIMIT, type PhotoDto } from '@photobook/shared';
import { NO_REPLY, photo } from '../../testing/fake-socket';
import { parseWallOptions } from './wall-options';
import { WallHarness } from './testing/wall-harness';
import type { WallShow } from './wall-show';

const photos = (from: number, to: number): PhotoDto[] => {
  const out: PhotoDto[] = [];
  for (let n = to; n >= from; n--) out.push(photo(n));
  return out;
};

/** The wall's layouts (slideshow, mosaic, mixed), switched live or by the address, and its bounded data window. */
describe('WallPage layouts and data window', () => {
  let wall: WallHarness;

  const show = () => (wall.fixture.componentInstance as unknown as { show: WallShow }).show;

  it('switches from slideshow to mosaic and back live when the host changes the layout', async () => {
    wall = new WallHarness();
    wall.snapshot = { photos: photos(1, 3), seq: 3 };
    const root = await wall.render();
    await wall.settings({ wall: { layout: 'slideshow' } });
    expect(wall.shownIds()).toEqual([photo(3).id]);

    await wall.settings({ wall: { layout: 'mosaic' } });
    expect(wall.layout()).toBe('mosaic');
    expect(wall.mode()).toBe('mosaic');
    expect([...wall.shownIds()].sort()).toEqual([1, 2, 3].map((n) => photo(n).id).sort());
    expect(root.querySelectorAll('figure[data-testid="wall-photo"] .caption').length).toBe(3);

    await wall.settings({ wall: { layout: 'slideshow' } });
    expect(wall.mode()).toBe('slideshow');
    expect(wall.shownIds().length).toBe(1);
  });

  it('lets ?layout= and ?seconds= on the address override the host for a quick test', async () => {
    wall = new WallHarness('?layout=mosaic&seconds=4&lowpower=1');
    wall.snapshot = { photos: photos(1, 20), seq: 20 };
    const root = await wall.render();
    await wall.settings({ wall: { layout: 'slideshow', slideSeconds: 30 } });
    expect(wall.layout()).toBe('mosaic');
    expect(show().slideMs()).toBe(4_000);
    expect(root.querySelector('main')?.classList).toContain('lowpower');
  });

  it('reads the address: a known layout, seconds (fractions allowed for a quick soak test), lowpower', () => {
    expect(parseWallOptions('?layout=mixed&seconds=0.3&lowpower=1')).toEqual({ layout: 'mixed', seconds: 0.3, lowPower: true, joinEvery: null, joinFor: null });
    expect(parseWallOptions('?layout=carousel&seconds=-4&lowpower=0')).toEqual({ layout: null, seconds: null, lowPower: false, joinEvery: null, joinFor: null });
    expect(parseWallOptions('?seconds=0.01').seconds).toBe(0.2);
    expect(parseWallOptions('?seconds=9999').seconds).toBe(120);
    expect(parseWallOptions('')).toEqual({ layout: null, seconds: null, lowPower: false, joinEvery: null, joinFor: null });
  });

  it('fills a 4x3 mosaic at most (one cell for the join card), swapping one tile at a time, and puts a new photo in at once, highlighted', async () => {
    wall = new WallHarness('?layout=mosaic&seconds=8');
    wall.snapshot = { photos: photos(1, 30), seq: 30 };
    const root = await wall.render();
    expect(wall.shownIds().length).toBe(11);
    expect(root.querySelector('app-wall-mosaic [data-testid="join-hint"]')).not.toBeNull();
    expect(root.querySelectorAll('[data-testid="join-hint"]').length).toBe(1);
    await wall.settings({ wall: { showQr: false } });
    await wall.wait(250);
    expect(wall.shownIds().length).toBe(12);
    const before = new Set(wall.shownIds());

    await wall.wait(4_000);
    const after = wall.shownIds();
    expect(after.length).toBe(12);
    expect(after.filter((id) => !before.has(id)).length).withContext('one tile swapped').toBe(1);

    wall.socket.serverAddPhoto(photo(31));
    await wall.settle();
    expect(wall.shownIds()).toContain(photo(31).id);
    expect(root.querySelector(`.tile.is-new [data-photo-id="${photo(31).id}"]`)).not.toBeNull();
    expect(root.querySelectorAll('app-wall-mosaic img').length).withContext('12 tiles, a fading ghost or two').toBeLessThanOrEqual(12 + 2);
  });

  it('mixed: alternates slideshow and mosaic stretches, and gives a new photo a slideshow moment', async () => {
    wall = new WallHarness('?layout=mixed&seconds=4');
    wall.snapshot = { photos: photos(1, 10), seq: 10 };
    await wall.render();
    expect(wall.mode()).toBe('slideshow');
    const modes = new Set<string | null>();
    for (let i = 0; i < 12; i++) {
      await wall.wait(2_000);
      modes.add(wall.mode());
    }
    expect(modes).toEqual(new Set(['slideshow', 'mosaic']));

    while (wall.mode() !== 'mosaic') await wall.wait(1_000);
    wall.socket.serverAddPhoto(photo(11));
    await wall.settle();
    expect(wall.mode()).toBe('slideshow');
    expect(wall.onStage()).toBe(photo(11).id);
    expect(wall.root.querySelector('.slide.is-new')).not.toBeNull();
  });

  it('cycles through 600 photos with at most 300 held, paging older ones in with wall:page, DOM bounded', async () => {
    wall = new WallHarness('?layout=mosaic&seconds=2');
    const all = photos(1, 600);
    wall.snapshot = { photos: all.slice(0, 200), seq: 600, total: 600 };
    wall.page = ({ cursor, limit }) => {
      const start = cursor === null ? 0 : Number(cursor);
      const end = start + Math.min(limit, WALL_PAGE_LIMIT);
      return { photos: all.slice(start, end), next: end >= all.length ? null : String(end) };
    };
    await wall.render();
    const seen = new Set<string>();
    let maxHeld = 0;
    let maxTiles = 0;
    await wall.run(700_000, () => {
      for (const tile of show().tiles()) seen.add(tile.photo.id);
      maxHeld = Math.max(maxHeld, show().window.held);
      maxTiles = Math.max(maxTiles, show().tiles().length);
    });
    expect(seen.size).toBe(600);
    expect(maxHeld).toBeLessThanOrEqual(300 + 20);
    expect(maxTiles).toBe(11);
    expect(show().scheduler.size).toBe(600);
    const cursors = wall.socket.requests('wall:page').map((r) => r.cursor);
    expect(cursors.slice(0, 4)).toEqual([null, '200', '400', null]);
    await wall.settle();
    expect(wall.shownIds().length).toBe(11);
    expect(wall.root.querySelectorAll('*').length).toBeLessThan(250);
  });

  it('keeps showing the snapshot when the server does not answer wall:page', async () => {
    wall = new WallHarness('?seconds=2');
    wall.snapshot = { photos: photos(1, 20), seq: 20, total: 500 };
    wall.page = () => NO_REPLY;
    await wall.render();
    const seen = new Set<string | null>();
    for (let i = 0; i < 25; i++) {
      await wall.wait(2_000);
      seen.add(wall.onStage());
    }
    expect(seen.size).toBe(20);
  });
});
