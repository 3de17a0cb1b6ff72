import type { BookDto } from '@photobook/shared';
import { AdminHarness } from './testing/admin-harness';

const book = (overrides: Partial<BookDto>): BookDto => ({
  id: 'book1xxxxx',
  paper: 'a4',
  state: 'queued',
  placed: 0,
  total: 0,
  createdAt: Date.UTC(2026, 11, 6, 22),
  finishedAt: null,
  bytes: null,
  error: null,
  ...overrides,
});

/** The Print view's photo book: paper, cover, the request, live progress, the download and failures. */
describe('Book panel', () => {
  let page: AdminHarness;
  const make = () => page.q<HTMLButtonElement>('book-make')!;

  beforeEach(() => {
    page = new AdminHarness();
    page.server.seed(60);
  });

  it('offers A4 and US Letter, and the visible photos oldest first as covers, the first one chosen', async () => {
    await page.render('/admin/print');
    expect(page.q<HTMLInputElement>('book-paper-a4')!.checked).toBeTrue();
    expect(page.q('book-paper-letter')).not.toBeNull();
    const covers = page.all('book-covers').flatMap((set) => Array.from(set.querySelectorAll<HTMLButtonElement>('button.cover')));
    expect(covers.length).toBe(48);
    expect(covers[0]!.getAttribute('data-testid')).toBe('book-cover-photo1xx');
    expect(covers.filter((c) => c.getAttribute('aria-pressed') === 'true').map((c) => c.dataset['testid'])).toEqual(['book-cover-photo1xx']);
    await page.click(page.q('book-more-covers'));
    expect(page.root.querySelectorAll('button.cover').length).toBe(60);
    expect(page.q('book-more-covers')).toBeNull();
  });

  it('asks for the book with the paper, cover, title and date the host chose, and the browser\'s language and zone', async () => {
    await page.render('/admin/print');
    await page.click(page.q('book-paper-letter'));
    await page.click(page.q('book-cover-photo7xx'));
    await page.type(page.q('book-title'), '  Anna & Ben  ');
    await page.type(page.q('book-date'), '2026-12-05');
    await page.click(make());
    expect(page.server.bookRequests).toEqual([
      { paper: 'letter', coverPhotoId: 'photo7xx', title: 'Anna & Ben', date: '2026-12-05', locale: navigator.language, timeZone: jasmine.any(String) },
    ]);
    expect(page.text('book-progress-text')).toBe('Waiting to start…');
    expect(make().disabled).withContext('one at a time').toBeTrue();
  });

  it('follows the job live: a progress bar with "143 of 200 photos", then the ready book to download', async () => {
    await page.render('/admin/print');
    await page.click(make());
    page.server.pushBook({ latest: book({ state: 'making', placed: 143, total: 200 }), ready: null });
    await page.settle();
    expect(page.text('book-progress-text')).toBe('143 of 200 photos');
    expect(page.q<HTMLProgressElement>('book-progress')!.querySelector('progress')!.value).toBe(72);
    expect(page.q('book-ready')).toBeNull();

    const done = book({ state: 'ready', placed: 200, total: 200, bytes: 48 * 1024 * 1024, finishedAt: Date.UTC(2026, 11, 6, 22, 5) });
    page.server.pushBook({ latest: done, ready: done });
    await page.settle();
    expect(page.q('book-progress')).toBeNull();
    expect(page.text('book-ready-facts')).toMatch(/^A4 · 48 MB · made /);
    const link = page.q<HTMLAnchorElement>('book-download')!;
    expect(link.getAttribute('href')).toBe('/api/admin/photo-book.pdf');
    expect(link.hasAttribute('download')).toBeTrue();
    expect(make().disabled).toBeFalse();
  });

  it('keeps the last ready book downloadable while a new one is made', async () => {
    const old = book({ id: 'book0xxxxx', state: 'ready', placed: 50, total: 50, bytes: 9_000_000, finishedAt: Date.now() });
    page.server.book = { latest: book({ state: 'making', placed: 3, total: 60 }), ready: old };
    await page.render('/admin/print');
    expect(page.text('book-progress-text')).toBe('3 of 60 photos');
    expect(page.q('book-download')).not.toBeNull();
  });

  it('shows a failure plainly, and a retry with its reason while the job tries again', async () => {
    page.server.book = { latest: book({ state: 'queued', error: 'The server ran out of disk space. Trying again.' }), ready: null };
    await page.render('/admin/print');
    expect(page.text('book-progress-text')).toBe('Trying again: The server ran out of disk space. Trying again.');
    page.server.pushBook({ latest: book({ state: 'failed', error: 'There were no photos on the wall to print.', finishedAt: Date.now() }), ready: null });
    await page.settle();
    expect(page.q('book-failed')!.getAttribute('role')).toBe('alert');
    expect(page.text('book-failed')).toBe('The photo book could not be made. There were no photos on the wall to print.');
    expect(make().disabled).withContext('the host may try again').toBeFalse();
  });

  it('says why a request was refused, in the console\'s words', async () => {
    await page.render('/admin/print');
    page.server.book = { latest: book({ state: 'making', placed: 1, total: 9 }), ready: null };
    await page.click(make());
    expect(page.text('book-refusal')).toBe('A photo book is being made right now. Wait for it to finish, then make a new one.');
  });

  it('has nothing to offer before any photo is on the wall', async () => {
    page.server.photos = [];
    await page.render('/admin/print');
    expect(page.text('book-no-photos')).toBe('No photos on the wall yet.');
    expect(make().disabled).toBeTrue();
  });
});
