import { FakeMineServer } from '../../testing/fake-mine-server';
import { myPhoto } from '../../testing/fake-socket';
import { PageHarness } from '../gallery/testing/gallery-harness';
import { MinePage } from './mine-page';
import { RECOVERY_CODE_STORAGE_KEY } from './recovery-code';

/** My photos opens the gallery's full-screen viewer over the guest's own photos, whatever their state. */
describe('MinePage viewer', () => {
  let page: PageHarness<MinePage>;
  let server: FakeMineServer;
  const thumb = (seq: number) => page.root.querySelector<HTMLElement>(`[data-testid="open-photo"][data-photo-id="${myPhoto(seq).id}"]`);
  const shownId = () => page.root.querySelector('app-viewer-photo')?.getAttribute('data-photo-id') ?? null;

  beforeEach(async () => {
    localStorage.removeItem(RECOVERY_CODE_STORAGE_KEY);
    page = new PageHarness(MinePage, 'mine');
    server = new FakeMineServer();
    page.socket.handler = server.handle;
    server.photos = [myPhoto(3), myPhoto(2, { state: 'pending', caption: 'Waiting one' }), myPhoto(1, { state: 'hidden' })];
    await page.render();
  });
  afterEach(() => localStorage.removeItem(RECOVERY_CODE_STORAGE_KEY));

  it('opens on the tapped thumbnail, in the URL, with the photo’s state, and moves through pending and hidden photos too', async () => {
    await page.click(thumb(2));
    expect(shownId()).toBe(myPhoto(2).id);
    expect(page.url).toBe(`/mine?photo=${myPhoto(2).id}`);
    expect(page.text('viewer-state')).toBe('Waiting for the host');
    expect(page.text('viewer-caption')).toBe('Waiting one');
    expect(page.text('viewer-position')).toBe('2 of 3');

    await page.key('ArrowRight');
    expect(shownId()).toBe(myPhoto(1).id);
    expect(page.text('viewer-state')).toBe('Hidden by the host');
    await page.swipe(150);
    await page.swipe(150);
    expect(page.text('viewer-state')).toBe('On the wall');
  });

  it('offers share and download only for a photo on the wall', async () => {
    await page.click(thumb(3));
    expect(page.q('viewer-share')).not.toBeNull();
    expect(page.q('viewer-download')).not.toBeNull();
    await page.key('ArrowRight');
    expect(page.q('viewer-share')).toBeNull();
    expect(page.q('viewer-download')).toBeNull();
  });

  it('closes with Escape back to the list, focus on the thumbnail, and the editing still works', async () => {
    await page.click(thumb(3));
    await page.key('Escape');
    expect(page.q('photo-viewer')).toBeNull();
    expect(page.url).toBe('/mine');
    expect(document.activeElement).toBe(thumb(3));

    const card = page.root.querySelector<HTMLElement>(`[data-testid="my-photo"][data-photo-id="${myPhoto(3).id}"]`)!;
    await page.click(page.q('edit-button', card));
    expect(page.q('edit-form', card)).not.toBeNull();
  });

  it('moves on when the open photo is deleted elsewhere', async () => {
    await page.click(thumb(3));
    page.socket.serverEmit('mine:removed', { id: myPhoto(3).id, seq: 200 });
    await page.settle();
    expect(shownId()).toBe(myPhoto(2).id);
    expect(page.text('viewer-notice')).toBe('That photo was taken down.');
  });
});
