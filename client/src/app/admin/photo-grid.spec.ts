import { ADMIN_PAGE_LIMIT } from '@photobook/shared';
import { AdminHarness } from './testing/admin-harness';
import { until } from '../../testing/until';
import { SEARCH_DEBOUNCE_MS } from './photo-grid-store';
import { adminPhoto } from './testing/fake-admin-socket';

describe('Admin photos grid', () => {
  let page: AdminHarness;
  const id = (seq: number) => adminPhoto(seq).id;
  const ids = (...seqs: number[]) => seqs.map(id);
  const shown = () => page.all('admin-photo').map((el) => el.getAttribute('data-photo-id'));
  const card = (seq: number) => page.root.querySelector<HTMLElement>(`[data-photo-id="${id(seq)}"]`)!;

  beforeEach(() => (page = new AdminHarness()));

  it('shows every photo newest first with caption, name, guest alias, state and no ids', async () => {
    page.server.seed(3, (i) => ({ state: i === 2 ? 'pending' : 'visible', guest: i }));
    await page.render();
    expect(page.socket.requests('admin:photos')[0]).toEqual({ state: 'all', search: '', guest: null, cursor: null, limit: ADMIN_PAGE_LIMIT });
    expect(shown()).toEqual(ids(3, 2, 1));
    expect(page.text('photo-caption', card(2))).toBe('Caption 2');
    expect(page.text('photo-author', card(2))).toBe('Author 2');
    expect(page.text('guest-filter', card(2))).toBe('Guest 2');
    expect(page.text('photo-state', card(2))).toBe('Waiting');
    expect(card(2).querySelector('img')?.getAttribute('src')).toBe('/api/admin/media/thumb-2.webp');
    expect(card(2).textContent).not.toContain(id(2));
  });

  it('marks a photo whose full copy never arrived (only the phone\'s preview) as "Preview only"', async () => {
    page.server.seed(2, (i) => ({ fullCopy: i !== 1 }));
    await page.render();
    expect(page.text('preview-only', card(1))).toBe('Preview only');
    expect(card(2).querySelector('[data-testid="preview-only"]')).toBeNull();
  });

  it('shows the counts from stats on the filters', async () => {
    page.server.seed(4, (i) => ({ state: i === 1 ? 'hidden' : i === 2 ? 'pending' : 'visible' }));
    await page.render();
    expect(page.text('filter-all')).toBe('All 4');
    expect(page.text('filter-visible')).toBe('On the wall 2');
    expect(page.text('filter-pending')).toBe('Waiting 1');
    expect(page.text('filter-hidden')).toBe('Hidden 1');
  });

  describe('live', () => {
    it('asks admin:changes from the last seq on photos:changed and updates a card in place', async () => {
      page.server.seed(3);
      await page.render();
      page.server.change({ ...page.server.photos[1]!, caption: 'Cake!' });
      await page.settle();
      expect(page.socket.requests('admin:changes')).toEqual([{ sinceSeq: 3 }]);
      expect(shown()).toEqual(ids(3, 2, 1));
      expect(page.text('photo-caption', card(2))).toBe('Cake!');
    });

    it('takes a photo out of a filtered view when its new state leaves the filter, and adds new matches at the top', async () => {
      page.server.seed(3, () => ({ state: 'pending' }));
      await page.render();
      await page.click(page.q('filter-pending'));
      expect(shown()).toEqual(ids(3, 2, 1));

      page.server.change({ ...page.server.photos.find((p) => p.id === id(2))!, state: 'visible' });
      await page.settle();
      expect(shown()).toEqual(ids(3, 1));

      page.server.change(adminPhoto(7, { state: 'pending' }));
      page.server.change(adminPhoto(8, { state: 'visible' }));
      await page.settle();
      expect(shown()).toEqual(ids(7, 3, 1));
    });

    it('removes deleted photos', async () => {
      page.server.seed(3);
      await page.render();
      page.server.removeExternally(id(1));
      await page.settle();
      expect(shown()).toEqual(ids(3, 2));
    });

    it('catches up after a reconnect without waiting for a push', async () => {
      page.server.seed(2);
      await page.render();
      page.socket.serverDisconnect();
      page.server.photos = page.server.photos.map((p) => (p.id === id(1) ? { ...p, seq: ++page.server.seq, state: 'hidden' as const } : p));
      page.socket.serverConnect();
      await page.settle();
      expect(page.text('photo-state', card(1))).toBe('Hidden');
    });
  });

  describe('selection', () => {
    beforeEach(() => void page.server.seed(6, (i) => ({ state: i % 2 ? 'visible' : 'pending' })));

    it('ticks a range with shift-click and acts on it with the bulk bar', async () => {
      await page.render();
      await page.click(page.q('select-photo', card(5)));
      await page.click(page.q('select-photo', card(2)), { shiftKey: true });
      expect(page.text('bulk-count')).toBe('4 photos selected');
      expect(page.all('select-photo').map((box) => (box as HTMLInputElement).checked)).toEqual([false, true, true, true, true, false]);

      await page.click(page.q('bulk-hide'));
      expect(page.socket.requests('admin:bulk')).toEqual([{ ids: ids(5, 4, 3, 2), action: 'hidden' }]);
      expect(page.q('bulk-bar')).toBeNull();
      expect(page.text('photo-state', card(4))).toBe('Hidden');
    });

    it('unticks a range with shift-click from a ticked photo', async () => {
      await page.render();
      await page.click(page.q('toolbar-select-all'));
      expect(page.text('bulk-count')).toBe('6 photos selected');
      await page.click(page.q('select-photo', card(6)));
      await page.click(page.q('select-photo', card(4)), { shiftKey: true });
      expect(page.text('bulk-count')).toBe('3 photos selected');
    });

    it('approves only the waiting photos of the selection, and deletes after a confirmation', async () => {
      await page.render();
      await page.click(page.q('toolbar-select-all'));
      expect(page.text('bulk-approve')).toBe('Approve 3');
      await page.click(page.q('bulk-approve'));
      expect(page.socket.requests('admin:bulk')[0]).toEqual({ ids: ids(6, 4, 2), action: 'visible' });

      await page.click(page.q('select-photo', card(1)));
      await page.click(page.q('bulk-delete'));
      expect(page.text('bulk-confirm')).toContain('Delete 1 photo?');
      expect(page.socket.requests('admin:bulk').length).toBe(1);
      await page.click(page.q('bulk-confirm-delete'));
      expect(page.socket.requests('admin:bulk')[1]).toEqual({ ids: ids(1), action: 'remove' });
      expect(shown()).toEqual(ids(6, 5, 4, 3, 2));
    });

    it('drops photos that leave the view from the selection', async () => {
      await page.render();
      await page.click(page.q('filter-pending'));
      await page.click(page.q('toolbar-select-all'));
      page.server.change({ ...page.server.photos.find((p) => p.id === id(4))!, state: 'visible' });
      await page.settle();
      expect(page.text('bulk-count')).toBe('2 photos selected');
    });
  });

  describe('filters', () => {
    it('searches after a pause in typing, not on every key', async () => {
      page.server.seed(3, (i) => ({ caption: i === 2 ? 'First dance' : `Caption ${i}` }));
      await page.render();
      const search = page.q<HTMLInputElement>('search')!;
      // Keys typed in quick succession, as a guest types: a settle between them could itself outlast the
      // debounce on a loaded machine, and then 'da' would rightly be searched.
      const typed = performance.now();
      for (const value of ['da', 'dance']) {
        search.value = value;
        search.dispatchEvent(new Event('input', { bubbles: true }));
      }
      expect(page.socket.requests('admin:photos').length).toBe(1);
      await until(() => page.socket.requests('admin:photos').length > 1, 'the search to be sent');
      const askedAfter = performance.now() - typed;
      await page.settle();
      expect(page.socket.requests('admin:photos').map((q) => q.search)).toEqual(['', 'dance']);
      expect(askedAfter).withContext('ms from the last key to the search').toBeGreaterThanOrEqual(SEARCH_DEBOUNCE_MS - 5);
      expect(shown()).toEqual(ids(2));
    });

    it("filters by a guest from a card's alias, with a chip to clear it", async () => {
      page.server.seed(4, (i) => ({ guest: i % 2 ? 17 : 3 }));
      await page.render();
      await page.click(page.q('guest-filter', card(3)));
      expect(page.socket.requests('admin:photos').at(-1)?.guest).toBe(17);
      expect(shown()).toEqual(ids(3, 1));
      expect(page.text('guest-chip')).toContain('Guest 17');
      await page.click(page.q('clear-guest'));
      expect(shown()).toEqual(ids(4, 3, 2, 1));
    });

    it('loads the next page with the cursor', async () => {
      page.server.seed(ADMIN_PAGE_LIMIT + 5);
      await page.render();
      expect(shown().length).toBe(ADMIN_PAGE_LIMIT);
      await page.click(page.q('load-more'));
      expect(page.socket.requests('admin:photos').at(-1)?.cursor).toBe(String(ADMIN_PAGE_LIMIT));
      expect(shown().length).toBe(ADMIN_PAGE_LIMIT + 5);
      expect(page.q('load-more')).toBeNull();
    });

    it('loads the next page by itself once the end of the grid is scrolled near, and not before', async () => {
      page.server.seed(ADMIN_PAGE_LIMIT + 5);
      await page.render();
      // Frames pass with the first page far above the end: no page is asked for that nobody scrolled to.
      for (let frame = 0; frame < 3; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
      await page.settle();
      expect(page.socket.requests('admin:photos').length).toBe(1);

      page.q('load-more')!.scrollIntoView();
      await until(() => page.socket.requests('admin:photos').length > 1, 'the next page to be asked for');
      await page.settle();
      expect(page.socket.requests('admin:photos').at(-1)?.cursor).toBe(String(ADMIN_PAGE_LIMIT));
      expect(shown().length).toBe(ADMIN_PAGE_LIMIT + 5);
      window.scrollTo(0, 0);
    });
  });

  describe('preview', () => {
    const dialog = () => page.q<HTMLDialogElement>('preview')!;

    beforeEach(() => void page.server.seed(3, (i) => ({ state: i === 2 ? 'pending' : 'visible', guest: 4 })));

    it('opens large, moves with the arrow keys and closes with Esc', async () => {
      await page.render();
      await page.click(page.q('open-preview', card(3)));
      expect(dialog().open).toBeTrue();
      expect(page.q('preview-image')?.getAttribute('src')).toBe('/api/admin/media/display-3.webp');
      await page.key('ArrowRight', dialog());
      expect(page.text('preview-caption')).toBe('Caption 2');
      await page.key('ArrowLeft', dialog());
      expect(page.text('preview-caption')).toBe('Caption 3');
      dialog().close(); // what Esc does to a modal dialog
      await page.settle();
      expect(dialog().open).toBeFalse();
      expect(document.activeElement).toBe(page.q('open-preview', card(3)));
    });

    it('approves, hides and shows again', async () => {
      await page.render();
      await page.click(page.q('open-preview', card(2)));
      await page.click(page.q('preview-approve'));
      expect(page.socket.requests('admin:moderate')).toEqual([{ id: id(2), state: 'visible' }]);
      expect(page.text('preview-state')).toBe('On the wall');
      await page.click(page.q('preview-hide'));
      expect(page.text('preview-state')).toBe('Hidden');
      await page.click(page.q('preview-unhide'));
      expect(page.socket.requests('admin:moderate').at(-1)).toEqual({ id: id(2), state: 'visible' });
    });

    it('deletes only after a confirmation, and moves on to the next photo', async () => {
      await page.render();
      await page.click(page.q('open-preview', card(2)));
      await page.click(page.q('preview-delete'));
      expect(page.socket.requests('admin:remove')).toEqual([]);
      await page.click(page.q('confirm-delete'));
      expect(page.socket.requests('admin:remove')).toEqual([{ id: id(2) }]);
      expect(shown()).toEqual(ids(3, 1));
      expect(page.text('preview-caption')).toBe('Caption 1');
    });

    it('answers an open question with "no" on Esc, keeping the preview open', async () => {
      await page.render();
      await page.click(page.q('open-preview', card(3)));
      await page.click(page.q('preview-block'));
      expect(document.activeElement).toBe(page.q('cancel-block'));
      dialog().dispatchEvent(new Event('cancel', { cancelable: true }));
      await page.settle();
      expect(dialog().open).toBeTrue();
      expect(page.q('confirm-block')).toBeNull();
      expect(page.socket.requests('admin:block')).toEqual([]);
    });

    it('blocks a guest, optionally hiding all their photos, and unblocks', async () => {
      await page.render();
      await page.click(page.q('open-preview', card(3)));
      await page.click(page.q('preview-block'));
      expect(page.socket.requests('admin:block')).toEqual([]);
      await page.click(page.q('block-also-hide'));
      await page.click(page.q('confirm-block'));
      expect(page.socket.requests('admin:block')).toEqual([{ id: id(3), hide: true }]);
      expect(page.text('guest-filter', card(1))).toContain('blocked');
      expect(page.text('photo-state', card(1))).toBe('Hidden');

      await page.click(page.q('preview-unblock'));
      expect(page.socket.requests('admin:unblock')).toEqual([{ id: id(3) }]);
      expect(page.text('guest-filter', card(1))).toBe('Guest 4');
    });
  });
});
