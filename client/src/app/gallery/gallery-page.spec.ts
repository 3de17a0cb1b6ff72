import { photo } from '../../testing/fake-socket';
import { until } from '../../testing/until';
import { GalleryPage } from './gallery-page';
import { PageHarness } from './testing/gallery-harness';

/** /gallery: the wall's photos on a phone, newest first, live, in a virtual scroll. */
describe('GalleryPage', () => {
  let page: PageHarness<GalleryPage>;
  const tileIds = () => page.all('gallery-tile').map((tile) => tile.getAttribute('data-photo-id'));

  beforeEach(() => (page = new PageHarness(GalleryPage, 'gallery')));
  afterEach(() => window.scrollTo(0, 0));

  it('shows the event title, the count, and the ways to add photos and to My photos', async () => {
    page.server.seed(5);
    await page.render();
    page.socket.serverSettings({ title: "Anna & Ben's wedding" });
    await page.settle();
    expect(page.text('gallery-title')).toBe("Anna & Ben's wedding");
    expect(page.text('gallery-count')).toBe('5 photos');
    expect(page.q('gallery-add')?.getAttribute('href')).toBe('/upload');
    expect(page.q('gallery-mine')?.getAttribute('href')).toBe('/mine');
  });

  it('invites the first photo on an empty wall, and shows a photo that then arrives', async () => {
    await page.render();
    expect(page.text('gallery-empty')).toContain('No photos yet. Be the first!');
    expect(page.q('gallery-empty-add')?.getAttribute('href')).toBe('/upload');

    page.server.add({ caption: 'The cake' });
    await page.settle();
    expect(page.q('gallery-empty')).toBeNull();
    expect(tileIds()).toEqual([photo(1).id]);
    expect(page.q('gallery-tile')?.querySelector('img')?.alt).toBe('The cake, by Guest 1');
  });

  it('lays out square thumbnails newest first and keeps them live: additions on top, removals gone', async () => {
    page.server.seed(5);
    await page.render();
    expect(tileIds()).toEqual([5, 4, 3, 2, 1].map((n) => photo(n).id));
    const first = page.q('gallery-tile')!.getBoundingClientRect();
    expect(Math.abs(first.width - first.height)).toBeLessThan(6);

    page.server.add();
    page.server.remove(photo(3).id);
    await page.settle();
    expect(tileIds()).toEqual([6, 5, 4, 2, 1].map((n) => photo(n).id));
    expect(page.text('gallery-count')).toBe('5 photos');
  });

  it('holds 10,000 photos with only a window of rows in the DOM, and fetches older pages as the guest nears the end', async () => {
    page.server.seed(10_000);
    await page.render();
    await until(() => page.all('gallery-row').length > 0, 'the first rows');
    const pages = () => page.socket.requests('wall:page');
    expect(pages().length).withContext('the first page only').toBe(1);
    const rows = page.all('gallery-row').length;
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(60);
    expect(page.all('gallery-tile').length).toBeLessThan(400);

    // Scroll to the end of what is loaded, again and again: each time the next page comes.
    for (let i = 0; i < 3; i++) {
      const before = pages().length;
      window.scrollTo(0, document.documentElement.scrollHeight);
      await until(() => pages().length > before, `page ${before + 1}`);
      await page.settle();
    }
    expect(pages().map((p) => p.cursor === null)).toEqual([true, false, false, false]);
    expect(page.all('gallery-row').length).withContext('still a window').toBeLessThan(60);
    const shown = tileIds();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain(photo(10_000).id);
  });

  it('says the photos are loading until the first answer, not that there are none', async () => {
    page.server.intercept = (event) => (event === 'wall:join' ? new Promise(() => undefined) : undefined);
    await page.render();
    expect(page.q('gallery-loading')).not.toBeNull();
    expect(page.q('gallery-empty')).toBeNull();
  });
});
