import { photo } from '../../testing/fake-socket';
import { until } from '../../testing/until';
import { GalleryPage } from './gallery-page';
import { PageHarness } from './testing/gallery-harness';

/** A 1x1 PNG: an image that really loads (Karma answers /media/ URLs with an empty 204). */
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** The full-screen viewer, opened from the gallery: moving, closing, sharing, downloading, photos that leave. */
describe('PhotoViewer', () => {
  let page: PageHarness<GalleryPage>;
  const id = (n: number) => photo(n).id;
  const openOn = async (n: number) => {
    await page.click(page.root.querySelector<HTMLElement>(`[data-testid="gallery-tile"][data-photo-id="${id(n)}"]`));
  };
  const shownId = () => page.root.querySelector('app-viewer-photo')?.getAttribute('data-photo-id') ?? null;

  beforeEach(async () => {
    page = new PageHarness(GalleryPage, 'gallery');
    page.server.seed(4, (n) => photo(n, { displayUrl: PIXEL, thumbUrl: PIXEL }));
    await page.render();
  });

  it('opens full screen on the tapped photo, with its caption and name, and puts it in the URL', async () => {
    await openOn(3);
    const viewer = page.q('photo-viewer') as HTMLDialogElement;
    expect(viewer.open).toBeTrue();
    expect(shownId()).toBe(id(3));
    expect(page.url).toBe(`/gallery?photo=${id(3)}`);
    expect(page.text('viewer-caption')).toBe('Caption 3');
    expect(page.text('viewer-author')).toBe('Guest 3');
    expect(page.text('viewer-position')).toBe('2 of 4');
    const image = page.q('viewer-image') as HTMLImageElement;
    expect(image.getAttribute('src')).toBe(PIXEL);
    expect(image.alt).toBe('Caption 3, by Guest 3');
    expect(document.activeElement).toBe(page.q('viewer-close'));
  });

  it('moves with swipes: left to the next (older) photo, right back; short or vertical drags do nothing', async () => {
    await openOn(3);
    await page.swipe(-120);
    expect(shownId()).toBe(id(2));
    expect(page.url).toBe(`/gallery?photo=${id(2)}`);
    await page.swipe(-20);
    await page.swipe(-80, 200);
    expect(shownId()).withContext('not swipes').toBe(id(2));
    await page.swipe(140);
    await page.swipe(140);
    expect(shownId()).toBe(id(4));
    await page.swipe(140);
    expect(shownId()).withContext('nothing newer than the newest').toBe(id(4));
  });

  it('moves with the arrow keys and the side buttons, and closes with Escape, going back to the grid', async () => {
    await openOn(4);
    await page.key('ArrowRight');
    await page.key('ArrowRight');
    expect(shownId()).toBe(id(2));
    await page.key('ArrowLeft');
    expect(shownId()).toBe(id(3));
    await page.click(page.q('viewer-next'));
    expect(shownId()).toBe(id(2));
    expect((page.q('viewer-previous') as HTMLButtonElement).disabled).toBeFalse();

    await page.key('Escape');
    expect(page.q('photo-viewer')).toBeNull();
    expect(page.url).toBe('/gallery');
    expect(document.activeElement?.getAttribute('data-photo-id')).withContext('focus back on the photo seen last').toBe(id(2));
  });

  it('closes with its Close button, and a page opened on a photo URL closes to the plain gallery', async () => {
    await page.router.navigateByUrl(`/gallery?photo=${id(1)}`);
    await page.settle();
    expect(shownId()).toBe(id(1));
    expect((page.q('viewer-next') as HTMLButtonElement).disabled).withContext('the oldest photo').toBeTrue();
    await page.click(page.q('viewer-close'));
    expect(page.q('photo-viewer')).toBeNull();
    expect(page.url).toBe('/gallery');
  });

  it('shares the photo page /p/ID with the Web Share API where the browser has it', async () => {
    page.share.withNativeShare();
    await openOn(2);
    expect(page.text('viewer-share')).toBe('Share');
    await page.click(page.q('viewer-share'));
    expect(page.share.shared).toEqual([{ url: `${location.origin}/p/${id(2)}` }]);
    expect(page.share.copied).toEqual([]);
  });

  it('copies the link instead where there is no Web Share API, and says so for a moment', async () => {
    await openOn(2);
    expect(page.text('viewer-share')).toBe('Copy link');
    await page.click(page.q('viewer-share'));
    expect(page.share.copied).toEqual([`${location.origin}/p/${id(2)}`]);
    expect(page.text('viewer-share-status')).toBe('Link copied');
    await new Promise((resolve) => setTimeout(resolve, 2_700));
    await page.settle();
    expect(page.text('viewer-share-status')).toBe('');
  });

  it('falls back to copying when sharing fails, says nothing when the guest closes the share sheet, and shows the link when even copying fails', async () => {
    page.share.withNativeShare(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
    await openOn(2);
    await page.click(page.q('viewer-share'));
    expect(page.share.copied.length).toBe(1);

    page.share.withNativeShare(() => Promise.reject(new DOMException('closed', 'AbortError')));
    await page.click(page.q('viewer-share'));
    expect(page.share.copied.length).withContext('a closed share sheet is not a failure').toBe(1);

    page.share.share = null;
    page.share.copyFails = true;
    await page.click(page.q('viewer-share'));
    expect((page.q('viewer-manual-link')?.querySelector('input') as HTMLInputElement).value).toBe(`${location.origin}/p/${id(2)}`);
  });

  it('offers the full-quality download and the share only while the host allows them, following a change live', async () => {
    await openOn(2);
    const download = page.q('viewer-download') as HTMLAnchorElement;
    expect(download.getAttribute('href')).toBe(`/p/${id(2)}/download`);
    expect(download.hasAttribute('download')).toBeTrue();

    page.socket.serverSettings({ guestDownloads: false });
    await page.settle();
    expect(page.q('viewer-download')).toBeNull();
    expect(page.q('viewer-share')).not.toBeNull();

    page.socket.serverSettings({ shareLinks: false, guestDownloads: true });
    await page.settle();
    expect(page.q('viewer-share')).toBeNull();
    expect(page.q('viewer-download')).not.toBeNull();
  });

  it('moves on to the next photo when the open one is removed, says so, and closes when none is left', async () => {
    await openOn(3);
    page.server.remove(id(3));
    await page.settle();
    expect(shownId()).toBe(id(2));
    expect(page.url).toBe(`/gallery?photo=${id(2)}`);
    expect(page.text('viewer-notice')).toBe('That photo was taken down.');

    for (const n of [4, 2, 1]) page.server.remove(id(n));
    await page.settle();
    expect(page.q('photo-viewer')).toBeNull();
    expect(page.url).toBe('/gallery');
  });

  it('follows a live edit of the open photo', async () => {
    await openOn(2);
    page.server.edit(id(2), { caption: 'Now with words', author: 'Mia' });
    await page.settle();
    expect(page.text('viewer-caption')).toBe('Now with words');
    expect(page.text('viewer-author')).toBe('Mia');
  });

  it('explains, instead of showing a broken image, when the display image will not load', async () => {
    const broken = page.server.add({ displayUrl: '/media/gone.webp', thumbUrl: '/media/gone-thumb.webp' });
    await page.settle();
    await openOn(broken.seq);
    await until(() => page.q('viewer-unavailable') !== null, 'the explanation');
    expect(page.q('viewer-image')).toBeNull();
    expect(page.text('viewer-unavailable')).toContain('could not be loaded');
  });
});
