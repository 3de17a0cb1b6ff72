import { ErrorCode, MAX_CAPTION_GRAPHEMES, err } from '@photobook/shared';
import { NO_REPLY, myPhoto } from '../../testing/fake-socket';
import { MinePageHarness } from '../../testing/mine-page-harness';
import { messageForCode } from '../core/error-messages';

describe('MinePage', () => {
  let page: MinePageHarness;
  const card = (seq: number) => page.root.querySelector<HTMLElement>(`[data-photo-id="${myPhoto(seq).id}"]`)!;
  const ids = (...seqs: number[]) => seqs.map((seq) => myPhoto(seq).id);

  beforeEach(() => (page = new MinePageHarness()));
  afterEach(() => page.cleanUp());

  describe('the list', () => {
    it("lists the guest's own photos newest first, each with thumbnail, caption, name and state in words", async () => {
      page.server.photos = [
        myPhoto(1, { state: 'hidden' }),
        myPhoto(3, { caption: '', author: '' }),
        myPhoto(2, { state: 'pending' }),
      ];
      await page.render();

      expect(page.socket.requests('mine:list')).toEqual([{}]);
      expect(page.shownIds()).toEqual(ids(3, 2, 1));
      expect(page.text('mine-count')).toBe('3 photos');
      expect(page.text('photo-state', card(3))).toBe('On the wall');
      expect(page.text('photo-state', card(2))).toBe('Waiting for the host');
      expect(page.text('photo-state', card(1))).toBe('Hidden by the host');
      expect(page.text('photo-caption', card(2))).toBe('Caption 2');
      expect(page.text('photo-author', card(2))).toBe('by Guest 2');
      expect(page.text('photo-caption', card(3))).toBe('No caption');
      const thumb = card(2).querySelector('img')!;
      expect(thumb.getAttribute('src')).toBe('/media/thumb-2.webp');
      expect([thumb.getAttribute('width'), thumb.getAttribute('height')]).toEqual(['88', '88']);
    });

    it('names each Edit and Delete button after its photo for screen readers', async () => {
      page.server.seed(2);
      await page.render();
      expect(page.text('edit-button', card(1))).toBe('Edit Caption 1');
      expect(page.text('delete-button', card(2))).toBe('Delete Caption 2');
    });

    it('shows a placeholder until the list arrives, then an empty state that links to the upload page', async () => {
      let answer: (value: unknown) => void = () => undefined;
      page.socket.handler = (event) => (event === 'mine:list' ? new Promise((resolve) => (answer = resolve)) : NO_REPLY);
      await page.render();
      expect(page.q('mine-loading')).not.toBeNull();
      expect(page.q('mine-empty')).toBeNull();

      answer({ ok: true, value: [] });
      await page.settle();
      expect(page.q('mine-loading')).toBeNull();
      expect(page.q('mine-empty')?.textContent).toContain('No photos from this phone yet');
      expect(page.q('empty-upload-link')?.getAttribute('href')).toBe('/upload');
      expect(page.q('add-photos-link')?.getAttribute('href')).toBe('/upload');
    });

    it('says when the list cannot be loaded and lists again on Try again', async () => {
      page.server.seed(1);
      page.server.intercept = (event) => (event === 'mine:list' ? err(ErrorCode.Internal, 'db down') : undefined);
      await page.render();
      expect(page.q('mine-load-error')?.textContent).toContain(messageForCode(ErrorCode.Internal));

      page.server.intercept = null;
      await page.click(page.q('mine-load-error')!.querySelector('button'));
      expect(page.q('mine-load-error')).toBeNull();
      expect(page.shownIds()).toEqual(ids(1));
    });

    it("puts the event's title in the heading when the host set one, and follows it live", async () => {
      await page.render();
      expect(page.text('mine-title')).toBe('My photos');
      expect(page.q('mine-event-title')).toBeNull();

      page.socket.serverSettings({ title: "Anna & Ben's wedding" });
      await page.settle();
      expect(page.text('mine-event-title')).toBe("Anna & Ben's wedding");
      expect(page.text('mine-title')).toBe("Anna & Ben's wedding: My photos");

      page.socket.serverSettings({ title: '' });
      await page.settle();
      expect(page.text('mine-title')).toBe('My photos');
    });
  });

  describe('editing', () => {
    beforeEach(() => void page.server.seed(3));

    it('saves a new caption and name inline, sending only what changed, then returns focus to Edit', async () => {
      await page.render();
      await page.click(page.q('edit-button', card(2)));
      const caption = page.q('edit-caption', card(2)) as HTMLTextAreaElement;
      expect(document.activeElement).toBe(caption);
      expect(caption.value).toBe('Caption 2');

      await page.type(caption, 'Dancing at midnight');
      await page.submit(page.q('edit-form', card(2)));
      expect(page.socket.requests('photo:update')).toEqual([{ id: myPhoto(2).id, caption: 'Dancing at midnight' }]);
      expect(page.q('edit-form', card(2))).toBeNull();
      expect(page.text('photo-caption', card(2))).toBe('Dancing at midnight');
      expect(document.activeElement).toBe(page.q('edit-button', card(2)));
      expect(page.text('mine-notice')).toBe('Saved.');

      await page.click(page.q('edit-button', card(2)));
      await page.type(page.q('edit-author', card(2)), '  Ann  ');
      await page.submit(page.q('edit-form', card(2)));
      expect(page.socket.requests('photo:update')[1]).toEqual({ id: myPhoto(2).id, author: 'Ann' });
      expect(page.text('photo-author', card(2))).toBe('by Ann');
    });

    it('closes without a request when nothing changed', async () => {
      await page.render();
      await page.click(page.q('edit-button', card(1)));
      await page.click(page.q('save-edit', card(1)));
      expect(page.socket.requests('photo:update')).toEqual([]);
      expect(page.q('edit-form', card(1))).toBeNull();
    });

    it('counts characters live and will not save a caption over the limit', async () => {
      await page.render();
      await page.click(page.q('edit-button', card(1)));
      await page.type(page.q('edit-caption', card(1)), '👩‍👧‍👦 hi');
      expect(page.text('caption-counter', card(1))).toBe(`4 / ${MAX_CAPTION_GRAPHEMES}`);

      await page.type(page.q('edit-caption', card(1)), 'x'.repeat(MAX_CAPTION_GRAPHEMES + 1));
      expect(page.q('caption-counter', card(1))?.classList).toContain('over');
      expect(page.q('edit-caption', card(1))?.getAttribute('aria-invalid')).toBe('true');
      expect(card(1).textContent).toContain(messageForCode(ErrorCode.CaptionTooLong));
      expect(page.q('save-edit', card(1))?.getAttribute('aria-disabled')).toBe('true');
      await page.submit(page.q('edit-form', card(1)));
      expect(page.socket.requests('photo:update')).toEqual([]);
    });

    for (const code of [ErrorCode.TooManyMarks, ErrorCode.CaptionTooLong]) {
      it(`shows the server's ${code} inline and keeps the edit open to fix it`, async () => {
        page.server.intercept = (event) => (event === 'photo:update' ? err(code, 'refused') : undefined);
        await page.render();
        await page.click(page.q('edit-button', card(3)));
        await page.type(page.q('edit-caption', card(3)), 'Z̤̤̤̤̤̤̤̤̤̤̤algo');
        page.q('save-edit', card(3))!.focus(); // as a tap or Enter on the button would
        await page.click(page.q('save-edit', card(3)));

        expect(page.text('edit-error', card(3))).toBe(messageForCode(code));
        expect(document.activeElement).withContext('focus survives the wait').toBe(page.q('save-edit', card(3)));
        expect((page.q('edit-caption', card(3)) as HTMLTextAreaElement).value).toBe('Z̤̤̤̤̤̤̤̤̤̤̤algo');
        expect(page.shownIds()).toEqual(ids(3, 2, 1));
      });
    }

    it('takes a photo whose edit comes back NOT_FOUND off the list and says it is gone', async () => {
      await page.render();
      page.server.photos = page.server.photos.filter((p) => p.id !== myPhoto(2).id);
      await page.click(page.q('edit-button', card(2)));
      await page.type(page.q('edit-caption', card(2)), 'Too late');
      await page.submit(page.q('edit-form', card(2)));

      expect(page.shownIds()).toEqual(ids(3, 1));
      expect(page.text('mine-notice')).toBe(messageForCode(ErrorCode.NotFound));
      expect(document.activeElement).toBe(page.q('mine-count'));
    });

    it('cancels an edit with Cancel or Escape, keeping the old words', async () => {
      await page.render();
      await page.click(page.q('edit-button', card(1)));
      await page.type(page.q('edit-caption', card(1)), 'Never mind');
      await page.click(page.q('cancel-edit', card(1)));
      expect(page.text('photo-caption', card(1))).toBe('Caption 1');
      expect(document.activeElement).toBe(page.q('edit-button', card(1)));

      await page.click(page.q('edit-button', card(1)));
      await page.pressEscape(page.q('edit-author', card(1)));
      expect(page.q('edit-form', card(1))).toBeNull();
      expect(page.socket.requests('photo:update')).toEqual([]);
    });
  });

  describe('deleting', () => {
    beforeEach(() => void page.server.seed(2));

    it('deletes a photo only after the in-page confirmation', async () => {
      const nativeConfirm = spyOn(window, 'confirm');
      await page.render();
      await page.click(page.q('delete-button', card(1)));
      expect(page.socket.requests('photo:remove')).toEqual([]);
      expect(page.q('delete-confirm', card(1))?.textContent).toContain('Delete this photo?');
      expect(document.activeElement).toBe(page.q('keep-photo', card(1)));

      await page.click(page.q('confirm-delete', card(1)));
      expect(page.socket.requests('photo:remove')).toEqual([{ id: myPhoto(1).id }]);
      expect(page.shownIds()).toEqual(ids(2));
      expect(page.text('mine-notice')).toBe('Photo deleted.');
      expect(document.activeElement).toBe(page.q('mine-count'));
      expect(nativeConfirm).not.toHaveBeenCalled();
    });

    it('keeps the photo when the guest backs out of the confirmation', async () => {
      await page.render();
      await page.click(page.q('delete-button', card(2)));
      await page.click(page.q('keep-photo', card(2)));
      expect(page.q('delete-confirm', card(2))).toBeNull();
      expect(document.activeElement).toBe(page.q('delete-button', card(2)));

      await page.click(page.q('delete-button', card(2)));
      await page.pressEscape(page.q('keep-photo', card(2)));
      expect(page.q('delete-confirm', card(2))).toBeNull();
      expect(page.socket.requests('photo:remove')).toEqual([]);
      expect(page.shownIds()).toEqual(ids(2, 1));
    });

    it('shows a failed delete inline and keeps the photo', async () => {
      page.server.intercept = (event) => (event === 'photo:remove' ? err(ErrorCode.Internal, 'disk') : undefined);
      await page.render();
      await page.click(page.q('delete-button', card(2)));
      await page.click(page.q('confirm-delete', card(2)));
      expect(page.text('delete-error', card(2))).toBe(messageForCode(ErrorCode.Internal));
      expect(page.shownIds()).toEqual(ids(2, 1));
    });
  });

  describe('live updates', () => {
    beforeEach(() => void page.server.seed(2));

    it("applies mine:updated and mine:removed from the guest's other tabs at once", async () => {
      await page.render();
      page.socket.serverEmit('mine:updated', myPhoto(1, { seq: 50, caption: 'From my other tab', state: 'hidden' }));
      page.socket.serverEmit('mine:updated', myPhoto(3, { seq: 51 }));
      await page.settle();
      expect(page.shownIds()).toEqual(ids(3, 2, 1));
      expect(page.text('photo-caption', card(1))).toBe('From my other tab');
      expect(page.text('photo-state', card(1))).toBe('Hidden by the host');

      page.socket.serverEmit('mine:removed', { id: myPhoto(2).id, seq: 52 });
      await page.settle();
      expect(page.shownIds()).toEqual(ids(3, 1));
    });

    it('ignores an older copy than the one shown, and never brings a deleted photo back', async () => {
      await page.render();
      page.socket.serverEmit('mine:updated', myPhoto(1, { seq: 60, caption: 'Newest' }));
      page.socket.serverEmit('mine:updated', myPhoto(1, { seq: 55, caption: 'Older' }));
      page.socket.serverEmit('mine:removed', { id: myPhoto(2).id, seq: 61 });
      page.socket.serverEmit('mine:updated', myPhoto(2, { seq: 62 }));
      await page.settle();
      expect(page.shownIds()).toEqual(ids(1));
      expect(page.text('photo-caption', card(1))).toBe('Newest');
    });

    it('lists again after a reconnect and shows what changed meanwhile', async () => {
      await page.render();
      page.socket.serverDisconnect();
      await page.settle();
      expect(page.q('mine-offline')).not.toBeNull();

      page.server.photos = [myPhoto(4), myPhoto(1, { seq: 70, caption: 'Edited elsewhere' })];
      page.socket.serverConnect();
      await page.settle();
      expect(page.socket.requests('mine:list').length).toBe(2);
      expect(page.shownIds()).toEqual(ids(4, 1));
      expect(page.text('photo-caption', card(1))).toBe('Edited elsewhere');
      expect(page.q('mine-offline')).toBeNull();
    });

    it('lists again when the server says its feed resumed, showing what changed while the link between servers was down', async () => {
      await page.render();
      page.server.photos = [myPhoto(5), myPhoto(1, { seq: 71, caption: 'Edited on another server' })];

      page.socket.serverEmit('feed:resumed', undefined);
      await page.settle();
      expect(page.socket.requests('mine:list').length).toBe(2);
      expect(page.shownIds()).toEqual(ids(5, 1));
      expect(page.text('photo-caption', card(1))).toBe('Edited on another server');
      expect(page.text('mine-count')).toBe('2 photos');
    });

    it('keeps events that arrive while a list is on its way, even if the list predates them', async () => {
      await page.render();
      const stale = [...page.server.photos];
      let answer: (value: unknown) => void = () => undefined;
      page.socket.handler = (event) => (event === 'mine:list' ? new Promise((resolve) => (answer = resolve)) : NO_REPLY);
      await page.reconnect();

      page.socket.serverEmit('mine:updated', myPhoto(5));
      page.socket.serverEmit('mine:removed', { id: myPhoto(2).id, seq: 80 });
      answer({ ok: true, value: stale });
      await page.settle();
      expect(page.shownIds()).toEqual(ids(5, 1));
    });
  });
});
