import { AdminHarness } from './testing/admin-harness';

/** Captions, names and guest buttons of every length the grid meets; times are from another day (weekday and time). */
const WORDS = [
  { caption: '', author: '' },
  { caption: 'Cake!', author: 'Ana' },
  { caption: 'The whole family together at last, with grandma in the middle and the dog trying to get in', author: 'Li' },
  { caption: 'Sunset', author: 'Bartholomew Featherstonehaugh-Smythe the Third' },
  { caption: 'Speeches', author: 'Sam', guestBlocked: true },
  { caption: 'A caption that is exactly long enough to wrap onto a second line', author: 'Grandma Rose' },
];

describe('Admin photo cards', () => {
  let page: AdminHarness;

  beforeEach(() => (page = new AdminHarness()));
  afterEach(() => page.root?.style.removeProperty('width'));

  for (const width of [360, 820, 1400, 2200]) {
    it(`are all the same height at ${width} px, whatever their words, with the time kept on one line`, async () => {
      page.server.seed(WORDS.length, (i) => ({ ...WORDS[i - 1], guest: i * 111 }));
      await page.render();
      page.root.style.width = `${width}px`;
      await page.settle();
      const cards = page.all('admin-photo');
      expect(cards.length).toBe(WORDS.length);
      const heights = cards.map((card) => Math.round(card.getBoundingClientRect().height));
      expect(new Set(heights).size).withContext(`heights ${heights.join(', ')}`).toBe(1);
      for (const card of cards) {
        const meta = card.querySelector<HTMLElement>('.meta')!;
        const time = card.querySelector<HTMLElement>('time')!;
        const author = page.q('photo-author', card)!;
        // One line: the time, the name and the guest's button share one row.
        expect(Math.round(time.getBoundingClientRect().top)).withContext('time on the meta row').toBe(Math.round(author.getBoundingClientRect().top));
        expect(meta.scrollWidth).withContext('nothing spills out of the card').toBeLessThanOrEqual(meta.clientWidth + 1);
        expect(time.getBoundingClientRect().height).toBeLessThan(24);
      }
    });
  }

  it('keeps a cut name and time readable in full as a tooltip', async () => {
    page.server.seed(1, () => ({ author: 'Bartholomew Featherstonehaugh-Smythe the Third' }));
    await page.render();
    expect(page.q('photo-author')!.title).toBe('Bartholomew Featherstonehaugh-Smythe the Third');
    expect(page.q('admin-photo')!.querySelector('time')!.title).not.toBe('');
  });
});
